using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// The date-driven status job: a project's status is stamped with each of its versions (as of the write unit's day,
/// UTC), so a project whose start or end date passes keeps its old status until this job restamps it, as a change
/// like any other (a new version, ETag, <c>updatedAt</c> and a change-feed entry). One run restamps every live
/// project whose status as of today differs from its stored one, in batches of <see cref="BatchSize"/> projects, each
/// batch one transaction under a PostgreSQL advisory lock: runs of several API processes at once take turns batch
/// by batch, and each project is restamped once; a batch that lost a race (a deadlock with a bulk write) runs again
/// (<see cref="RegistryResilience.UnitOfWork"/>). A second run the same day finds nothing to do. It is scheduled as
/// the daily job <see cref="JobName"/> (Infrastructure's <c>ScheduledJobs</c>: once a day after
/// <see cref="DefaultDailyAtUtc"/> UTC across every API process, and on start-up when the day's run is not made yet).
/// </summary>
public sealed class ProjectStatusJob(IRegistryDbContext db, IProjectWrites writes, IChangeLog changes, RegistryResilience resilience) : IScheduledJob
{
    /// <summary>The lock batches of this job take (a named advisory lock, held until the batch's transaction ends).</summary>
    public const string LockName = "job:project-status";

    public const int DefaultBatchSize = 1000;

    /// <summary>How many projects one transaction restamps at most.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Walks from the first id to the last this many times at most (a walk that finds nothing ends the run first).</summary>
    public const int MaxWalks = 3;

    /// <summary>The job's name in <c>scheduled_job_runs</c> and its configuration (<c>Jobs:project-status:DailyAtUtc</c>, <c>:Enabled</c>).</summary>
    public const string JobName = "project-status";

    /// <summary>When it runs each day unless configured otherwise: 00:05 UTC.</summary>
    public static readonly TimeSpan DefaultDailyAtUtc = new(0, 5, 0);

    Task IScheduledJob.RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>Restamps every project whose status changed with the date; returns how many it restamped.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        for (var walk = 0; walk < MaxWalks; walk++)
        {
            // A walk in id order, batch after batch. A second walk finds any project a first one left behind (a batch all
            // of whose projects another writer restamped meanwhile ends a walk early); a walk that restamps nothing ends the run.
            var inWalk = 0;
            var after = Guid.Empty;
            while (await RunBatchAsync(after, cancellationToken) is { Count: > 0 } restamped)
            {
                inWalk += restamped.Count;
                after = restamped[^1];
            }

            total += inWalk;
            if (inWalk == 0)
            {
                break;
            }
        }

        return total;
    }

    private Task<IReadOnlyList<Guid>> RunBatchAsync(Guid after, CancellationToken cancellationToken) =>
        resilience.RunAsync(
            async token =>
            {
                await using var transaction = await db.BeginTransactionAsync(token);
                await changes.LockAsync([LockName], token);
                var restamped = await writes.RestampAsync(new ProjectRestamp.StatusOutdated(after, BatchSize), token);
                await transaction.CommitAsync(token);
                return restamped;
            },
            db.ChangeTracker.Clear,
            cancellationToken);
}
