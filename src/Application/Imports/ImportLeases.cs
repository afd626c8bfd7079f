namespace RuralRegistry.Application.Imports;

/// <summary>An import claimed to run: its id and how many times it was claimed so far, this time included.</summary>
public sealed record ClaimedImport(Guid ImportId, int Attempts);

/// <summary>
/// An import a lease store ended as failed: whether it was a dry run, how long it ran (from its start, or from when it
/// was sent if it never started, to its end) and the counts its committed batches kept. For the import meters.
/// </summary>
public sealed record FailedImport(Guid ImportId, bool DryRun, TimeSpan Ran, Domain.Imports.ImportCounts Counts);

/// <summary>
/// The leases that tie each unfinished import to the API process running it. Queued imports, and unfinished ones
/// whose lease lapsed (their holder died, hangs, or lost the database for longer than a lease) or was handed back,
/// are claimed by whichever process asks first (<c>FOR UPDATE SKIP LOCKED</c>), which runs them to their end; the
/// holder's heartbeat renews its leases, and a live holder's imports are never touched. Every write of an import's
/// end is fenced by its owner, so a holder that lost its lease cannot end the import another now runs. Times are the
/// database's clock, so processes on several machines agree.
/// </summary>
public interface IImportLeaseStore
{
    /// <summary>Extends the leases <paramref name="owner"/> still holds among <paramref name="importIds"/> to <paramref name="lease"/> from now; returns those it still holds.</summary>
    Task<IReadOnlySet<Guid>> RenewAsync(IReadOnlyCollection<Guid> importIds, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Claims the oldest import that is queued, or unfinished with its lease lapsed or handed back, for <paramref name="owner"/>; null when there is none.</summary>
    Task<ClaimedImport?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Lets go of an import's lease (the row keeps who held it): a finished import's, or an unfinished one handed back
    /// (the process stops, or lost the database), which any process may then claim at once.
    /// </summary>
    Task ReleaseAsync(Guid importId, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Ends, as failed with <paramref name="reason"/>, every unfinished import whose lease lapsed (or that has none)
    /// and whose body is not kept, so that no process could run it (its counts from its report rows); returns them.
    /// Rows another process is claiming or ending at the same moment are skipped, not waited for.
    /// </summary>
    Task<IReadOnlyList<FailedImport>> EndLapsedWithoutBodyAsync(string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Ends one import as failed with <paramref name="reason"/> while it is still queued or running and
    /// <paramref name="owner"/> holds it, its counts taken from the report rows of its committed batches (so they
    /// equal what the database kept); null when it had ended or another process holds it.
    /// </summary>
    Task<FailedImport?> FailAsync(Guid importId, string owner, string reason, CancellationToken cancellationToken);
}
