using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Abstractions;

/// <summary>What the change feed needs of the store beyond plain queries.</summary>
public interface IChangeFeedStore
{
    /// <summary>
    /// The settled bound: every change numbered below it has committed or never will, so handing those
    /// out skips nothing. Numbers from it on may belong to transactions still open.
    /// </summary>
    Task<long> SettledBoundAsync(CancellationToken cancellationToken);

    /// <summary>The newest change number a writer has taken, committed or not (0 before the first).</summary>
    Task<long> NewestAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A page of the feed in two statements on one connection to the primary (plain Npgsql, prepared, no transaction):
    /// the settled bound (<see cref="SettledBoundAsync"/>); then, in one snapshot taken after it, the highest change
    /// number removed by retention and, unless that is above <paramref name="after"/>, up to <paramref name="take"/>
    /// changes numbered after <paramref name="after"/> and below the bound, in order (of these types when any are
    /// given, of this publisher when one is), each with its publisher's code and, when <paramref name="projectBodies"/>,
    /// a project upsert's stored representation (none once the project is deleted).
    /// </summary>
    Task<ChangeFeedRows> PageAsync(long after, IReadOnlyList<RecordType> types, Guid? publisherId, int take, bool projectBodies, CancellationToken cancellationToken);

    /// <summary>Removes feed entries that occurred before <paramref name="olderThan"/>; returns the new pruned-through number.</summary>
    Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>A page of feed rows as <see cref="IChangeFeedStore.PageAsync"/> read them.</summary>
/// <param name="Bound">The settled bound the page was read below.</param>
/// <param name="PrunedThrough">The highest change number removed by retention, in the page's snapshot; cursors below it cannot resume.</param>
/// <param name="Rows">The changes (none when <paramref name="PrunedThrough"/> is above the cursor).</param>
public sealed record ChangeFeedRows(long Bound, long PrunedThrough, List<ChangeFeedRow> Rows);

/// <summary>One change with its publisher's code and, when asked for, its project's stored representation.</summary>
public sealed record ChangeFeedRow(Change Change, string? Publisher, StoredJson? Body);
