using System.Globalization;
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
public sealed class ProjectStatistics(Lazy<IRegistryDbContext> db, IProjectSearchTerms terms, IProjectStatisticsQuery statistics)
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

        var parsed = await ProjectFilter.ParseAsync(query.Filter, db, terms, cancellationToken);
        if (parsed.Failure is { } failure)
        {
            errors.AddRange(failure.Errors);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var all = await statistics.RowsAsync(parsed.Value!, Enum.Parse<ProjectGrouping>(query.GroupBy!, ignoreCase: true), cancellationToken);
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

    private static ProjectGroup Group(IGrouping<string?, ProjectStatisticsRow> rows) => new(
        rows.Key,
        rows.Sum(r => r.Projects),
        [.. rows.Where(r => r.Currency is not null)
            .OrderBy(r => r.Currency, StringComparer.Ordinal)
            .Select(r => new CurrencySum(r.Currency!, (r.Amount ?? 0m).ToString(CultureInfo.InvariantCulture), r.Projects))]);
}

/// <summary>What statistics group projects by (the values of <c>groupBy</c>, case aside).</summary>
public enum ProjectGrouping
{
    Country,
    Publisher,
    FundingMeasure,
    Goal,
    Status,
    StartYear,
}
