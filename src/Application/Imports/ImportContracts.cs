using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Application.Imports;

/// <summary>Bounds and tuning of batch imports (configuration section <c>Imports</c>).</summary>
public sealed class ImportSettings
{
    public const string Section = "Imports";

    /// <summary>The largest body one import request may send (256 MiB).</summary>
    public long MaxBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most records one import request may hold.</summary>
    public int MaxRecords { get; set; } = 100_000;

    /// <summary>How many records are written per transaction (and per report flush).</summary>
    public int BatchSize { get; set; } = 1_000;

    /// <summary>
    /// How long an unfinished import stays its process's without a heartbeat (renewed every third of it): once it
    /// lapses, any API process takes the import over and finishes it.
    /// </summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How many times an import may be claimed to run (a takeover counts again) before it is ended as failed instead.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often, in milliseconds, each API process looks for a queued import or one to take over (a new import in this process is seen at once).</summary>
    public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>How old a kept body no unfinished import claims must be before the sweep deletes it (a body being received has no import yet).</summary>
    public int LeftoverBodyMinutes { get; set; } = 60;

    /// <summary>How long a running import may go without finishing a batch before it is taken as stuck: stopped, and ended as failed.</summary>
    public int StallSeconds { get; set; } = 600;
}

/// <summary>The options of an import request: all or nothing, nothing written, delete what the catalogue lacks.</summary>
public sealed record ImportFlags(bool Atomic, bool DryRun, bool Prune);

/// <summary>An error inside a failed record.</summary>
/// <param name="Pointer">JSON pointer into the import body: the record's index first, e.g. /17/budget/total/currency (for NDJSON, the index is the line's number among the records, from 0).</param>
/// <param name="Detail">What is wrong with it.</param>
public sealed record ImportFieldError(string Pointer, string Detail);

/// <summary>Why one record failed, as a problem details object (RFC 9457) inside the report.</summary>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Status">The status a single write of this record would have answered: 400, 403 or 409.</param>
/// <param name="Detail">What went wrong with this record.</param>
/// <param name="Errors">Each failing member of the record.</param>
public sealed record ImportRecordProblem(string Type, string Title, int Status, string Detail, IReadOnlyList<ImportFieldError>? Errors);

/// <summary>What happened to one record of an import.</summary>
/// <param name="Index">The record's index in the body (from 0); absent for a record deleted by prune.</param>
/// <param name="ExternalId">The record's externalId, where it had one.</param>
/// <param name="Id">The project's id, where the record resolved to one.</param>
/// <param name="Status">created, updated, unchanged (same content: no new version), failed, or deleted (by prune).</param>
/// <param name="Problem">For a failed record: why.</param>
public sealed record ImportRecordResponse(int? Index, string? ExternalId, Guid? Id, ImportRecordStatus Status, ImportRecordProblem? Problem);

/// <summary>How many records ended how.</summary>
/// <param name="Total">Records in the body.</param>
/// <param name="Processed">Records with an outcome so far.</param>
/// <param name="Created">Records created.</param>
/// <param name="Updated">Records changed.</param>
/// <param name="Unchanged">Records already as sent.</param>
/// <param name="Failed">Records refused.</param>
/// <param name="Deleted">Records of the publisher deleted by prune.</param>
public sealed record ImportCountsResponse(int Total, int Processed, int Created, int Updated, int Unchanged, int Failed, int Deleted);

/// <summary>An import: who sent it and when, its options, how far it got and how it ended.</summary>
/// <param name="Id">The import's id.</param>
/// <param name="Actor">Who sent it: the publisher's code, or admin.</param>
/// <param name="State">queued, running, completed, or failed (stopped before every record had its outcome, e.g. by a restart).</param>
/// <param name="ResultStatus">Once completed: 200 (every record succeeded), 207 (some failed; the others are written) or 422 (atomic, and some failed: nothing written).</param>
/// <param name="Atomic">All or nothing.</param>
/// <param name="DryRun">Every check, nothing written.</param>
/// <param name="Prune">The publisher's records missing from the body are deleted (only when every record succeeded).</param>
/// <param name="Counts">How many records ended how.</param>
/// <param name="Note">Why the import failed, or what it left undone.</param>
/// <param name="CreatedAt">When the body was received.</param>
/// <param name="StartedAt">When processing started.</param>
/// <param name="FinishedAt">When it completed or failed.</param>
/// <param name="Records">Where its per-record outcomes are listed.</param>
/// <param name="Attempts">How many times an API process took it up to run it (more than 1: a process that ran it died or stopped, and another took it over).</param>
/// <param name="Lease">The API process that holds it now and until when; null when none does (not yet claimed, handed back, or ended).</param>
public sealed record ImportResponse(
    Guid Id,
    string Actor,
    ImportState State,
    ImportResult? ResultStatus,
    bool Atomic,
    bool DryRun,
    bool Prune,
    ImportCountsResponse Counts,
    string? Note,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string Records,
    int Attempts,
    ImportLeaseResponse? Lease)
{
    public static ImportResponse From(Import import) => new(
        import.Id,
        import.Actor,
        import.State,
        import.ResultStatus,
        import.Atomic,
        import.DryRun,
        import.Prune,
        new ImportCountsResponse(import.Total, import.Processed, import.Created, import.Updated, import.Unchanged, import.Failed, import.Deleted),
        import.Error,
        import.CreatedAt,
        import.StartedAt,
        import.FinishedAt,
        $"/v1/imports/{import.Id}/records",
        import.Attempts,
        import is { IsFinished: false, LeaseOwner: { } owner, LeaseExpiresAt: { } expires } ? new ImportLeaseResponse(owner, expires) : null);
}

