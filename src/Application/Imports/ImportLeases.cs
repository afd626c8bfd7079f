namespace RuralRegistry.Application.Imports;

/// <summary>
/// The leases that tie each unfinished import to the API process holding it. The holder's heartbeat renews its
/// leases; an import whose lease lapsed (its holder died, hangs, or lost the database for longer than a lease) is
/// ended as failed by whichever process sweeps first, so no import stays queued or running for good, and a live
/// holder's imports are never touched. Times are the database's clock, so processes on several machines agree.
/// </summary>
public interface IImportLeaseStore
{
    /// <summary>Extends the leases <paramref name="owner"/> still holds among <paramref name="importIds"/> to <paramref name="lease"/> from now.</summary>
    Task RenewAsync(IReadOnlyCollection<Guid> importIds, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Lets go of a finished import's lease (the row keeps who held it).</summary>
    Task ReleaseAsync(Guid importId, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Ends, as failed with <paramref name="reason"/>, every queued or running import whose lease lapsed (or that has
    /// none), its counts taken from the report rows its committed batches wrote; returns how many. Rows another
    /// process is ending at the same moment are skipped, not waited for.
    /// </summary>
    Task<int> EndLapsedAsync(string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Ends one import as failed with <paramref name="reason"/> while it is still queued or running, its counts taken
    /// from the report rows of its committed batches (so they equal what the database kept); false when it had ended.
    /// </summary>
    Task<bool> FailAsync(Guid importId, string reason, CancellationToken cancellationToken);
}
