using System.Diagnostics;
using System.Net;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Cluster;

/// <summary>
/// Scheduled jobs across two real API processes on one database: feed retention, every 2 s here, runs once per period
/// in all (not once per process), and goes on after the database restarts, with both processes up; the daily status
/// job runs once for the day, not once per process.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ScheduledJobTests(ClusterDatabase database) : IClassFixture<ClusterDatabase>
{
    private const int PeriodSeconds = 2;
    private const string RunLine = "Scheduled job change-feed-retention run";

    [Fact]
    public async Task Feed_retention_runs_once_per_period_across_two_processes_and_goes_on_after_a_database_restart()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();

        // Both check four times a period; together, with no coordination, they would run eight times a period.
        var window = TimeSpan.FromSeconds(12);
        var before = await RunsAsync();
        var watch = Stopwatch.StartNew();
        await Task.Delay(window);
        var runs = await RunsAsync() - before;
        var elapsed = watch.Elapsed;

        Assert.InRange(runs, 3, (long)(elapsed.TotalSeconds / PeriodSeconds) + 1);
        // Each run was made by one process: the lines both logged are the runs counted (one may be starting as they are read).
        var counted = await RunsAsync();
        await Task.Delay(500);
        Assert.InRange(Lines(a) + Lines(b), counted, counted + 1);

        // The daily status job was due on the day's first start (the fixture's migrating process, or one of these two):
        // it ran once in all, not once per process.
        Assert.Equal(1, await database.Cluster.ScalarAsync("SELECT coalesce(max(runs), 0) FROM registry.scheduled_job_runs WHERE name = 'project-status'"));
        Assert.True(a.Output.Concat(b.Output).Count(line => line.Contains("Scheduled job project-status run", StringComparison.Ordinal)) <= 1);

        await database.Cluster.RestartAsync();
        var afterRestart = await RunsAsync();
        var deadline = Stopwatch.StartNew();
        while (await RunsAsync() < afterRestart + 2)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the job did not run again after the database restarted");
            await Task.Delay(250);
        }

        Assert.False(a.HasExited || b.HasExited, "a process stopped when the database restarted");
        await (await a.Client().GetAsync("/health/live")).AssertStatusAsync(HttpStatusCode.OK);
        await (await b.Client().GetAsync("/health/live")).AssertStatusAsync(HttpStatusCode.OK);
    }

    private Task<long> RunsAsync() =>
        database.Cluster.ScalarAsync("SELECT coalesce(max(runs), 0) FROM registry.scheduled_job_runs WHERE name = 'change-feed-retention'");

    private static long Lines(ApiProcess process) => process.Output.Count(line => line.Contains(RunLine, StringComparison.Ordinal));

    private async Task<ApiProcess> StartAsync()
    {
        return await ApiProcess.StartReadyAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Database:MigrateOnStartup"] = "false",
            ["ChangeFeed:RetentionEnabled"] = "true",
            ["Jobs:change-feed-retention:PeriodSeconds"] = $"{PeriodSeconds}",
            ["Logging:LogLevel:RuralRegistry.Infrastructure.Persistence.Jobs"] = "Information",
        }, TimeSpan.FromSeconds(120));
    }
}
