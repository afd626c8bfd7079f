using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

internal sealed class ChangeFeedStore(RegistryDbContext db, ReadRoute route) : IChangeFeedStore
{
    /// <summary>
    /// On the primary: its advisory locks and its sequence decide the bound (a standby has neither). When this request
    /// reads from the replicas (an export), the bound is taken on the primary with the primary's WAL position, and the
    /// request's connection is opened and held until its server has replayed up to that position, so the read that
    /// follows on it (the export's snapshot) holds every change below the bound.
    /// </summary>
    public async Task<long> SettledBoundAsync(CancellationToken cancellationToken)
    {
        if (!route.OnReplicas)
        {
            return await Single(db.Database.SqlQueryRaw<long>($"SELECT {RegistryDbContext.Schema}.change_feed_bound() AS \"Value\""), cancellationToken);
        }

        long bound;
        string lsn;
        await using (var primary = await route.Primary.OpenConnectionAsync(cancellationToken))
        await using (var command = new NpgsqlCommand($"SELECT {RegistryDbContext.Schema}.change_feed_bound(), pg_current_wal_lsn()::text", primary))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            bound = reader.GetInt64(0);
            lsn = reader.GetString(1);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        await route.CatchUpAsync(db.Database.GetDbConnection(), lsn, cancellationToken);
        return bound;
    }

    public Task<long> NewestAsync(CancellationToken cancellationToken) =>
        Single(db.Database.SqlQueryRaw<long>($"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS \"Value\" FROM {RegistryDbContext.Schema}.change_seq"), cancellationToken);

    public Task<long> PrunedThroughAsync(CancellationToken cancellationToken) =>
        Single(db.Database.SqlQueryRaw<long>($"SELECT pruned_through AS \"Value\" FROM {RegistryDbContext.Schema}.change_feed_state WHERE id = 1"), cancellationToken);

    /// <summary>Deletes old entries below the settled bound and raises the pruned-through mark in one statement.</summary>
    public Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        Single(db.Database.SqlQuery<long>($"""
            WITH bound AS (SELECT registry.change_feed_bound() AS b),
                 removed AS (
                     DELETE FROM registry.changes
                      WHERE occurred_at < {olderThan} AND sequence < (SELECT b FROM bound)
                     RETURNING sequence)
            UPDATE registry.change_feed_state
               SET pruned_through = greatest(pruned_through, coalesce((SELECT max(sequence) FROM removed), 0))
             WHERE id = 1
            RETURNING pruned_through AS "Value"
            """), cancellationToken);

    /// <summary>Runs the statement as written: composing on it (as SingleAsync would) cannot wrap a data-modifying statement.</summary>
    private static async Task<long> Single(IQueryable<long> statement, CancellationToken cancellationToken) =>
        (await statement.ToListAsync(cancellationToken)).Single();
}
