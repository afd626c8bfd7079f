using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// The date-driven status job: a project's status is stamped with each of its versions (as of the write unit's day,
/// UTC), so a project whose start or end date passes keeps its old status until this job restamps it, as a change
/// like any other (a new version, ETag, <c>updatedAt</c> and a change-feed entry). One run restamps every live
/// project whose status as of today differs from its stored one, in batches of <see cref="BatchSize"/> projects, each
/// batch one transaction under a PostgreSQL advisory lock: runs of several API processes at once take turns batch
/// by batch, and each project is restamped once. A second run the same day finds nothing to do. What runs it, and
/// when, is the scheduler's (<c>ProjectStatusSchedule</c> in Web: on start-up, then daily).
/// </summary>
public sealed class ProjectStatusJob(IRegistryDbContext db, IProjectWrites writes, IChangeLog changes)
{
    /// <summary>The lock batches of this job take (a named advisory lock, held until the batch's transaction ends).</summary>
    public const string LockName = "job:project-status";

    public const int DefaultBatchSize = 1000;

    /// <summary>How many projects one transaction restamps at most.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Restamps every project whose status changed with the date; returns how many it restamped.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var after = Guid.Empty;
        while (true)
        {
            var restamped = await RunBatchAsync(after, cancellationToken);
            total += restamped.Count;
            if (restamped.Count > 0)
            {
                after = restamped[^1];
            }
            else if (after != Guid.Empty)
            {
                // The walk reached the last id (or a batch all of whose projects another writer had restamped meanwhile):
                // one more walk from the first id finds any left behind; a walk that finds none ends the run.
                after = Guid.Empty;
            }
            else
            {
                return total;
            }
        }
    }

    private async Task<IReadOnlyList<Guid>> RunBatchAsync(Guid after, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await changes.LockAsync([LockName], cancellationToken);
        var restamped = await writes.RestampAsync(new ProjectRestamp.StatusOutdated(after, BatchSize), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return restamped;
    }
}