/// <summary>Which API process holds an unfinished import, and until when its heartbeat keeps it (then any process may take it over).</summary>
/// <param name="Owner">The process: its host name, process id and a per-start suffix.</param>
/// <param name="ExpiresAt">When the lease lapses unless the holder renews it (every third of the lease).</param>
public sealed record ImportLeaseResponse(string Owner, DateTimeOffset ExpiresAt);

/// <summary>The answer to an import: the import and every record's outcome, in the body's order (records pruned last).</summary>
/// <param name="Import">The import, as GET /v1/imports/{id} shows it.</param>
/// <param name="Records">Every record's outcome.</param>
public sealed record ImportReportResponse(ImportResponse Import, IReadOnlyList<ImportRecordResponse> Records);

/// <summary>One record's outcome as stored, in report order.</summary>
public sealed record ImportOutcome(int Position, ImportRecordResponse Record);

/// <summary>
/// What the import engine needs of the store beyond EF Core: its fingerprints and report rows in bulk, and the
/// import's own bookkeeping outside its write transactions. Projects themselves go through <see cref="Abstractions.IProjectWrites"/>.
/// </summary>
public interface IImportStore
{
    /// <summary>
    /// A number that moves whenever a partner is changed or deleted, or a funding measure or goal is written: the
    /// things that could make the same record resolve to other links. Fingerprints taken under another mark are not trusted.
    /// </summary>
    Task<long> ReferenceMarkAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The publisher's stored projects (deleted ones too) among <paramref name="externalIds"/>, each with its fingerprint (SHA-256 of
    /// the record's bytes) when it is live, still at the version the fingerprint produced, and the fingerprint was taken under <paramref name="mark"/>.
    /// </summary>
    Task<Dictionary<string, (Guid ProjectId, byte[]? Fingerprint)>> FingerprintsAsync(Guid publisherId, IReadOnlyList<string> externalIds, long mark, CancellationToken cancellationToken);

    /// <summary>Remembers which record bytes gave each project its version (<c>IsNew</c>: the project was created in this transaction).</summary>
    Task SaveFingerprintsAsync(IReadOnlyList<(Guid ProjectId, long Version, byte[] Fingerprint, bool IsNew)> fingerprints, long mark, CancellationToken cancellationToken);

    /// <summary>Adds outcomes to an import's report, in the open transaction when there is one.</summary>
    Task AddOutcomesAsync(Guid importId, IReadOnlyList<ImportOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an import's state and counts on a connection of its own, so progress shows while its write transaction
    /// is open; only while its <see cref="Import.LeaseOwner"/> still holds it (a runner that lost its lease writes nothing).
    /// </summary>
    Task SaveStateAsync(Import import, CancellationToken cancellationToken);

    /// <summary>
    /// In the open transaction, makes sure <paramref name="owner"/> still holds the import and keeps it so until the
    /// transaction ends (<c>FOR KEY SHARE</c>: no other process can claim it meanwhile); throws
    /// <see cref="ImportLeaseLostException"/> when another process took it over.
    /// </summary>
    Task HoldAsync(Guid importId, string owner, CancellationToken cancellationToken);

    /// <summary>What the committed batches of an import kept: for a run taken over to go on from the first uncommitted record.</summary>
    Task<ImportResume> CommittedAsync(Guid importId, CancellationToken cancellationToken);

    /// <summary>Deletes an import's report rows (an atomic or dry run taken over starts again from its beginning).</summary>
    Task ForgetOutcomesAsync(Guid importId, CancellationToken cancellationToken);
}

/// <summary>
/// What an import's committed batches kept when another process takes it over: the indexes of the records with an
/// outcome, the counts, each written record's publisher and externalId (so a later record naming it again is refused as
/// before), and the next free report position (after records and earlier prunes).
/// </summary>
public sealed record ImportResume(IReadOnlySet<int> Done, ImportCounts Counts, IReadOnlyList<((Guid PublisherId, string ExternalId) Key, int Index)> Seen, int NextPosition);

/// <summary>Another API process took the import over (this one's lease lapsed): this one must stop and write nothing more.</summary>
public sealed class ImportLeaseLostException(Guid importId) : Exception($"Another API process took over import {importId}.")
{
    public Guid ImportId => importId;
}
