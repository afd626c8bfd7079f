using System.Globalization;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Projects;

/// <summary>The orders a project list can be read in.</summary>
public enum ProjectSortKey
{
    /// <summary>Title matches first, then by rank (needs a search).</summary>
    Relevance,

    /// <summary>The latest written first (by version).</summary>
    RecentlyUpdated,

    /// <summary>The earliest possible start first; no start last.</summary>
    StartDate,

    /// <summary>The latest possible start first; no start last.</summary>
    StartDateDescending,

    /// <summary>By the folded title.</summary>
    Title,
}

/// <summary>What a sort key's text holds in a page token.</summary>
public enum SortKeyType
{
    Integer,
    Float,
    Date,
    Text,
}

/// <summary>
/// How each sort orders rows, with the project id as the last tie-breaker so the order is total, and what a
/// page token carries to resume after a row: the sort key as text, and the id where it breaks ties.
/// </summary>
public sealed record ProjectSort(ProjectSortKey Key, SortKeyType KeyType, bool Descending, bool WithId, bool IdAscendingWhenDescending = false)
{
    public bool IsRelevance => Key == ProjectSortKey.Relevance;

    public int KeyLength => WithId ? 2 : 1;

    public static ProjectSort For(string sort) => sort switch
    {
        ListProjects.Relevance => new(ProjectSortKey.Relevance, SortKeyType.Float, Descending: true, WithId: true, IdAscendingWhenDescending: true),
        "startDate" => new(ProjectSortKey.StartDate, SortKeyType.Date, Descending: false, WithId: true),
        "-startDate" => new(ProjectSortKey.StartDateDescending, SortKeyType.Date, Descending: true, WithId: true),
        "title" => new(ProjectSortKey.Title, SortKeyType.Text, Descending: false, WithId: true),
        _ => new(ProjectSortKey.RecentlyUpdated, SortKeyType.Integer, Descending: true, WithId: false),
    };

    public bool IsValidKey(IReadOnlyList<string> key)
    {
        var valid = KeyType switch
        {
            SortKeyType.Integer => long.TryParse(key[0], NumberStyles.None, CultureInfo.InvariantCulture, out _),
            SortKeyType.Float => double.TryParse(key[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && double.IsFinite(score),
            SortKeyType.Date => key[0] is "infinity" or "-infinity" || DateOnly.TryParseExact(key[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            _ => key[0].Length <= 200,
        };
        return valid && (!WithId || Guid.TryParse(key[1], out _));
    }

    public IEnumerable<string> KeyOf(ProjectKeyRow row) => WithId ? [row.K, row.Id.ToString()] : [row.K];
}

/// <summary>One row of a keyset query: the project, its sort key as text, and its stored representation when read.</summary>
public sealed record ProjectKeyRow(Guid Id, string K, StoredJson? Body = null);
