using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace RuralRegistry.Examples.Mirror;

/// <summary>
/// A portal's copy of the registry: loads the NDJSON exports, then follows the change feed from the
/// cursor the export stated, applying each change by version (so a change seen twice does no harm).
/// </summary>
public sealed class RegistryMirror(HttpClient api)
{
    private readonly Dictionary<string, Dictionary<Guid, JsonObject>> _records = new(StringComparer.Ordinal)
    {
        ["project"] = [],
        ["partner"] = [],
    };

    /// <summary>The feed cursor: every change up to it is applied.</summary>
    public long Cursor { get; private set; }

    public IReadOnlyDictionary<Guid, JsonObject> Projects => _records["project"];

    public IReadOnlyDictionary<Guid, JsonObject> Partners => _records["partner"];

    /// <summary>Starts from scratch: both exports, then the lower of their cursors (replaying a little is harmless).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var projectCursor = await LoadExportAsync("/v1/exports/projects.ndjson", "project", cancellationToken);
        var partnerCursor = await LoadExportAsync("/v1/exports/partners.ndjson", "partner", cancellationToken);
        Cursor = Math.Min(projectCursor, partnerCursor);
    }

    /// <summary>Applies every change available now; returns how many were applied.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        while (true)
        {
            var url = $"/v1/changes?after={Cursor.ToString(CultureInfo.InvariantCulture)}&type=project&type=partner&include=record&pageSize=500";
            using var response = await api.GetAsync(url, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                throw new InvalidOperationException("The feed no longer reaches back to this mirror's cursor: load the exports again.");
            }

            response.EnsureSuccessStatusCode();
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            foreach (var entry in page["items"]!.AsArray())
            {
                Apply(entry!);
                applied++;
            }

            Cursor = page["resumeAfter"]!.GetValue<long>();
            if (!page["hasMore"]!.GetValue<bool>())
            {
                return applied;
            }
        }
    }

    private void Apply(JsonNode entry)
    {
        var records = _records[entry["type"]!.GetValue<string>()];
        var id = Guid.Parse(entry["id"]!.GetValue<string>());
        var version = entry["version"]!.GetValue<long>();
        var current = records.GetValueOrDefault(id);
        if (current is not null && current["version"]!.GetValue<long>() >= version)
        {
            return;
        }

        if (entry["operation"]!.GetValue<string>() == "delete" || entry["record"] is not JsonObject record)
        {
            records.Remove(id);
            return;
        }

        if (current is null || record["version"]!.GetValue<long>() > current["version"]!.GetValue<long>())
        {
            records[id] = (JsonObject)record.DeepClone();
        }
    }

    private async Task<long> LoadExportAsync(string path, string type, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var cursor = long.Parse(response.Headers.GetValues("Registry-Change-Cursor").Single(), CultureInfo.InvariantCulture);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var records = _records[type];
        records.Clear();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                var record = JsonNode.Parse(line)!.AsObject();
                records[Guid.Parse(record["id"]!.GetValue<string>())] = record;
            }
        }

        return cursor;
    }
}
