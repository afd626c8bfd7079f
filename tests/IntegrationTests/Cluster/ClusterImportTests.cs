using System.Diagnostics;
using System.Net;
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
        await using var a = await StartAsync(LeaseSeconds, batchSize: 250);
        await using var b = await StartAsync(LeaseSeconds, batchSize: 250);
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

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(LeaseSeconds - 1), $"taken over after {watch.Elapsed}, before the lease could lapse");
        Assert.Contains($"/{other.Id}/", await LeaseOwnerAsync(id));
        Assert.Contains(other.Output, line => line.Contains("is taken over", StringComparison.Ordinal));
        await ImportScenario.AssertTakenOverAndWholeAsync(ended, id, records, publisher.Code, other.Client(publisher.Secret), other.Client());
        Assert.Equal(0, await database.Cluster.ScalarAsync(
            $"SELECT count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id LEFT JOIN registry.project_search s ON s.id = p.id WHERE u.code = '{publisher.Code}' AND s.id IS NULL"));

        // The body went with the import.
        Assert.Equal(0, await database.Cluster.ScalarAsync($"SELECT count(*) FROM registry.import_body_chunks WHERE import_id = '{id}'"));
    }

    [Fact]
    public async Task A_process_starting_does_not_fail_or_take_the_running_import_of_another()
    {
        await using var a = await StartAsync(LeaseSeconds, batchSize: 100);
        var publisher = await CreatePublisherAsync(a, "starting");
        var records = Records("starting", 6_000);
        var id = await SendAsyncImportAsync(a, publisher.Secret, records);
        await WaitForAsync(id, a, i => i.GetProperty("counts").GetProperty("processed").GetInt32() > 0);

        // While B starts and for a while after, the import's row (read straight from the database) is never failed.
        var states = new HashSet<string>();
        var starting = StartAsync(LeaseSeconds, batchSize: 100);
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
        await using var a = await StartAsync(longLease, batchSize: 100, ("Host:ShutdownTimeoutSeconds", $"{shutdownSeconds}"));
        await using var b = await StartAsync(longLease, batchSize: 100, ("Host:ShutdownTimeoutSeconds", $"{shutdownSeconds}"));
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

    private async Task<ApiProcess> StartAsync(int leaseSeconds, int batchSize, params (string Key, string Value)[] extra)
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

        return await ApiProcess.StartReadyAsync(database.ConnectionString, settings, TimeSpan.FromSeconds(120));
    }

    private static Task<(string Code, string Secret)> CreatePublisherAsync(ApiProcess api, string prefix) =>
        ImportScenario.CreatePublisherAsync(api.AdminClient(), prefix);

    private static Task<string> SendAsyncImportAsync(ApiProcess api, string secret, List<JsonObject> records) =>
        ImportScenario.SendAsyncImportAsync(api.Client(secret), records);

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

    private static Task<JsonElement> WaitForAsync(string id, ApiProcess api, Func<JsonElement, bool> until, TimeSpan? within = null) =>
        ImportScenario.WaitForAsync(api.AdminClient(), id, until, within, () => string.Join('\n', api.Output.TakeLast(40)));

    private Task<string> LeaseOwnerAsync(string id) =>
        database.Cluster.TextAsync($"SELECT lease_owner FROM registry.imports WHERE id = '{id}'");

    private static List<JsonObject> Records(string prefix, int count) => ImportScenario.Records(prefix, count);
}
