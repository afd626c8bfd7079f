using RuralRegistry.Application.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// A <see cref="ProjectFilter"/> as SQL: one condition over the derived rows of live projects (<see cref="From"/>),
/// built only from this class's fixed fragments; every value is a parameter, never SQL text.
/// </summary>
internal static class ProjectFilterSql
{
    /// <summary>
    /// What <see cref="Where"/> reads: the live projects' derived rows as <c>p</c> (registry.project_search),
    /// with their text search documents as <c>d</c> when <c>q</c> was given.
    /// </summary>
    public static string From(ProjectFilter filter) => filter.Search is null
        ? "registry.project_search p"
        : "registry.project_search p JOIN registry.project_documents d ON d.id = p.id";

    /// <summary>
    /// <see cref="From"/>, or the documents alone when <c>q</c> is the only filter and nothing else of the derived rows
    /// is read (<paramref name="readsDerivedRows"/> false): a search then reads no row of registry.project_search.
    /// </summary>
    public static string FromFor(ProjectFilter filter, bool readsDerivedRows) =>
        !readsDerivedRows && filter.OnlySearches
            ? "registry.project_documents d CROSS JOIN LATERAL (SELECT d.id) AS p"
            : From(filter);

    /// <summary>The SQL condition over <see cref="From"/>, its values added to <paramref name="sql"/>.</summary>
    public static string Where(ProjectFilter filter, SqlParameters sql) =>
        filter.Criteria.Count == 0 ? "true" : string.Join(" AND ", filter.Criteria.Select(c => "(" + Condition(c, sql) + ")"));

    private static string Condition(ProjectCriterion criterion, SqlParameters sql) => criterion switch
    {
        MatchesSearch m => $"d.document @@ to_tsquery('registry.folded', {sql.Add(m.Search.Query)})",
        HasAnyFacet f => $"p.facets && {sql.Add(f.Facets.ToArray())}",
        HasStatus s => string.Join(" OR ", s.Statuses.Select(status => StatusCondition(status, sql.Add(s.Today), sql))),
        PublishedBy u => $"p.publisher_id = ANY ({sql.Add(u.PublisherIds.ToArray())})",
        ActiveOn a => $"p.start_lo <= {sql.Add(a.LastDay)} AND p.end_hi >= {sql.Add(a.FirstDay)}",
        DateWithin d => $"{DateColumn(d.Bound)} {sql.Add(d.Day)}",
        UpdatedSince u => $"p.updated_at >= {sql.Add(u.Since)}",
        BudgetIn b => $"p.budget_currency = {sql.Add(b.Currency)}",
        BudgetAtLeast b => $"p.budget_amount >= {sql.Add(b.Amount)}",
        BudgetAtMost b => $"p.budget_amount <= {sql.Add(b.Amount)}",
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "No SQL for this criterion."),
    };

    // A partial date is stored as the first (_lo) and the last (_hi) day it may name.
    private static string DateColumn(ProjectDateBound bound) => bound switch
    {
        ProjectDateBound.StartsFrom => "p.start_hi >=",
        ProjectDateBound.StartsBy => "p.start_lo <=",
        ProjectDateBound.EndsFrom => "p.end_hi >=",
        _ => "p.end_lo <=",
    };

    /// <summary>
    /// One status as plain conditions on the date columns (the same rules as registry.project_status and
    /// ProjectContent.StatusOn, checked by StatusParityTests), which the planner can estimate and index, unlike one opaque expression.
    /// </summary>
    public static string StatusCondition(string status, string today, SqlParameters sql)
    {
        const string NotCancelled = "p.declared_status <> 'cancelled'";
        var undecided = $"(p.start_lo IS NULL OR p.start_lo <= {today}) AND (p.end_hi IS NULL OR p.end_hi >= {today}) AND (p.start_lo IS NULL OR p.end_hi IS NULL)";
        var declared = $"({undecided} AND p.declared_status = {sql.Add(status)})";
        return status switch
        {
            "cancelled" => "(p.declared_status = 'cancelled')",
            "planned" => $"({NotCancelled} AND (p.start_lo > {today} OR {declared}))",
            "completed" => $"({NotCancelled} AND ((p.end_hi < {today} AND (p.start_lo IS NULL OR p.start_lo <= {today})) OR {declared}))",
            "ongoing" => $"({NotCancelled} AND ((p.start_lo <= {today} AND p.end_hi >= {today}) OR {declared}))",
            _ => $"({NotCancelled} AND {declared})",
        };
    }
}
