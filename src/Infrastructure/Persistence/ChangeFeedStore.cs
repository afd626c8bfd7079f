using Microsoft.EntityFrameworkCore;
using System.Globalization;
using Npgsql;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Infrastructure.Persistence;

internal sealed class ChangeFeedStore(RegistryDbContext db, ReadRoute route) : IChangeFeedStore
{
    private const string BoundStatement = $"SELECT {RegistryDbContext.Schema}.change_feed_bound()";

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
            return await Single(db.Database.SqlQueryRaw<long>($"{BoundStatement} AS \"Value\""), cancellationToken);
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

    /// <summary>
    /// The bound first, in a statement of its own: a change that commits after the page's snapshot was taken must not
    /// be below the bound, so the snapshot is taken after the bound is. Then the pruned-through mark and the page in one
    /// statement, so retention cannot remove entries between them (its delete and its mark commit together).
    /// </summary>
    public async Task<ChangeFeedRows> PageAsync(
        long after, IReadOnlyList<RecordType> types, Guid? publisherId, int take, bool projectBodies, CancellationToken cancellationToken)
    {
        await using var connection = await route.Primary.OpenConnectionAsync(cancellationToken);
        long bound;
        await using (var command = new NpgsqlCommand(BoundStatement, connection))
        {
            bound = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var sql = SqlParameters.Positional();
        var afterParameter = sql.Add(after);
        var conditions = $"c.sequence > {afterParameter} AND c.sequence < {sql.Add(bound)} AND s.pruned <= {afterParameter}";
        if (types.Count > 0)
        {
            conditions += $" AND c.record_type = ANY({sql.Add(types.Select(t => t.ToString()).ToArray())})";
        }

        if (publisherId is { } publisher)
        {
            conditions += $" AND c.publisher_id = {sql.Add(publisher)}";
        }

        var bodies = projectBodies
            ? $"LEFT JOIN {RegistryDbContext.Schema}.project_representations r ON c.record_type = {sql.Add(nameof(RecordType.Project))} AND c.operation = {sql.Add(nameof(ChangeOperation.Upsert))} AND r.id = c.record_id "
            : "";
        var statement =
            $"SELECT s.pruned, c.sequence, c.record_type, c.record_id, c.operation, c.occurred_at, c.publisher_id, u.code, {(projectBodies ? "r.body" : "NULL::bytea")} " +
            $"FROM (SELECT coalesce((SELECT pruned_through FROM {RegistryDbContext.Schema}.change_feed_state WHERE id = 1), 0) AS pruned) AS s " +
            $"LEFT JOIN LATERAL (SELECT c.* FROM {RegistryDbContext.Schema}.changes c WHERE {conditions} ORDER BY c.sequence LIMIT {take.ToString(CultureInfo.InvariantCulture)}) AS c ON true " +
            $"LEFT JOIN {RegistryDbContext.Schema}.publishers u ON u.id = c.publisher_id " +
            bodies +
            "ORDER BY c.sequence";
        await using var page = new NpgsqlCommand(statement, connection);
        sql.AddTo(page);
        await using var reader = await page.ExecuteReaderAsync(cancellationToken);
        long pruned = 0;
        var rows = new List<ChangeFeedRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pruned = reader.GetInt64(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var change = new Change(
                reader.GetInt64(1),
                Enum.Parse<RecordType>(reader.GetString(2)),
                reader.GetGuid(3),
                Enum.Parse<ChangeOperation>(reader.GetString(4)),
                reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.GetFieldValue<DateTimeOffset>(5));
            rows.Add(new ChangeFeedRow(
                change,
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : new StoredJson(reader.GetFieldValue<byte[]>(8))));
        }

        return new ChangeFeedRows(bound, pruned, rows);
    }

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
