using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Imports;

namespace RuralRegistry.Infrastructure.Persistence.Imports;

/// <summary>
/// Import leases on connections of their own (a heartbeat must not wait for an import's open transaction). The
/// lapsed imports are picked <c>FOR UPDATE SKIP LOCKED</c>, the shape several processes need to share the work.
/// </summary>
internal sealed class ImportLeaseStore(RegistryDbContext db) : IImportLeaseStore
{
    private const string Unfinished = "state IN ('Queued', 'Running')";

    private readonly string? _connectionString = db.Database.GetConnectionString();

    public async Task RenewAsync(IReadOnlyCollection<Guid> importIds, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (importIds.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            $"UPDATE registry.imports SET lease_expires_at = now() + $3 WHERE id = ANY($1) AND lease_owner = $2 AND {Unfinished}",
            [Ids(importIds), new NpgsqlParameter { Value = owner }, new NpgsqlParameter { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval }],
            cancellationToken);
    }

    public Task ReleaseAsync(Guid importId, string owner, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE registry.imports SET lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2",
            [new NpgsqlParameter { Value = importId }, new NpgsqlParameter { Value = owner }],
            cancellationToken);

    public Task<int> EndLapsedAsync(string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(
            EndSql($"SELECT id FROM registry.imports WHERE {Unfinished} AND (lease_expires_at IS NULL OR lease_expires_at < now()) FOR UPDATE SKIP LOCKED"),
            [Reason(reason)],
            cancellationToken);

    public async Task<bool> FailAsync(Guid importId, string reason, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            EndSql($"SELECT id FROM registry.imports WHERE id = $2 AND {Unfinished} FOR UPDATE"),
            [Reason(reason), new NpgsqlParameter { Value = importId }],
            cancellationToken) > 0;

    /// <summary>
    /// Ends the chosen imports as failed. Their counts come from their report rows: a batch's rows are committed with
    /// its records, so the counts are what the database kept, whatever the runner last managed to save.
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
        """;

    private static NpgsqlParameter Reason(string reason) =>
        new() { Value = reason.Length > Domain.Imports.Import.ErrorMaxLength ? reason[..Domain.Imports.Import.ErrorMaxLength] : reason, NpgsqlDbType = NpgsqlDbType.Varchar };

    private static NpgsqlParameter Ids(IReadOnlyCollection<Guid> ids) =>
        new() { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };

    private async Task<int> ExecuteAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
