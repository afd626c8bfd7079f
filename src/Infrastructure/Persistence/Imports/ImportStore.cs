using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Infrastructure.Persistence.Json;

namespace RuralRegistry.Infrastructure.Persistence.Imports;

/// <summary>
/// The import's bulk path: rows go to PostgreSQL by binary COPY on the unit of work's own connection (and so in
/// its open transaction), changed projects through a temporary table and one UPDATE ... FROM guarded by their
/// stored versions. Columns are written as EF Core maps them (jsonb through <see cref="DocumentJson"/>, enums
/// by name), so either path reads what the other wrote.
/// </summary>
internal sealed class ImportStore(RegistryDbContext db) : IImportStore
{
    // Read once: the import's progress is saved while another thread runs the import's statements on this unit of work.
    private readonly string? _connectionString = db.Database.GetConnectionString();

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    public async Task WriteProjectsAsync(IReadOnlyList<Project> created, IReadOnlyList<(Project Project, long StoredVersion)> updated, CancellationToken cancellationToken)
    {
        try
        {
            await InsertProjectsAsync(created, cancellationToken);
            await UpdateProjectsAsync(updated, cancellationToken);
            var all = created.Concat(updated.Select(u => u.Project)).ToList();
            await CopyLinksAsync(all, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DbUpdateException("Another write created one of the batch's projects meanwhile.", exception);
        }
    }

    private async Task InsertProjectsAsync(IReadOnlyList<Project> projects, CancellationToken cancellationToken)
    {
        await CopyAsync(
            "COPY registry.projects (id, publisher_id, external_id, content, languages, version, created_at, updated_at, deleted_at) FROM STDIN (FORMAT BINARY)",
            projects,
            (copy, p) =>
            {
                copy.Write(p.Id, NpgsqlDbType.Uuid);
                copy.Write(p.PublisherId, NpgsqlDbType.Uuid);
                copy.Write(p.ExternalId, NpgsqlDbType.Varchar);
                copy.Write(DocumentJson.SerializeToUtf8Bytes(p.Content), NpgsqlDbType.Jsonb);
                copy.Write(p.Languages, NpgsqlDbType.Array | NpgsqlDbType.Text);
                copy.Write(p.Version, NpgsqlDbType.Bigint);
                copy.Write(p.CreatedAt, NpgsqlDbType.TimestampTz);
                copy.Write(p.UpdatedAt, NpgsqlDbType.TimestampTz);
                copy.WriteNull();
            },
            cancellationToken);
    }

    private async Task UpdateProjectsAsync(IReadOnlyList<(Project Project, long StoredVersion)> updated, CancellationToken cancellationToken)
    {
        if (updated.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            "CREATE TEMP TABLE IF NOT EXISTS import_changed (id uuid, stored_version bigint, content jsonb, languages text[], version bigint, updated_at timestamptz) ON COMMIT DROP; TRUNCATE import_changed",
            cancellationToken);
        await CopyAsync(
            "COPY import_changed (id, stored_version, content, languages, version, updated_at) FROM STDIN (FORMAT BINARY)",
            updated,
            (copy, row) =>
            {
                copy.Write(row.Project.Id, NpgsqlDbType.Uuid);
                copy.Write(row.StoredVersion, NpgsqlDbType.Bigint);
                copy.Write(DocumentJson.SerializeToUtf8Bytes(row.Project.Content), NpgsqlDbType.Jsonb);
                copy.Write(row.Project.Languages, NpgsqlDbType.Array | NpgsqlDbType.Text);
                copy.Write(row.Project.Version, NpgsqlDbType.Bigint);
                copy.Write(row.Project.UpdatedAt, NpgsqlDbType.TimestampTz);
            },
            cancellationToken);

        var written = await ExecuteAsync(
            """
            UPDATE registry.projects p
               SET content = c.content, languages = c.languages, version = c.version, updated_at = c.updated_at, deleted_at = NULL
              FROM import_changed c
             WHERE p.id = c.id AND p.version = c.stored_version
            """,
            cancellationToken);
        if (written != updated.Count)
        {
            throw new DbUpdateConcurrencyException($"{updated.Count - written} of the batch's projects changed while it was written.");
        }

        var ids = updated.Select(u => u.Project.Id).ToArray();
        foreach (var table in new[] { "project_partners", "project_funding_measures", "project_goals" })
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM registry.{table} WHERE project_id = ANY($1)", Connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task CopyLinksAsync(IReadOnlyList<Project> projects, CancellationToken cancellationToken)
    {
        await CopyAsync(
            "COPY registry.project_partners (project_id, partner_id, role, budget_share, position) FROM STDIN (FORMAT BINARY)",
            [.. projects.SelectMany(p => p.Partners)],
            (copy, link) =>
            {
                copy.Write(link.ProjectId, NpgsqlDbType.Uuid);
                copy.Write(link.PartnerId, NpgsqlDbType.Uuid);
                WriteNullable(copy, link.Role?.ToString(), NpgsqlDbType.Varchar);
                WriteNullable(copy, link.BudgetShare is null ? null : DocumentJson.SerializeToUtf8Bytes(link.BudgetShare), NpgsqlDbType.Jsonb);
                copy.Write(link.Position, NpgsqlDbType.Integer);
            },
            cancellationToken);
        await CopyAsync(
            "COPY registry.project_funding_measures (project_id, funding_measure_id, position) FROM STDIN (FORMAT BINARY)",
            [.. projects.SelectMany(p => p.FundingMeasures)],
            (copy, link) =>
            {
                copy.Write(link.ProjectId, NpgsqlDbType.Uuid);
                copy.Write(link.FundingMeasureId, NpgsqlDbType.Uuid);
                copy.Write(link.Position, NpgsqlDbType.Integer);
            },
            cancellationToken);
        await CopyAsync(
            "COPY registry.project_goals (project_id, goal_id, relevance, position) FROM STDIN (FORMAT BINARY)",
            [.. projects.SelectMany(p => p.Goals)],
            (copy, link) =>
            {
                copy.Write(link.ProjectId, NpgsqlDbType.Uuid);
                copy.Write(link.GoalId, NpgsqlDbType.Uuid);
                WriteNullable(copy, link.Relevance?.ToString(), NpgsqlDbType.Varchar);
                copy.Write(link.Position, NpgsqlDbType.Integer);
            },
            cancellationToken);
    }

    public async Task AddChangesAsync(IReadOnlyList<Change> changes, CancellationToken cancellationToken)
    {
        await CopyAsync(
            "COPY registry.changes (sequence, record_type, record_id, operation, publisher_id, occurred_at) FROM STDIN (FORMAT BINARY)",
            changes,
            (copy, change) =>
            {
                copy.Write(change.Sequence, NpgsqlDbType.Bigint);
                copy.Write(change.RecordType.ToString(), NpgsqlDbType.Varchar);
                copy.Write(change.RecordId, NpgsqlDbType.Uuid);
                copy.Write(change.Operation.ToString(), NpgsqlDbType.Varchar);
                WriteNullable(copy, change.PublisherId, NpgsqlDbType.Uuid);
                copy.Write(change.OccurredAt, NpgsqlDbType.TimestampTz);
            },
            cancellationToken);
    }

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
        await CopyAsync(
            "COPY registry.import_fingerprints (project_id, version, mark, fingerprint) FROM STDIN (FORMAT BINARY)",
            [.. fingerprints.Where(f => f.IsNew)],
            (copy, f) =>
            {
                copy.Write(f.ProjectId, NpgsqlDbType.Uuid);
                copy.Write(f.Version, NpgsqlDbType.Bigint);
                copy.Write(mark, NpgsqlDbType.Bigint);
                copy.Write(f.Fingerprint, NpgsqlDbType.Bytea);
            },
            cancellationToken);

        var stored = fingerprints.Where(f => !f.IsNew).ToList();
        if (stored.Count == 0)
        {
            return;
        }

        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO registry.import_fingerprints (project_id, version, mark, fingerprint)
            SELECT f.project_id, f.version, $4, f.fingerprint FROM unnest($1, $2, $3) AS f(project_id, version, fingerprint)
            ON CONFLICT (project_id) DO UPDATE SET version = excluded.version, mark = excluded.mark, fingerprint = excluded.fingerprint
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
            await CopyAsync(
                "COPY registry.import_records (import_id, position, index, external_id, project_id, status, problem) FROM STDIN (FORMAT BINARY)",
                outcomes,
                (copy, outcome) =>
                {
                    var record = outcome.Record;
                    copy.Write(importId, NpgsqlDbType.Uuid);
                    copy.Write(outcome.Position, NpgsqlDbType.Integer);
                    WriteNullable(copy, record.Index, NpgsqlDbType.Integer);
                    WriteNullable(copy, record.ExternalId, NpgsqlDbType.Varchar);
                    WriteNullable(copy, record.Id, NpgsqlDbType.Uuid);
                    copy.Write(record.Status.ToString(), NpgsqlDbType.Varchar);
                    WriteNullable(copy, record.Problem is null ? null : JsonSerializer.Serialize(record.Problem, ImportProjects.ProblemJson), NpgsqlDbType.Jsonb);
                },
                cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task SaveStateAsync(Import import, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            UPDATE registry.imports
               SET state = $2, result_status = $3, processed = $4, created = $5, updated = $6, unchanged = $7, failed = $8, deleted = $9,
                   error = $10, started_at = $11, finished_at = $12, updated_at = $13
             WHERE id = $1
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = import.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = import.State.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)(int?)import.ResultStatus ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        foreach (var count in new[] { import.Processed, import.Created, import.Updated, import.Unchanged, import.Failed, import.Deleted })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = count });
        }

        command.Parameters.Add(new NpgsqlParameter { Value = (object?)import.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)import.StartedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)import.FinishedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = import.UpdatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Rows by binary COPY (nothing sent when there are none).</summary>
    private async Task CopyAsync<T>(string command, IReadOnlyCollection<T> rows, Action<NpgsqlBinaryImporter, T> write, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await Connection.BeginBinaryImportAsync(command, cancellationToken);
        foreach (var row in rows)
        {
            copy.StartRow();
            write(copy, row);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, type);
        }
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
