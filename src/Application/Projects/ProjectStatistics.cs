using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Projects;

public sealed record ProjectStatisticsQuery(ProjectFilterInput Filter, string? GroupBy);

/// <summary>A sum of budgets in one currency.</summary>
public sealed record CurrencySum(string Currency, string Amount, long Projects);

/// <summary>The projects of one group: how many, and their total budgets per currency (never added across currencies).</summary>
public sealed record ProjectGroup(string? Key, long Projects, IReadOnlyList<CurrencySum> Budgets);

/// <summary>Counts and budget sums of the projects that pass the filters, per group.</summary>
public sealed record ProjectStatisticsResponse(string GroupBy, ProjectGroup Total, IReadOnlyList<ProjectGroup> Groups);

/// <summary>
/// Statistics for portals: the projects passing the same filters as the list, grouped by country,
/// publisher, funding measure, goal, status or start year. A project with several countries (measures,
/// goals) counts in each of their groups, so groups may add up to more than the total; a project
/// with none of them is in the group whose key is null.
/// </summary>
public sealed class ProjectStatistics(IRegistryDbContext db, TimeProvider clock)
{
    public static readonly string[] Groupings = ["country", "publisher", "fundingMeasure", "goal", "status", "startYear"];

    public async Task<Result<ProjectStatisticsResponse>> HandleAsync(ProjectStatisticsQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (query.GroupBy is null)
        {
            errors.Add(FieldError.Query("groupBy", $"Required: one of {string.Join(", ", Groupings)}."));
        }
        else if (!Groupings.Contains(query.GroupBy, StringComparer.Ordinal))
        {
            errors.Add(FieldError.Query("groupBy", $"'{query.GroupBy}' is not a grouping; one of {string.Join(", ", Groupings)}."));
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var parsed = await ProjectFilter.ParseAsync(query.Filter, db, today, cancellationToken);
        if (parsed.Failure is { } failure)
        {
            errors.AddRange(failure.Errors);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var filter = parsed.Value!;
        var sql = new SqlParameters();
        var where = filter.Where(sql);
        var (columns, join, key) = query.GroupBy switch
        {
            "country" => ("p.countries", "LEFT JOIN LATERAL unnest(f.countries) AS g(key) ON true", "g.key"),
            "publisher" => ("p.publisher_id", "JOIN registry.publishers u ON u.id = f.publisher_id", "u.code::text"),
            "fundingMeasure" => ("p.measure_ids", "LEFT JOIN LATERAL unnest(f.measure_ids) AS g(id) ON true LEFT JOIN registry.funding_measures n ON n.id = g.id", "n.scheme || ':' || n.code"),
            "goal" => ("p.goal_ids", "LEFT JOIN LATERAL unnest(f.goal_ids) AS g(id) ON true LEFT JOIN registry.goals n ON n.id = g.id", "n.scheme || ':' || n.code"),
            "status" => ("p.declared_status, p.start_lo, p.end_hi", "", $"registry.project_status(f.declared_status, f.start_lo, f.end_hi, {sql.Add(today)})"),
            _ => ("p.start_lo", "", "extract(year FROM f.start_lo)::int::text"),
        };

        // One read of the matching rows (only the columns used, kept in memory), aggregated twice: per group, and in all (a project with several
        // countries, measures or goals counts once in the total). Built from the fixed fragments above;
        // every value is a parameter.
        var statement = $"""
            WITH f AS MATERIALIZED (SELECT p.budget_currency, p.budget_amount, {columns} FROM {filter.From} WHERE {where})
            SELECT true AS "Total", NULL::text AS "Key", f.budget_currency AS "Currency", count(*) AS "Projects", sum(f.budget_amount) AS "Amount"
            FROM f GROUP BY 3
            UNION ALL
            SELECT false, {key}, f.budget_currency, count(*), sum(f.budget_amount)
            FROM f {join} GROUP BY 2, 3
            """;
        var all = await db.Database.SqlQueryRaw<Row>(statement, [.. sql.Values]).ToListAsync(cancellationToken);
        var rows = all.Where(r => !r.Total).ToList();
        var total = all.Where(r => r.Total).ToList();
        var groups = rows.GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(Group)
            .OrderByDescending(g => g.Projects)
            .ThenBy(g => g.Key is null)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        return new ProjectStatisticsResponse(query.GroupBy!, total.Count == 0 ? new ProjectGroup(null, 0, []) : Group(total.GroupBy(t => (string?)null).Single()), groups);
    }

    private static ProjectGroup Group(IGrouping<string?, Row> rows) => new(
        rows.Key,
        rows.Sum(r => r.Projects),
        [.. rows.Where(r => r.Currency is not null)
            .OrderBy(r => r.Currency, StringComparer.Ordinal)
            .Select(r => new CurrencySum(r.Currency!, (r.Amount ?? 0m).ToString(CultureInfo.InvariantCulture), r.Projects))]);

    private sealed record Row(bool Total, string? Key, string? Currency, long Projects, decimal? Amount);
}
