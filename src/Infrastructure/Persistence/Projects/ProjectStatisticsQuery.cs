using Npgsql;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The statistics' SQL: the projects a filter passes, read once, counted and summed in all and per group; one statement
/// on plain Npgsql on the request's read route (prepared once per connection, no EF context).
/// </summary>
internal sealed class ProjectStatisticsQuery(ReadRoute route) : IProjectStatisticsQuery
{
    public async Task<List<ProjectStatisticsRow>> RowsAsync(ProjectFilter filter, ProjectGrouping groupBy, CancellationToken cancellationToken)
    {
        var sql = SqlParameters.Positional();
        var where = ProjectFilterSql.Where(filter, sql);
        var (columns, join, key) = groupBy switch
        {
            ProjectGrouping.Country => ("p.countries", "LEFT JOIN LATERAL unnest(f.countries) AS g(key) ON true", "g.key"),
            ProjectGrouping.Publisher => ("p.publisher_id", "JOIN registry.publishers u ON u.id = f.publisher_id", "u.code::text"),
            ProjectGrouping.FundingMeasure => ("p.measure_ids", "LEFT JOIN LATERAL unnest(f.measure_ids) AS g(id) ON true LEFT JOIN registry.funding_measures n ON n.id = g.id", "n.scheme || ':' || n.code"),
            ProjectGrouping.Goal => ("p.goal_ids", "LEFT JOIN LATERAL unnest(f.goal_ids) AS g(id) ON true LEFT JOIN registry.goals n ON n.id = g.id", "n.scheme || ':' || n.code"),
            ProjectGrouping.Status => ("p.status", "", "f.status"),
            _ => ("p.start_lo", "", "extract(year FROM f.start_lo)::int::text"),
        };

        // One read of the matching rows (only the columns used, kept in memory), aggregated twice: per group, and in all (a project with several
        // countries, measures or goals counts once in the total). Built from the fixed fragments above;
        // every value is a parameter.
        var statement = $"""
            WITH f AS MATERIALIZED (SELECT p.budget_currency, p.budget_amount, {columns} FROM {ProjectFilterSql.From(filter)} WHERE {where})
            SELECT true AS "Total", NULL::text AS "Key", f.budget_currency AS "Currency", count(*) AS "Projects", sum(f.budget_amount) AS "Amount"
            FROM f GROUP BY 3
            UNION ALL
            SELECT false, {key}, f.budget_currency, count(*), sum(f.budget_amount)
            FROM f {join} GROUP BY 2, 3
            """;
        await using var connection = await route.DataSource.OpenConnectionAsync(cancellationToken);
        route.Note(connection);
        await using var command = new NpgsqlCommand(statement, connection);
        sql.AddTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ProjectStatisticsRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ProjectStatisticsRow(
                reader.GetBoolean(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4)));
        }

        return rows;
    }
}
