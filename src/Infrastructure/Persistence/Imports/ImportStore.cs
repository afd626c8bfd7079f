using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Infrastructure.Persistence.Bulk;

namespace RuralRegistry.Infrastructure.Persistence.Imports;

/// <summary>
/// The import's bookkeeping: fingerprints and report rows by binary COPY on the unit of work's own connection (and
/// so in its open transaction; see <see cref="BulkTables"/>), and the import's state on a connection of its own.
/// </summary>
internal sealed class ImportStore(RegistryDbContext db) : IImportStore
{
    private readonly BulkTables _tables = BulkTables.For(db.Model);

    // Read once: the import's progress is saved while another thread runs the import's statements on this unit of work.
    private readonly string? _connectionString = db.Database.GetConnectionString();

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task<long> ReferenceMarkAsync(CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<long>(
                """
                SELECT GREATEST(
                    (SELECT coalesce(max(version), 0) FROM registry.partners WHERE updated_at > created_at OR deleted_at IS NOT NULL),
                    (SELECT coalesce(max(version), 0) FROM registry.funding_measures),
                    (SELECT coalesce(max(version), 0) FROM registry.goals)) AS "Value"
                """)
            .SingleAsync(cancellationToken);

    public async Task<Dictionary<string, (Guid ProjectId, byte[]? Fingerprint)>> FingerprintsAsync(
        Guid publisherId, IReadOnlyList<string> externalIds, long mark, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (Guid, byte[]?)>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT p.external_id, p.id,
                       CASE WHEN p.deleted_at IS NULL THEN
                           (SELECT f.fingerprint FROM registry.import_fingerprints f WHERE f.project_id = p.id AND f.version = p.version AND f.mark = $3)
                       END
                  FROM registry.projects p
                 WHERE p.publisher_id = $1 AND p.external_id = ANY($2)
                """,
                Connection);
            command.Parameters.Add(new NpgsqlParameter { Value = publisherId });
            command.Parameters.Add(new NpgsqlParameter { Value = externalIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = mark });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = (reader.GetGuid(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return found;
    }

    public async Task SaveFingerprintsAsync(
        IReadOnlyList<(Guid ProjectId, long Version, byte[] Fingerprint, bool IsNew)> fingerprints, long mark, CancellationToken cancellationToken)
    {
        // A project created in this transaction has no fingerprint yet: its rows go by COPY. The others replace
        // theirs in one statement.
        await _tables.Fingerprints.WriteAsync(
            Connection, [.. fingerprints.Where(f => f.IsNew).Select(f => new FingerprintRow(f.ProjectId, f.Version, mark, f.Fingerprint))], cancellationToken);

        var stored = fingerprints.Where(f => !f.IsNew).ToList();
        if (stored.Count == 0)
        {
            return;
        }

        // The columns as BulkTables.Fingerprints names them: project, version, mark, fingerprint.
        var columns = _tables.Fingerprints.Columns;
        var (project, version, marked, fingerprint) = (columns[0], columns[1], columns[2], columns[3]);
        await using var upsert = new NpgsqlCommand(
            $"""
            INSERT INTO {_tables.Fingerprints.Schema}.{_tables.Fingerprints.Table} ({project}, {version}, {marked}, {fingerprint})
            SELECT f.{project}, f.{version}, $4, f.{fingerprint} FROM unnest($1, $2, $3) AS f({project}, {version}, {fingerprint})
            ON CONFLICT ({project}) DO UPDATE SET {version} = excluded.{version}, {marked} = excluded.{marked}, {fingerprint} = excluded.{fingerprint}
            """,
            Connection);
        upsert.Parameters.Add(new NpgsqlParameter { Value = stored.Select(f => f.ProjectId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        upsert.Parameters.Add(new NpgsqlParameter { Value = stored.Select(f => f.Version).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        upsert.Parameters.Add(new NpgsqlParameter { Value = stored.Select(f => f.Fingerprint).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        upsert.Parameters.Add(new NpgsqlParameter { Value = mark });
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddOutcomesAsync(Guid importId, IReadOnlyList<ImportOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await _tables.ImportRecords.WriteAsync(Connection, [.. outcomes.Select(o => (importId, o))], cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task SaveStateAsync(Import import, CancellationToken cancellationToken)
    {
        (string Property, object? Value, NpgsqlDbType Type)[] values =
        [
            (nameof(Import.State), import.State.ToString(), NpgsqlDbType.Varchar),
            (nameof(Import.ResultStatus), (int?)import.ResultStatus, NpgsqlDbType.Integer),
            (nameof(Import.Processed), import.Processed, NpgsqlDbType.Integer),
            (nameof(Import.Created), import.Created, NpgsqlDbType.Integer),
            (nameof(Import.Updated), import.Updated, NpgsqlDbType.Integer),
            (nameof(Import.Unchanged), import.Unchanged, NpgsqlDbType.Integer),
            (nameof(Import.Failed), import.Failed, NpgsqlDbType.Integer),
            (nameof(Import.Deleted), import.Deleted, NpgsqlDbType.Integer),
            (nameof(Import.Error), import.Error, NpgsqlDbType.Varchar),
            (nameof(Import.StartedAt), import.StartedAt, NpgsqlDbType.TimestampTz),
            (nameof(Import.FinishedAt), import.FinishedAt, NpgsqlDbType.TimestampTz),
            (nameof(Import.UpdatedAt), import.UpdatedAt, NpgsqlDbType.TimestampTz),
        ];
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(SaveStateSql(values.Select(v => v.Property)), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = import.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)import.LeaseOwner ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        foreach (var (_, value, type) in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The UPDATE of an import's state, its columns named as the model maps the properties given ($1 the id, $2 its lease owner, then one each).</summary>
    private string SaveStateSql(IEnumerable<string> properties)
    {
        var set = properties.Select((property, i) => $"{ModelColumns.Name<Import>(db.Model, property)} = ${i + 3}");
        return $"UPDATE {ModelColumns.Table<Import>(db.Model)} SET {string.Join(", ", set)} " +
            $"WHERE {ModelColumns.Name<Import>(db.Model, nameof(Import.Id))} = $1 AND {ModelColumns.Name<Import>(db.Model, nameof(Import.LeaseOwner))} IS NOT DISTINCT FROM $2";
    }

    public async Task HoldAsync(Guid importId, string owner, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                "SELECT 1 FROM registry.imports WHERE id = $1 AND lease_owner = $2 AND state IN ('Queued', 'Running') FOR KEY SHARE", Connection);
            command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = owner, NpgsqlDbType = NpgsqlDbType.Varchar });
            if (await command.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new ImportLeaseLostException(importId);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task<ImportResume> CommittedAsync(Guid importId, CancellationToken cancellationToken)
    {
        var done = new HashSet<int>();
        var seen = new List<((Guid, string), int)>();
        var counts = ImportCounts.None;
        var next = 0;
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT r.position, r.index, r.status, r.external_id, p.publisher_id
              FROM registry.import_records r LEFT JOIN registry.projects p ON p.id = r.project_id
             WHERE r.import_id = $1
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            next = Math.Max(next, reader.GetInt32(0) + 1);
            var status = Enum.Parse<ImportRecordStatus>(reader.GetString(2));
            counts = counts.Add(status);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var index = reader.GetInt32(1);
            done.Add(index);
            if (status != ImportRecordStatus.Failed && !reader.IsDBNull(3) && !reader.IsDBNull(4))
            {
                seen.Add(((reader.GetGuid(4), reader.GetString(3)), index));
            }
        }

        return new ImportResume(done, counts, seen, next);
    }

    public async Task ForgetOutcomesAsync(Guid importId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM registry.import_records WHERE import_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
