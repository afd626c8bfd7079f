using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Infrastructure.Persistence.Derived;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The reads of stored representations (<see cref="ProjectRepresentation"/>). A project by id is one prepared statement
/// on the request's read route (<see cref="ReadRoute.DataSource"/>: a standby for an anonymous read when replicas are
/// configured, else the primary; no EF, no pool reset); exports read through the unit of work's context, so they see
/// its snapshot (list pages and the feed read theirs with their keys: <see cref="ProjectListQuery"/>,
/// <see cref="ChangeFeedStore"/>). The context is taken from the request's services only when an export asks for it:
/// making one (its options, its services) cost a GET by id more than its one statement.
/// </summary>
internal sealed class StoredProjectQueries(IServiceProvider services, ReadRoute route) : IStoredProjects
{
    private RegistryDbContext Db => services.GetRequiredService<RegistryDbContext>();

    // The version and deleted state from the project's row; the body only when the caller does not hold that version,
    // so a 304 reads no representation at all.
    private const string ById =
        "SELECT p.version, p.deleted_at, $3 OR p.version = ANY($2), CASE WHEN $3 OR p.version = ANY($2) THEN NULL ELSE r.body END " +
        "FROM registry.projects p LEFT JOIN registry.project_representations r ON r.id = p.id WHERE p.id = $1";

    public async Task<StoredProject?> FindAsync(Guid id, IReadOnlyList<long> heldVersions, bool holdsAny, CancellationToken cancellationToken)
    {
        await using var connection = await route.DataSource.OpenConnectionAsync(cancellationToken);
        route.Note(connection);
        await using var command = new NpgsqlCommand(ById, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter { Value = heldVersions as long[] ?? [.. heldVersions], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = holdsAny });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredProject(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            reader.GetBoolean(2),
            reader.IsDBNull(3) ? null : new StoredJson(reader.GetFieldValue<byte[]>(3)));
    }

    public async Task<List<(Guid Id, StoredJson Body)>> MatchingAsync(ProjectFilter filter, Guid? after, int limit, CancellationToken cancellationToken)
    {
        var db = Db;
        var representations = db.Set<ProjectRepresentation>().AsNoTracking();
        if (filter.HasConditions)
        {
            var sql = new SqlParameters();
            var statement = "SELECT r.* FROM registry.project_representations r " +
                $"WHERE r.id IN (SELECT p.id FROM {ProjectFilterSql.From(filter)} WHERE {ProjectFilterSql.Where(filter, sql)})";
            representations = db.Set<ProjectRepresentation>().FromSqlRaw(statement, [.. sql.Values]).AsNoTracking();
        }

        if (after is { } last)
        {
            representations = representations.Where(r => r.Id > last);
        }

        var rows = await representations.OrderBy(r => r.Id).Take(limit).Select(r => new { r.Id, r.Body }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, new StoredJson(r.Body)))];
    }
}
