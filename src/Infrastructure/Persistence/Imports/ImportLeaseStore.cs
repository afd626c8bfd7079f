using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Imports;

namespace RuralRegistry.Infrastructure.Persistence.Imports;

/// <summary>
/// Import leases on connections of their own (a heartbeat must not wait for an import's open transaction). Imports
/// are claimed <c>FOR UPDATE SKIP LOCKED</c>, so several processes share the work without waiting on each other; a
/// row an import's open batch holds <c>FOR KEY SHARE</c> (<see cref="ImportStore.HoldAsync"/>) is skipped until it commits.
/// </summary>
internal sealed class ImportLeaseStore(RegistryDbContext db) : IImportLeaseStore
{
    private const string Unfinished = "state IN ('Queued', 'Running')";

    private readonly string? _connectionString = db.Database.GetConnectionString();

    public async Task<IReadOnlySet<Guid>> RenewAsync(IReadOnlyCollection<Guid> importIds, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var held = new HashSet<Guid>();
        if (importIds.Count == 0)
        {
            return held;
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"UPDATE registry.imports SET lease_expires_at = now() + $3 WHERE id = ANY($1) AND lease_owner = $2 AND {Unfinished} RETURNING id", connection);
        command.Parameters.AddRange(new[] { Ids(importIds), Owner(owner), Interval(lease) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(reader.GetGuid(0));
        }

        return held;
    }

    public async Task<ClaimedImport?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE registry.imports i SET lease_owner = $1, lease_expires_at = now() + $2, attempts = i.attempts + 1
             WHERE i.id = (SELECT id FROM registry.imports
                            WHERE {Unfinished} AND (lease_expires_at IS NULL OR lease_expires_at < now())
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING i.id, i.attempts
            """,
            connection);
        command.Parameters.AddRange(new[] { Owner(owner), Interval(lease) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ClaimedImport(reader.GetGuid(0), reader.GetInt32(1)) : null;
    }

    public Task ReleaseAsync(Guid importId, string owner, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE registry.imports SET lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2",
            [new NpgsqlParameter { Value = importId }, Owner(owner)],
            cancellationToken);

    public Task<IReadOnlyList<FailedImport>> EndLapsedWithoutBodyAsync(string reason, CancellationToken cancellationToken) =>
        EndAsync(
            EndSql(
                $"""
                SELECT id FROM registry.imports i
                 WHERE {Unfinished} AND (lease_expires_at IS NULL OR lease_expires_at < now())
                   AND NOT EXISTS (SELECT 1 FROM registry.import_body_chunks c WHERE c.import_id = i.id AND c.sequence = 0)
                 FOR UPDATE SKIP LOCKED
                """),
            [Reason(reason)],
            cancellationToken);

    public async Task<FailedImport?> FailAsync(Guid importId, string owner, string reason, CancellationToken cancellationToken) =>
        (await EndAsync(
            EndSql($"SELECT id FROM registry.imports WHERE id = $2 AND lease_owner = $3 AND {Unfinished} FOR UPDATE"),
            [Reason(reason), new NpgsqlParameter { Value = importId }, Owner(owner)],
            cancellationToken)).SingleOrDefault();

    private static NpgsqlParameter Owner(string owner) => new() { Value = owner, NpgsqlDbType = NpgsqlDbType.Varchar };

    private static NpgsqlParameter Interval(TimeSpan span) => new() { Value = span, NpgsqlDbType = NpgsqlDbType.Interval };

    /// <summary>
    /// Ends the chosen imports as failed. Their counts come from their report rows: a batch's rows are committed with
    /// its records, so the counts are what the database kept, whatever the runner last managed to save. Returns each
    /// import ended (<see cref="EndAsync"/> reads them).
    /// </summary>
    private static string EndSql(string chosen) =>
        $"""
        WITH chosen AS ({chosen}),
        counted AS (
            SELECT c.id,
                   count(r.position) FILTER (WHERE r.index IS NOT NULL) AS processed,
                   count(r.position) FILTER (WHERE r.status = 'Created') AS created,
                   count(r.position) FILTER (WHERE r.status = 'Updated') AS updated,
                   count(r.position) FILTER (WHERE r.status = 'Unchanged') AS unchanged,
                   count(r.position) FILTER (WHERE r.status = 'Failed') AS failed,
                   count(r.position) FILTER (WHERE r.status = 'Deleted') AS deleted
              FROM chosen c LEFT JOIN registry.import_records r ON r.import_id = c.id
             GROUP BY c.id)
        UPDATE registry.imports i
           SET state = 'Failed', result_status = NULL, error = $1, finished_at = now(), updated_at = now(), lease_expires_at = NULL,
               processed = n.processed, created = n.created, updated = n.updated, unchanged = n.unchanged, failed = n.failed, deleted = n.deleted
          FROM counted n
         WHERE i.id = n.id
        RETURNING i.id, i.dry_run, i.finished_at - coalesce(i.started_at, i.created_at), i.processed, i.created, i.updated, i.unchanged, i.failed, i.deleted
        """;

    private static NpgsqlParameter Reason(string reason) =>
        new() { Value = reason.Length > Domain.Imports.Import.ErrorMaxLength ? reason[..Domain.Imports.Import.ErrorMaxLength] : reason, NpgsqlDbType = NpgsqlDbType.Varchar };

    private static NpgsqlParameter Ids(IReadOnlyCollection<Guid> ids) =>
        new() { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };

    private async Task<IReadOnlyList<FailedImport>> EndAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ended = new List<FailedImport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var counts = new Domain.Imports.ImportCounts(
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8));
            ended.Add(new FailedImport(reader.GetGuid(0), reader.GetBoolean(1), reader.GetTimeSpan(2), counts));
        }

        return ended;
    }

    private async Task<int> ExecuteAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
