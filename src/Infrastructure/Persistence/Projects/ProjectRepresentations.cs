using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// Keeps <c>registry.project_representations</c>: renders the projects a unit of work refreshes
/// (<see cref="Application.Projects.ProjectRendering"/>, reading them in the open transaction), writes their bytes in
/// one statement (a binary COPY for projects the unit created, an upsert for the others), and removes the rows of those
/// no longer live. Only <see cref="ProjectSearchIndex"/> calls it.
/// </summary>
internal static class ProjectRepresentations
{
    private const string Upsert =
        "INSERT INTO registry.project_representations (id, body) SELECT * FROM unnest($1::uuid[], $2::bytea[]) " +
        "ON CONFLICT (id) DO UPDATE SET body = excluded.body";

    private const string Copy = "COPY registry.project_representations (id, body) FROM STDIN (FORMAT BINARY)";

    private const string RemoveGone = "DELETE FROM registry.project_representations WHERE id = ANY($1)";

    /// <summary>
    /// Renders, a thousand per transaction, the live projects that have no stored representation (those written before
    /// the table existed: the migration that adds it cannot render C#). Each batch first takes a share lock on its
    /// projects' rows, so a write racing it either commits before the batch reads them or waits and renders after it.
    /// </summary>
    public static async Task<int> BackfillAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        var total = 0;
        var after = Guid.Empty;
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = await db.Database.SqlQuery<Guid>($"""
                SELECT p.id AS "Value" FROM registry.projects p
                WHERE p.id > {after} AND p.deleted_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM registry.project_representations r WHERE r.id = p.id)
                ORDER BY p.id LIMIT 1000 FOR SHARE OF p
                """).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return total;
            }

            await RenderAsync(db, ids, [], new HashSet<Guid>(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += ids.Count;
            after = ids[^1];
        }
    }

    /// <summary>
    /// Renders and stores the representations of these projects: those in <paramref name="written"/> (live objects the
    /// unit just wrote in bulk) from the objects in hand, the others read back in the transaction. Those in
    /// <paramref name="created"/> have no stored representation yet (the unit created them): theirs are copied in.
    /// </summary>
    public static async Task RenderAsync(
        RegistryDbContext db, IReadOnlyList<Guid> ids, IReadOnlyList<Domain.Projects.Project> written, IReadOnlySet<Guid> created, CancellationToken cancellationToken)
    {
        var inHand = written.Where(p => !p.IsDeleted).ToList();
        var handled = inHand.Select(p => p.Id).ToHashSet();
        var rendered = await db.Rendering.RenderWrittenAsync(db, inHand, cancellationToken);
        var rest = ids.Where(id => !handled.Contains(id)).ToList();
        if (rest.Count > 0)
        {
            rendered.AddRange(await db.Rendering.RenderAsync(db, rest, cancellationToken));
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), ids, rendered, created, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection, IReadOnlyList<Guid> ids, List<(Guid Id, byte[] Body)> rendered, IReadOnlySet<Guid> created, CancellationToken cancellationToken)
    {
        var replaced = rendered.Where(r => !created.Contains(r.Id)).ToList();
        if (replaced.Count > 0)
        {
            await using var upsert = new NpgsqlCommand(Upsert, connection);
            upsert.Parameters.Add(new NpgsqlParameter { Value = replaced.Select(r => r.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            upsert.Parameters.Add(new NpgsqlParameter { Value = replaced.Select(r => r.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (replaced.Count < rendered.Count)
        {
            // A first import's rows: one binary COPY, as the projects themselves were written.
            await using var copy = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
            foreach (var (id, body) in rendered.Where(r => created.Contains(r.Id)))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(body, NpgsqlDbType.Bytea, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (rendered.Count < ids.Count)
        {
            var live = rendered.Select(r => r.Id).ToHashSet();
            await using var remove = new NpgsqlCommand(RemoveGone, connection);
            remove.Parameters.Add(new NpgsqlParameter { Value = ids.Where(id => !live.Contains(id)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await remove.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
