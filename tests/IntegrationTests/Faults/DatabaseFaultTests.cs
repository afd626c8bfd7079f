using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RuralRegistry.Application.Imports;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Faults;

/// <summary>
/// The API while its PostgreSQL restarts or stops (a cluster of the class's own, stopped with <c>pg_ctl -m fast</c>):
/// the process stays up, every import reaches an end with counts equal to the database, a request the database cannot
/// serve is a 503 problem with Retry-After (never a 500), and the API serves again once the database is back.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DatabaseFaultTests(FaultsApiFactory api) : IClassFixture<FaultsApiFactory>
{
    private const string Ndjson = "application/x-ndjson";

    /// <summary>How long after the database is back an interrupted import must have reached its end: a lease, a beat and the final save's backoff.</summary>
    private static readonly TimeSpan EndsWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_async_import_during_a_database_restart_ends_with_counts_equal_to_the_database_and_the_api_stays_up()
    {
        var publisher = await api.CreatePublisherAsync("restart");
        var accepted = await ImportAsync(publisher.Client, Records("restart", 3_000), ("Prefer", "respond-async"));
        var location = (await accepted.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString();
        await WaitForProgressAsync($"SELECT processed FROM registry.imports WHERE id = '{location}'");

        await api.Cluster.RestartAsync();

        var import = await WaitForEndAsync(publisher.Client, $"/v1/imports/{location}");
        Assert.False(Lifetime.ApplicationStopping.IsCancellationRequested, "the host began to stop");
        await AssertCountsEqualDatabaseAsync(import, publisher.Code);
        if (import.GetProperty("state").GetString() == "failed")
        {
            Assert.Contains("Send the import again", import.GetProperty("note").GetString());
        }

        await (await api.CreateClient().GetAsync("/health/ready")).AssertStatusAsync(HttpStatusCode.OK);
        await (await publisher.Client.GetAsync("/v1/projects?pageSize=1")).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_sync_import_cut_off_by_an_outage_answers_503_naming_the_import_ends_failed_and_its_key_runs_it_again()
    {
        var publisher = await api.CreatePublisherAsync("outage");
        var records = Records("outage", 2_000);
        var key = Guid.NewGuid().ToString();
        var sending = ImportAsync(publisher.Client, records, ("Idempotency-Key", key));
        await WaitForProgressAsync($"SELECT coalesce(max(processed), 0) FROM registry.imports WHERE idempotency_key = '{key}'");

        await api.Cluster.StopAsync();
        HttpResponseMessage answer;
        try
        {
            answer = await sending;
        }
        finally
        {
            await api.Cluster.StartAgainAsync();
        }

        var problem = await answer.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.True(answer.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        var id = problem.GetProperty("importId").GetString();
        Assert.Equal($"/v1/imports/{id}", answer.Headers.Location?.OriginalString);
        Assert.Contains(id!, problem.GetProperty("detail").GetString());
        Assert.Contains("committed", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("processed").GetInt32() > 0, "the answer does not say what was kept");

        var failed = await WaitForEndAsync(publisher.Client, $"/v1/imports/{id}");
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        await AssertCountsEqualDatabaseAsync(failed, publisher.Code);

        var retried = await ImportAsync(publisher.Client, records, ("Idempotency-Key", key));
        var report = await retried.AssertStatusAsync(HttpStatusCode.OK);
        Assert.NotEqual(id, report.GetProperty("import").GetProperty("id").GetString());
        Assert.Equal(records.Count, report.GetProperty("import").GetProperty("counts").GetProperty("processed").GetInt32());
        Assert.Equal(records.Count, await ProjectCountAsync(publisher.Code));
        var replayed = await ImportAsync(publisher.Client, records, ("Idempotency-Key", key));
        await replayed.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Contains(report.GetProperty("import").GetProperty("id").GetString()!,
            (await (await publisher.Client.GetAsync($"/v1/imports/{id}")).AssertStatusAsync(HttpStatusCode.OK)).GetProperty("note").GetString());
    }

    [Fact]
    public async Task With_the_database_stopped_every_request_that_needs_it_is_a_503_problem_with_retry_after_until_it_is_back()
    {
        var publisher = await api.CreatePublisherAsync("down");
        var written = await (await publisher.Client.PutProjectAsync("down-0", RegistryClients.Project())).AssertStatusAsync(HttpStatusCode.Created);
        var id = written.GetProperty("id").GetString();
        var anonymous = api.CreateClient();

        await api.Cluster.StopAsync();
        try
        {
            var requests = new (HttpClient Client, HttpMethod Method, string Uri, HttpContent? Body)[]
            {
                (anonymous, HttpMethod.Get, "/v1/projects", null),
                (anonymous, HttpMethod.Get, $"/v1/projects/{id}", null),
                (anonymous, HttpMethod.Get, "/v1/projects?q=wspolpraca", null),
                (anonymous, HttpMethod.Get, "/v1/partners", null),
                (anonymous, HttpMethod.Get, "/v1/funding-measures", null),
                (anonymous, HttpMethod.Get, "/v1/stats/projects?groupBy=country", null),
                (anonymous, HttpMethod.Get, "/v1/changes", null),
                (anonymous, HttpMethod.Get, "/v1/publishers", null),
                (anonymous, HttpMethod.Get, "/health/ready", null),
                (publisher.Client, HttpMethod.Get, "/v1/imports", null),
                (publisher.Client, HttpMethod.Put, "/v1/projects/external/down-1", RegistryClients.JsonBody(RegistryClients.Project())),
                (publisher.Client, HttpMethod.Delete, $"/v1/projects/{id}", null),
                (publisher.Client, HttpMethod.Post, "/v1/imports/projects", new StringContent(Records("down", 3).ToNdjson(), Encoding.UTF8, Ndjson)),
                (api.CreateAdminClient(), HttpMethod.Post, "/v1/publishers", RegistryClients.JsonBody("""{"code": "down-new", "name": "Down"}""")),
            };
            foreach (var (client, method, uri, body) in requests)
            {
                var response = await client.SendAsync(method, uri, body);
                var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{method} {uri}: Retry-After is missing");
                Assert.DoesNotContain("unexpected", problem.GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            await api.Cluster.StartAgainAsync();
        }

        var back = Stopwatch.StartNew();
        await (await anonymous.GetAsync($"/v1/projects/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        await (await anonymous.GetAsync("/health/ready")).AssertStatusAsync(HttpStatusCode.OK);
        await (await publisher.Client.PutProjectAsync("down-1", RegistryClients.Project())).AssertStatusAsync(HttpStatusCode.Created);
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(5), $"recovery took {back.Elapsed}");
        Assert.Equal(2, await ProjectCountAsync(publisher.Code));
    }

    [Fact]
    public async Task A_second_request_with_the_same_key_while_the_first_runs_answers_409_in_progress()
    {
        var publisher = await api.CreatePublisherAsync("busy");
        var records = Records("busy", 1_500);
        var key = Guid.NewGuid().ToString();
        var first = await ImportAsync(publisher.Client, records, ("Prefer", "respond-async"), ("Idempotency-Key", key));
        var id = (await first.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString();

        var second = await ImportAsync(publisher.Client, records, ("Idempotency-Key", key));

        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("in progress", problem.GetProperty("title").GetString());
        Assert.Equal(id, problem.GetProperty("importId").GetString());
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.Equal($"/v1/imports/{id}", second.Headers.Location?.OriginalString);

        var done = await WaitForEndAsync(publisher.Client, $"/v1/imports/{id}");
        Assert.Equal("completed", done.GetProperty("state").GetString());
        var replay = await ImportAsync(publisher.Client, records, ("Idempotency-Key", key));
        await replay.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(records.Count, await ProjectCountAsync(publisher.Code));
    }

    [Fact]
    public async Task An_import_left_running_by_a_dead_process_is_ended_when_its_lease_lapses_and_a_live_one_is_not()
    {
        // The import meters count an import ended by the sweep as they count one its run ended: its duration by state,
        // and the records its committed batches kept. (The Faults collection runs alone, so these are this class's.)
        var durations = new ConcurrentBag<string>();
        var records = new ConcurrentBag<(string Outcome, long Count)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ImportTelemetry.Name && instrument.Name is ImportTelemetry.DurationName or ImportTelemetry.RecordsName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) => durations.Add(Tag(tags, ImportTelemetry.StateTag)));
        meters.SetMeasurementEventCallback<long>((_, count, tags, _) => records.Add((Tag(tags, ImportTelemetry.OutcomeTag), count)));
        meters.Start();
        var publisher = await api.CreatePublisherAsync("lease");
        var done = await (await ImportAsync(publisher.Client, Records("lease", 7))).AssertStatusAsync(HttpStatusCode.OK);
        var dead = done.GetProperty("import").GetProperty("id").GetString();

        // A process that died part-way: its row still says running, two batches' report rows are committed, and the
        // lease it renewed last runs out in a second. Nobody renews it.
        await api.Cluster.ScalarAsync(
            $"""
            UPDATE registry.imports SET state = 'Running', finished_at = NULL, result_status = NULL, processed = 1, created = 1,
                   lease_owner = 'dead-host/1/0', lease_expires_at = now() + interval '1 second' WHERE id = '{dead}' RETURNING 1
            """);
        await api.Cluster.ScalarAsync($"DELETE FROM registry.import_records WHERE import_id = '{dead}' AND position >= 5 RETURNING 1");
        var live = await ImportAsync(publisher.Client, Records("lease-live", 600), ("Prefer", "respond-async"));
        var liveId = (await live.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString();

        var watch = Stopwatch.StartNew();
        var ended = await WaitForEndAsync(publisher.Client, $"/v1/imports/{dead}");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(FaultsApiFactory.LeaseSeconds * 2 + 1), $"the lapsed lease was noticed after {watch.Elapsed}");
        Assert.Equal("failed", ended.GetProperty("state").GetString());
        Assert.Contains("lease lapsed", ended.GetProperty("note").GetString());
        Assert.Equal(5, ended.GetProperty("counts").GetProperty("processed").GetInt32());
        Assert.Equal(5, ended.GetProperty("counts").GetProperty("created").GetInt32());
        var liveEnd = await WaitForEndAsync(publisher.Client, $"/v1/imports/{liveId}");
        Assert.Equal("completed", liveEnd.GetProperty("state").GetString());

        // Recorded just after the sweep's statement returns, so it may trail the GET that saw the import failed.
        for (var waited = Stopwatch.StartNew(); !(durations.Contains("failed") && records.Contains(("created", 5))) && waited.Elapsed < TimeSpan.FromSeconds(5);)
        {
            await Task.Delay(50);
        }

        Assert.Contains("failed", durations);
        Assert.Contains(("created", 5L), records);
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return (string)tag.Value!;
            }
        }

        return "";
    }

    [Fact]
    public async Task A_stuck_import_is_stopped_and_ended_failed_without_waiting_for_a_restart()
    {
        var publisher = await api.CreatePublisherAsync("stuck");
        string? id;
        var watch = Stopwatch.StartNew();
        await using (var connection = new Npgsql.NpgsqlConnection(api.Cluster.ConnectionString("Pooling=false")))
        {
            // Every batch waits on the projects table while this transaction holds it: the import makes no progress.
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE registry.projects IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            var accepted = await ImportAsync(publisher.Client, Records("stuck", 20), ("Prefer", "respond-async"));
            id = (await accepted.AssertStatusAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString();
            var ended = await WaitForEndAsync(publisher.Client, $"/v1/imports/{id}");

            Assert.Equal("failed", ended.GetProperty("state").GetString());
            Assert.Contains("no progress", ended.GetProperty("note").GetString());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(FaultsApiFactory.StallSeconds + FaultsApiFactory.LeaseSeconds + 5), $"ended after {watch.Elapsed}");
            Assert.Equal(0, await api.Cluster.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"));
            await transaction.RollbackAsync();
        }

        await AssertCountsEqualDatabaseAsync(
            await (await publisher.Client.GetAsync($"/v1/imports/{id}")).AssertStatusAsync(HttpStatusCode.OK), publisher.Code);
    }

    [Fact]
    public async Task A_background_job_that_fails_does_not_end_the_host()
    {
        var job = api.Services.GetServices<IHostedService>().OfType<FaultsApiFactory.FailingJob>().Single();
        for (var i = 0; i < 50 && !job.Failed; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(job.Failed);
        Assert.False(Lifetime.ApplicationStopping.IsCancellationRequested, "the host began to stop");
        await (await api.CreateClient().GetAsync("/health/ready")).AssertStatusAsync(HttpStatusCode.OK);
    }

    private IHostApplicationLifetime Lifetime => api.Services.GetRequiredService<IHostApplicationLifetime>();

    /// <summary>The import's counts are what the database holds: its report rows, and the publisher's projects.</summary>
    private async Task AssertCountsEqualDatabaseAsync(JsonElement import, string publisher)
    {
        var id = import.GetProperty("id").GetString();
        var counts = import.GetProperty("counts");
        Assert.Equal(await api.Cluster.ScalarAsync($"SELECT count(*) FROM registry.import_records WHERE import_id = '{id}' AND index IS NOT NULL"), counts.GetProperty("processed").GetInt32());
        Assert.Equal(await ProjectCountAsync(publisher), counts.GetProperty("created").GetInt32());
        if (import.GetProperty("state").GetString() == "completed")
        {
            Assert.Equal(counts.GetProperty("total").GetInt32(), counts.GetProperty("processed").GetInt32());
        }

        // Each record whole: every project the import wrote has its search row (written in the same transaction).
        Assert.Equal(0, await api.Cluster.ScalarAsync(
            $"SELECT count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id LEFT JOIN registry.project_search s ON s.id = p.id WHERE u.code = '{publisher}' AND p.deleted_at IS NULL AND s.id IS NULL"));
    }

    private async Task WaitForProgressAsync(string sql)
    {
        var watch = Stopwatch.StartNew();
        while (await api.Cluster.ScalarAsync(sql) == 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the import made no progress");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls an import until it ended; while the database is away the poll may answer 503, never anything else.</summary>
    private static async Task<JsonElement> WaitForEndAsync(HttpClient client, string location)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < EndsWithin)
        {
            var response = await client.GetAsync(location);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            }
            else
            {
                var import = await response.AssertStatusAsync(HttpStatusCode.OK);
                if (import.GetProperty("state").GetString() is "completed" or "failed")
                {
                    return import;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{location} did not end within {EndsWithin}.");
    }

    private Task<long> ProjectCountAsync(string publisher) => api.Cluster.ScalarAsync(
        $"SELECT count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id WHERE u.code = '{publisher}' AND p.deleted_at IS NULL");

    private static List<JsonObject> Records(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var record = RegistryClients.Project();
        record["externalId"] = $"{prefix}-{i}";
        record["title"] = new JsonObject { ["pl"] = $"Projekt {prefix} {i}" };
        record["countries"] = new JsonArray("PL");
        return record;
    })];

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, List<JsonObject> records, params (string Name, string Value)[] headers) =>
        client.SendAsync(HttpMethod.Post, "/v1/imports/projects", new StringContent(records.ToNdjson(), Encoding.UTF8, Ndjson), headers);
}

internal static class NdjsonExtensions
{
    public static string ToNdjson(this IEnumerable<JsonObject> records) => string.Join('\n', records.Select(r => r.ToJsonString())) + "\n";
}
