using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>The statistics' SQL: the projects a filter passes, read once, counted and summed in all and per group.</summary>
internal sealed class ProjectStatisticsQuery(RegistryDbContext db) : IProjectStatisticsQuery
{
    public async Task<List<ProjectStatisticsRow>> RowsAsync(ProjectFilter filter, ProjectGrouping groupBy, CancellationToken cancellationToken)
    {
        var sql = new SqlParameters();
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
        return await db.Database.SqlQueryRaw<ProjectStatisticsRow>(statement, [.. sql.Values]).ToListAsync(cancellationToken);
    }
}
