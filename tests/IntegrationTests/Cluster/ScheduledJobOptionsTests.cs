using RuralRegistry.Infrastructure.Persistence.Jobs;

namespace RuralRegistry.IntegrationTests.Cluster;

/// <summary>When a scheduled job is due: a period after the last run's start, or, for a daily job, after the day's time.</summary>
public sealed class ScheduledJobOptionsTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_periodic_job_is_due_when_no_run_started_within_the_period()
    {
        var hourly = new ScheduledJobOptions("hourly", TimeSpan.FromHours(1));
        Assert.Equal(Noon.AddHours(-1), hourly.DueAfterRunsBefore(Noon));
        Assert.Equal(TimeSpan.FromMinutes(1), hourly.Retry);
        Assert.Equal(TimeSpan.FromSeconds(2), new ScheduledJobOptions("fast", TimeSpan.FromSeconds(2)).Retry);
    }

    [Fact]
    public void A_daily_job_is_due_when_no_run_started_since_the_latest_daily_time()
    {
        var daily = new ScheduledJobOptions("daily", TimeSpan.FromDays(1), new TimeSpan(0, 5, 0));
        // After 00:05 the day's run is due unless one started since 00:05 today; before it, since 00:05 yesterday.
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 5, 0, TimeSpan.Zero), daily.DueAfterRunsBefore(Noon));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 5, 0, TimeSpan.Zero), daily.DueAfterRunsBefore(new DateTimeOffset(2026, 12, 3, 0, 5, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 5, 0, TimeSpan.Zero), daily.DueAfterRunsBefore(new DateTimeOffset(2026, 12, 3, 0, 4, 59, TimeSpan.Zero)));
        // The day is UTC's, whatever offset the clock reports.
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 5, 0, TimeSpan.Zero), daily.DueAfterRunsBefore(new DateTimeOffset(2026, 12, 3, 1, 0, 0, TimeSpan.FromHours(2))));
    }
}
