using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The SQL of <see cref="IProjectWrites.RestampAsync"/>: one statement locks the scope's live projects in id order, a
/// second gives them (those still in scope) their next change numbers, <c>updated_at</c>, status and feed entries. The
/// second runs on a fresh snapshot, after the locks are held, so it reads what concurrent writers committed meanwhile.
/// </summary>
internal static class ProjectRestampSql
{
    /// <summary>The status a project shows on a day (registry.project_status mirrors ProjectContent.StatusOn; RuleParityTests).</summary>
    private const string StatusOn = "registry.project_status(s.declared_status, s.start_lo, s.end_hi, $2)";

    public static async Task<Guid[]> LockAsync(NpgsqlConnection connection, ProjectRestamp scope, DateOnly today, CancellationToken cancellationToken)
    {
        var (members, key) = scope switch
        {
            ProjectRestamp.NamingPartner x => ("SELECT l.project_id FROM registry.project_partners l WHERE l.partner_id = $1", (object)x.PartnerId),
            ProjectRestamp.NamingMeasure x => ("SELECT l.project_id FROM registry.project_funding_measures l WHERE l.funding_measure_id = $1", x.MeasureId),
            ProjectRestamp.NamingGoal x => ("SELECT l.project_id FROM registry.project_goals l WHERE l.goal_id = $1", x.GoalId),
            // A node's facet is on every project that names it or a node below it.
            ProjectRestamp.UnderMeasure x => ("SELECT s.id FROM registry.project_search s WHERE s.facets @> ARRAY[$1]", ProjectFacets.FundingMeasure + x.MeasureId),
            ProjectRestamp.UnderGoal x => ("SELECT s.id FROM registry.project_search s WHERE s.facets @> ARRAY[$1]", ProjectFacets.Goal + x.GoalId),
            ProjectRestamp.StatusOutdated x => (
                $"SELECT s.id FROM registry.project_search s WHERE s.id > $1 AND s.status IS DISTINCT FROM {StatusOn} ORDER BY s.id LIMIT $3",
                x.After),
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "No SQL for this restamp."),
        };

        await using var command = new NpgsqlCommand(
            $"SELECT p.id FROM registry.projects p WHERE p.id IN ({members}) AND p.deleted_at IS NULL ORDER BY p.id FOR UPDATE OF p",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = today, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = scope is ProjectRestamp.StatusOutdated s ? s.Limit : 0 });
        return await ReadIdsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Stamps the locked projects (with <paramref name="onlyOutdated"/>, those whose status still differs): numbers in id
    /// order from registry.take_change_numbers, one feed entry each.
    /// </summary>
    public static async Task<Guid[]> StampAsync(
        NpgsqlConnection connection, Guid[] ids, bool onlyOutdated, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            WITH targets AS MATERIALIZED (
                SELECT p.id, p.publisher_id, {StatusOn} AS status, row_number() OVER (ORDER BY p.id) AS i
                FROM registry.projects p JOIN registry.project_search s ON s.id = p.id
                WHERE p.id = ANY ($1) AND p.deleted_at IS NULL AND (NOT $3 OR p.status IS DISTINCT FROM {StatusOn})),
            numbers AS MATERIALIZED (
                SELECT n, row_number() OVER (ORDER BY n) AS i FROM registry.take_change_numbers((SELECT count(*)::int FROM targets)) AS n),
            stamped AS (
                UPDATE registry.projects p SET version = n.n, updated_at = $4, status = t.status
                FROM targets t JOIN numbers n ON n.i = t.i
                WHERE p.id = t.id
                RETURNING p.id, p.version, p.publisher_id),
            fed AS (
                INSERT INTO registry.changes (sequence, record_type, record_id, operation, publisher_id, occurred_at)
                SELECT version, 'Project', id, 'Upsert', publisher_id, $4 FROM stamped)
            SELECT id FROM stamped ORDER BY id
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = today, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = onlyOutdated });
        command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await ReadIdsAsync(command, cancellationToken);
    }

    private static async Task<Guid[]> ReadIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }
}
