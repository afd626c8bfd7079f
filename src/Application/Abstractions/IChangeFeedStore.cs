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

    /// <summary>The highest change number removed by retention; cursors below it cannot resume.</summary>
    Task<long> PrunedThroughAsync(CancellationToken cancellationToken);

    /// <summary>Removes feed entries that occurred before <paramref name="olderThan"/>; returns the new pruned-through number.</summary>
    Task<long> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
