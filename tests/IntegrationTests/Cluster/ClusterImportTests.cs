using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Cluster;

/// <summary>
/// Imports across two real API processes (the built dll, each on a loopback port of its own) over one PostgreSQL: the
/// body is kept in the database and the import claimed from it, so when the process running an import dies (SIGKILL)
/// the other takes it over once the lease lapses and finishes it; when it is told to stop (SIGTERM) it hands the import
/// back and the other takes it at once; and a process starting never fails the other's running import.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterImportTests(ClusterDatabase database) : IClassFixture<ClusterDatabase>
{
    private const int LeaseSeconds = 3;

    [Fact]
    public async Task An_async_import_whose_process_is_killed_part_way_is_finished_by_the_other_with_every_record_whole_once_in_the_feed()
    {
        await using var a = await StartAsync(56651, LeaseSeconds, batchSize: 250);
        await using var b = await StartAsync(56652, LeaseSeconds, batchSize: 250);
        var publisher = await CreatePublisherAsync(a, "killed");
        var records = Records("killed", 20_000);

        var id = await SendAsyncImportAsync(a, publisher.Secret, records);
        var (holder, other) = await HolderAsync(id, a, b);
        var processed = await WaitForAsync(id, holder, i => i.GetProperty("counts").GetProperty("processed").GetInt32() >= 1_000);
        await holder.KillAsync();
        Assert.True(processed.GetProperty("state").GetString() == "running" && processed.GetProperty("counts").GetProperty("processed").GetInt32() < records.Count,
            $"the import must be part-way when its process is killed: {processed}");
        var committedBeforeKill = await database.Cluster.ScalarAsync($"SELECT count(*) FROM registry.import_records WHERE import_id = '{id}'");
        Assert.InRange(committedBeforeKill, 1_000, records.Count - 1);

        var watch = Stopwatch.StartNew();
        var ended = await WaitForAsync(id, other, i => i.GetProperty("state").GetString() is "completed" or "failed", TimeSpan.FromSeconds(180));

        Assert.Equal("completed", ended.GetProperty("state").GetString());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(LeaseSeconds - 1), $"taken over after {watch.Elapsed}, before the lease could lapse");
        Assert.Equal(200, ended.GetProperty("resultStatus").GetInt32());
        Assert.Equal(2, ended.GetProperty("attempts").GetInt32());
        var counts = ended.GetProperty("counts");
        Assert.Equal(records.Count, counts.GetProperty("processed").GetInt32());
        Assert.Equal(records.Count, counts.GetProperty("created").GetInt32());
        Assert.Equal(0, counts.GetProperty("unchanged").GetInt32() + counts.GetProperty("failed").GetInt32());
        Assert.Contains($"/{other.Id}/", await LeaseOwnerAsync(id));
        Assert.Contains(other.Output, line => line.Contains("is taken over", StringComparison.Ordinal));

        // The report: every record once, in the body's order.
        var report = await ReadAllAsync(other.Client(publisher.Secret), $"/v1/imports/{id}/records?pageSize=500");
        Assert.Equal(Enumerable.Range(0, records.Count), report.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(report, r => Assert.Equal("created", r.GetProperty("status").GetString()));

        // The publisher's records are the file's, each whole.
        var projects = await ReadAllAsync(other.Client(), $"/v1/projects?publisher={publisher.Code}&pageSize=500");
        Assert.Equal(records.Count, projects.Count);
        var byExternalId = projects.ToDictionary(p => p.GetProperty("externalId").GetString()!);
        foreach (var record in records)
        {
            var project = byExternalId[record["externalId"]!.GetValue<string>()];
            Assert.Equal(record["title"]!["pl"]!.GetValue<string>(), project.GetProperty("title").GetProperty("pl").GetString());
            Assert.Equal(record["summary"]!["pl"]!.GetValue<string>(), project.GetProperty("summary").GetProperty("pl").GetString());
            Assert.Equal(["PL", "LT"], project.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
        }

        Assert.Equal(0, await database.Cluster.ScalarAsync(
            $"SELECT count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id LEFT JOIN registry.project_search s ON s.id = p.id WHERE u.code = '{publisher.Code}' AND s.id IS NULL"));

        // The feed: each record's change once, at its current version; nothing missing, nothing twice.
        var feed = await ReadFeedAsync(other.Client(), publisher.Code);
        Assert.Equal(records.Count, feed.Count);
        Assert.Equal(records.Count, feed.Select(c => c.Id).Distinct().Count());
        var versions = projects.ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("version").GetInt64());
        Assert.All(feed, c => Assert.Equal(versions[c.Id], c.Version));

        // The body went with the import.
        Assert.Equal(0, await database.Cluster.ScalarAsync($"SELECT count(*) FROM registry.import_body_chunks WHERE import_id = '{id}'"));
    }

    [Fact]
    public async Task A_process_starting_does_not_fail_or_take_the_running_import_of_another()
    {
        await using var a = await StartAsync(56653, LeaseSeconds, batchSize: 100);
        var publisher = await CreatePublisherAsync(a, "starting");
        var records = Records("starting", 6_000);
        var id = await SendAsyncImportAsync(a, publisher.Secret, records);
        await WaitForAsync(id, a, i => i.GetProperty("counts").GetProperty("processed").GetInt32() > 0);

        // While B starts and for a while after, the import's row (read straight from the database) is never failed.
        var states = new HashSet<string>();
        var starting = StartAsync(56654, LeaseSeconds, batchSize: 100);
        while (!starting.IsCompleted)
        {
            states.Add(await database.Cluster.TextAsync($"SELECT state FROM registry.imports WHERE id = '{id}'"));
            await Task.Delay(10);
        }

        await using var b = await starting;
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < TimeSpan.FromSeconds(3);)
        {
            states.Add(await database.Cluster.TextAsync($"SELECT state FROM registry.imports WHERE id = '{id}'"));
            await Task.Delay(10);
        }

        Assert.DoesNotContain("Failed", states);
        var seenFromB = await (await b.Client(publisher.Secret).GetAsync($"/v1/imports/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        var ended = await WaitForAsync(id, b, i => i.GetProperty("state").GetString() is "completed" or "failed", TimeSpan.FromSeconds(180));

        if (seenFromB.GetProperty("state").GetString() == "running")
        {
            Assert.Contains($"/{a.Id}/", seenFromB.GetProperty("lease").GetProperty("owner").GetString());
            Assert.True(seenFromB.GetProperty("lease").GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-1));
        }

        Assert.Equal("completed", ended.GetProperty("state").GetString());
        Assert.Equal(1, ended.GetProperty("attempts").GetInt32());
        Assert.Equal(records.Count, ended.GetProperty("counts").GetProperty("created").GetInt32());
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("lease").ValueKind);
        Assert.Contains($"/{a.Id}/", await LeaseOwnerAsync(id));
        Assert.DoesNotContain(b.Output, line => line.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_process_told_to_stop_hands_its_import_back_within_the_shutdown_timeout_and_the_other_takes_it_at_once()
    {
        // A lease far longer than the test: the other process can only take the import over because it was handed back.
        const int longLease = 120;
        const int shutdownSeconds = 20;
        await using var a = await StartAsync(56655, longLease, batchSize: 100, ("Host:ShutdownTimeoutSeconds", $"{shutdownSeconds}"));
        await using var b = await StartAsync(56656, longLease, batchSize: 100, ("Host:ShutdownTimeoutSeconds", $"{shutdownSeconds}"));
        var publisher = await CreatePublisherAsync(a, "stopped");
        var records = Records("stopped", 6_000);
        var id = await SendAsyncImportAsync(a, publisher.Secret, records);
        var (holder, other) = await HolderAsync(id, a, b);
        await WaitForAsync(id, holder, i => i.GetProperty("counts").GetProperty("processed").GetInt32() > 0);

        var exit = await holder.TerminateAsync(TimeSpan.FromSeconds(shutdownSeconds + 5));
        Assert.True(exit < TimeSpan.FromSeconds(shutdownSeconds), $"the process took {exit} to stop");
        Assert.Equal(0, holder.ExitCode);
        var watch = Stopwatch.StartNew();
        var ended = await WaitForAsync(id, other, i => i.GetProperty("state").GetString() is "completed" or "failed", TimeSpan.FromSeconds(longLease - 30));

        Assert.Equal("completed", ended.GetProperty("state").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(longLease - 30), $"taken over after {watch.Elapsed}");
        Assert.Equal(2, ended.GetProperty("attempts").GetInt32());
        Assert.Equal(records.Count, ended.GetProperty("counts").GetProperty("created").GetInt32());
        Assert.Contains($"/{other.Id}/", await LeaseOwnerAsync(id));
        Assert.Equal(records.Count, await database.Cluster.ScalarAsync(
            $"SELECT count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id WHERE u.code = '{publisher.Code}'"));
    }

    private async Task<ApiProcess> StartAsync(int port, int leaseSeconds, int batchSize, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:MigrateOnStartup"] = "false",
            ["ChangeFeed:RetentionEnabled"] = "false",
            ["Imports:LeaseSeconds"] = $"{leaseSeconds}",
            ["Imports:BatchSize"] = $"{batchSize}",
            ["Imports:PollMilliseconds"] = "200",
            ["Logging:LogLevel:RuralRegistry.Web.Imports"] = "Information",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return await ApiProcess.StartReadyAsync(database.ConnectionString, port, settings, TimeSpan.FromSeconds(120));
    }

    private static async Task<(string Code, string Secret)> CreatePublisherAsync(ApiProcess api, string prefix)
    {
        var code = RegistryClients.NewCode(prefix);
        var admin = api.AdminClient();
        await (await admin.PostAsJsonAsync("/v1/publishers", new { code, name = $"Publisher {code}" })).AssertStatusAsync(HttpStatusCode.Created);
        var key = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "cluster tests" })).AssertStatusAsync(HttpStatusCode.Created);
        return (code, key.GetProperty("secret").GetString()!);
    }

    private static async Task<string> SendAsyncImportAsync(ApiProcess api, string secret, List<JsonObject> records)
    {
        var body = new StringContent(string.Join('\n', records.Select(r => r.ToJsonString())) + "\n", Encoding.UTF8, "application/x-ndjson");
        var accepted = await api.Client(secret).SendAsync(HttpMethod.Post, "/v1/imports/projects", body, ("Prefer", "respond-async"));
        return (await accepted.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Which process claimed the import (from its lease, as any process shows it) and the other. The one it was sent to
    /// is told at once and nearly always claims it; the other polls, and may win the claim: the test kills the holder.
    /// </summary>
    private static async Task<(ApiProcess Holder, ApiProcess Other)> HolderAsync(string id, ApiProcess a, ApiProcess b)
    {
        var import = await WaitForAsync(id, b, i => i.GetProperty("lease").ValueKind == JsonValueKind.Object);
        var owner = import.GetProperty("lease").GetProperty("owner").GetString()!;
        return owner.Contains($"/{a.Id}/", StringComparison.Ordinal) ? (a, b) : (b, a);
    }

    private static async Task<JsonElement> WaitForAsync(string id, ApiProcess api, Func<JsonElement, bool> until, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(60);
        using var client = api.AdminClient();
        var watch = Stopwatch.StartNew();
        JsonElement import = default;
        while (watch.Elapsed < limit)
        {
            import = await (await client.GetAsync($"/v1/imports/{id}")).AssertStatusAsync(HttpStatusCode.OK);
            if (until(import))
            {
                return import;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"import {id} did not get there within {limit}: {import}\n{string.Join('\n', api.Output.TakeLast(40))}");
    }

    private Task<string> LeaseOwnerAsync(string id) =>
        database.Cluster.TextAsync($"SELECT lease_owner FROM registry.imports WHERE id = '{id}'");

    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient client, string first)
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

    private static List<JsonObject> Records(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var record = RegistryClients.Project();
        record["externalId"] = $"{prefix}-{i}";
        record["title"] = new JsonObject { ["pl"] = $"Projekt {prefix} {i}" };
        record["summary"] = new JsonObject { ["pl"] = $"Współpraca wsi nr {i}" };
        record["countries"] = new JsonArray("PL", "LT");
        return record;
    })];
}
