using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Removes change-feed entries older than the retention (<c>ChangeFeed:RetentionDays</c>, at least 30). Scheduled
/// once an hour across every API process (<see cref="Jobs.ScheduledJobs"/>, job <see cref="Name"/>). Cursors from
/// before the removed entries then answer 410, telling mirrors to resync. A run that fails (the database away) is
/// logged by the scheduler, and the next hour's run catches up.
/// </summary>
internal sealed class ChangeFeedRetention(IChangeFeedStore store, IConfiguration configuration, TimeProvider clock, ILogger<ChangeFeedRetention> logger) : IScheduledJob
{
    public const string Name = "change-feed-retention";
    public const int MinimumDays = 30;

    public static TimeSpan Period { get; } = TimeSpan.FromHours(1);

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var days = Math.Max(MinimumDays, configuration.GetValue("ChangeFeed:RetentionDays", MinimumDays));
        var prunedThrough = await store.PruneAsync(clock.GetUtcNow().AddDays(-days), cancellationToken);
        logger.LogInformation("Change feed kept {Days} days; entries through {PrunedThrough} removed.", days, prunedThrough);
    }
}
