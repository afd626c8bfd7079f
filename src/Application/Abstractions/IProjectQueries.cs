using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Abstractions;

/// <summary>The keys of a page of projects, and the projects a filter passes; implemented over the derived search rows.</summary>
public interface IProjectListQuery
{
    /// <summary>The snapshot the open transaction reads in, as text a later page hands back to <see cref="KeysAsync"/>.</summary>
    Task<string> CurrentSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> live projects that pass the filter, in the sort's order, after the key
    /// <paramref name="after"/> (none: from the start), and only in their versions <paramref name="snapshot"/> saw (none: as now).
    /// </summary>
    Task<List<ProjectKeyRow>> KeysAsync(
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
    /// <summary>The words of <paramref name="q"/>, split and folded as the search documents are, in order.</summary>
    Task<List<string>> WordsAsync(string q, CancellationToken cancellationToken);

    /// <summary>For each word, up to 8 known words one edit away (never the word itself).</summary>
    Task<List<SearchTermVariant>> VariantsAsync(string[] words, CancellationToken cancellationToken);
}

public sealed record SearchTermVariant(string Word, string Term);

public sealed record ProjectStatisticsRow(bool Total, string? Key, string? Currency, long Projects, decimal? Amount);
