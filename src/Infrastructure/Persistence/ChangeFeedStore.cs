using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

internal sealed class ChangeFeedStore(RegistryDbContext db) : IChangeFeedStore
{
    public Task<long> SettledBoundAsync(CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<long>($"SELECT {RegistryDbContext.Schema}.change_feed_bound() AS \"Value\"").SingleAsync(cancellationToken);

    public Task<long> PrunedThroughAsync(CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<long>($"SELECT pruned_through AS \"Value\" FROM {RegistryDbContext.Schema}.change_feed_state WHERE id = 1").SingleAsync(cancellationToken);

    /// <summary>Deletes old entries below the settled bound and raises the pruned-through mark in one statement.</summary>
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<long>($"""
            WITH bound AS (SELECT registry.change_feed_bound() AS b),
                 removed AS (
                     DELETE FROM registry.changes
                      WHERE occurred_at < {olderThan} AND sequence < (SELECT b FROM bound)
                     RETURNING sequence)
            UPDATE registry.change_feed_state
               SET pruned_through = greatest(pruned_through, coalesce((SELECT max(sequence) FROM removed), 0))
             WHERE id = 1
            RETURNING pruned_through AS "Value"
            """).SingleAsync(cancellationToken);
}
