using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Abstractions;

/// <summary>The keys of a page of projects, and the projects a filter passes; implemented over the derived search rows.</summary>
public interface IProjectListQuery
{
    /// <summary>
    /// Up to <paramref name="limit"/> live projects that pass the filter, in the sort's order, after the key
    /// <paramref name="after"/> (none: from the start), only in their versions <paramref name="snapshot"/> saw (none:
    /// as now), each with its stored representation; and the snapshot the page was read in, as text a later page hands
    /// back. Reads on a connection of its own, outside the unit of work.
    /// </summary>
    Task<ProjectPageRows> PageAsync(
        ProjectFilter filter, ProjectSort sort, string? snapshot, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken);

    /// <summary>The live projects that pass, as a query the caller may order and page further.</summary>
    IQueryable<Project> Matching(ProjectFilter filter);
}

/// <summary>Counts and budget sums of the projects a filter passes, per group.</summary>
public interface IProjectStatisticsQuery
{
    /// <summary>One row per currency in all (<see cref="ProjectStatisticsRow.Total"/>), and one per group and currency.</summary>
    Task<List<ProjectStatisticsRow>> RowsAsync(ProjectFilter filter, ProjectGrouping groupBy, CancellationToken cancellationToken);
}

/// <summary>The words of a search as the store folds them, and the known words one typo away.</summary>
public interface IProjectSearchTerms
{
    /// <summary>
    /// One statement: the words of <paramref name="q"/>, split and folded as the search documents are, in order, each
    /// once; and for each word of at least <paramref name="typoMinLength"/> characters up to 8 known words one edit
    /// away (never the word itself), unless <paramref name="q"/> has more than <paramref name="maxWords"/> words.
    /// </summary>
    Task<SearchTerms> TermsAsync(string q, int typoMinLength, int maxWords, CancellationToken cancellationToken);
}

/// <summary>The words of a search, and the near words found for them.</summary>
public sealed record SearchTerms(List<string> Words, List<SearchTermVariant> Variants);

/// <summary>A page of keys (with their bodies) and the snapshot it was read in.</summary>
public sealed record ProjectPageRows(string Snapshot, List<ProjectKeyRow> Rows);

public sealed record SearchTermVariant(string Word, string Term);

public sealed record ProjectStatisticsRow(bool Total, string? Key, string? Currency, long Projects, decimal? Amount);
