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
        // The stored status (stamped at each write, restamped by the status job as days pass), as GET shows it.
        HasStatus s => $"p.status = ANY ({sql.Add(s.Statuses.ToArray())})",
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
}
