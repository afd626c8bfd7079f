using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The steps of an import scenario across real API processes, over HTTP clients of whichever process: a publisher and
/// its key, an async import sent, waiting on its state, and the check that a finished import left the publisher's
/// records equal to the file, each whole, once in the report and once in the feed at its current version.
/// </summary>
public static class ImportScenario
{
    public static List<JsonObject> Records(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var record = RegistryClients.Project();
        record["externalId"] = $"{prefix}-{i}";
        record["title"] = new JsonObject { ["pl"] = $"Projekt {prefix} {i}" };
        record["summary"] = new JsonObject { ["pl"] = $"Współpraca wsi nr {i}" };
        record["countries"] = new JsonArray("PL", "LT");
        return record;
    })];

    public static async Task<(string Code, string Secret)> CreatePublisherAsync(HttpClient admin, string prefix)
    {
        var code = RegistryClients.NewCode(prefix);
        await (await admin.PostAsJsonAsync("/v1/publishers", new { code, name = $"Publisher {code}" })).AssertStatusAsync(HttpStatusCode.Created);
        var key = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "import scenario" })).AssertStatusAsync(HttpStatusCode.Created);
        return (code, key.GetProperty("secret").GetString()!);
    }

    /// <summary>Sends the records as one NDJSON body with <c>Prefer: respond-async</c>; the import's id.</summary>
    public static async Task<string> SendAsyncImportAsync(HttpClient publisher, List<JsonObject> records)
    {
        var body = new StringContent(string.Join('\n', records.Select(r => r.ToJsonString())) + "\n", Encoding.UTF8, "application/x-ndjson");
        var accepted = await publisher.SendAsync(HttpMethod.Post, "/v1/imports/projects", body, ("Prefer", "respond-async"));
        return (await accepted.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
    }

    /// <summary>Polls <c>GET /v1/imports/{id}</c> until <paramref name="until"/> holds; <paramref name="output"/> explains a timeout.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient admin, string id, Func<JsonElement, bool> until, TimeSpan? within = null, Func<string>? output = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(60);
        var watch = Stopwatch.StartNew();
        JsonElement import = default;
        while (watch.Elapsed < limit)
        {
            import = await (await admin.GetAsync($"/v1/imports/{id}")).AssertStatusAsync(HttpStatusCode.OK);
            if (until(import))
            {
                return import;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"import {id} did not get there within {limit}: {import}\n{output?.Invoke()}");
    }

    public static async Task<List<JsonElement>> ReadAllAsync(HttpClient client, string first)
    {
        var items = new List<JsonElement>();
        string? next = first;
        while (next is not null)
        {
            var page = await (await client.GetAsync(next)).AssertStatusAsync(HttpStatusCode.OK);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        return items;
    }

    /// <summary>
    /// The import ended completed, at its second attempt, every record created; its report holds every record once in
    /// the body's order; the publisher's projects are the file's, each whole; the feed holds each once at its current
    /// version (nothing missing, nothing twice). <paramref name="publisherClient"/> reads the report, <paramref name="reader"/> the rest.
    /// </summary>
    public static async Task AssertTakenOverAndWholeAsync(JsonElement ended, string id, List<JsonObject> records, string publisherCode, HttpClient publisherClient, HttpClient reader)
    {
        Assert.Equal("completed", ended.GetProperty("state").GetString());
        Assert.Equal(200, ended.GetProperty("resultStatus").GetInt32());
        Assert.Equal(2, ended.GetProperty("attempts").GetInt32());
        var counts = ended.GetProperty("counts");
        Assert.Equal(records.Count, counts.GetProperty("processed").GetInt32());
        Assert.Equal(records.Count, counts.GetProperty("created").GetInt32());
        Assert.Equal(0, counts.GetProperty("unchanged").GetInt32() + counts.GetProperty("failed").GetInt32());

        var report = await ReadAllAsync(publisherClient, $"/v1/imports/{id}/records?pageSize=500");
        Assert.Equal(Enumerable.Range(0, records.Count), report.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(report, r => Assert.Equal("created", r.GetProperty("status").GetString()));

        var projects = await ReadAllAsync(reader, $"/v1/projects?publisher={publisherCode}&pageSize=500");
        Assert.Equal(records.Count, projects.Count);
        var byExternalId = projects.ToDictionary(p => p.GetProperty("externalId").GetString()!);
        foreach (var record in records)
        {
            var project = byExternalId[record["externalId"]!.GetValue<string>()];
            Assert.Equal(record["title"]!["pl"]!.GetValue<string>(), project.GetProperty("title").GetProperty("pl").GetString());
            Assert.Equal(record["summary"]!["pl"]!.GetValue<string>(), project.GetProperty("summary").GetProperty("pl").GetString());
            Assert.Equal(["PL", "LT"], project.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
        }

        var feed = await ReadFeedAsync(reader, publisherCode);
        Assert.Equal(records.Count, feed.Count);
        Assert.Equal(records.Count, feed.Select(c => c.Id).Distinct().Count());
        var versions = projects.ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("version").GetInt64());
        Assert.All(feed, c => Assert.Equal(versions[c.Id], c.Version));
    }

    private static async Task<List<(Guid Id, long Version)>> ReadFeedAsync(HttpClient client, string publisher)
    {
        var changes = new List<(Guid, long)>();
        long after = 0;
        while (true)
        {
            var page = await (await client.GetAsync($"/v1/changes?after={after}&type=project&publisher={publisher}&pageSize=500")).AssertStatusAsync(HttpStatusCode.OK);
            changes.AddRange(page.GetProperty("items").EnumerateArray().Select(c => (c.GetProperty("id").GetGuid(), c.GetProperty("version").GetInt64())));
            after = page.GetProperty("resumeAfter").GetInt64();
            if (!page.GetProperty("hasMore").GetBoolean())
            {
                return changes;
            }
        }
    }
}
