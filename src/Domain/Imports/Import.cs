namespace RuralRegistry.Domain.Imports;

/// <summary>Where an import stands: waiting for the worker, being processed, done, or cut off.</summary>
public enum ImportState
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>What happened to one record of an import.</summary>
public enum ImportRecordStatus
{
    Created,
    Updated,
    Unchanged,
    Failed,

    /// <summary>Missing from a complete catalogue imported with prune=true, and so deleted.</summary>
    Deleted,
}

/// <summary>How many records of an import ended how, so far.</summary>
public sealed record ImportCounts(int Processed, int Created, int Updated, int Unchanged, int Failed, int Deleted)
{
    public static ImportCounts None { get; } = new(0, 0, 0, 0, 0, 0);

    public ImportCounts Add(ImportRecordStatus status) => status switch
    {
        ImportRecordStatus.Created => this with { Processed = Processed + 1, Created = Created + 1 },
        ImportRecordStatus.Updated => this with { Processed = Processed + 1, Updated = Updated + 1 },
        ImportRecordStatus.Unchanged => this with { Processed = Processed + 1, Unchanged = Unchanged + 1 },
        ImportRecordStatus.Failed => this with { Processed = Processed + 1, Failed = Failed + 1 },
        _ => this with { Deleted = Deleted + 1 },
    };
}

/// <summary>How a completed import ended (the web layer answers each with a status code of its own).</summary>
public enum ImportResult
{
    /// <summary>Every record succeeded.</summary>
    Succeeded = 1,

    /// <summary>Some records failed; the others are written.</summary>
    PartlyWritten = 2,

    /// <summary>Atomic, and some records failed: nothing was written.</summary>
    RolledBack = 3,
}

/// <summary>
/// One batch import of project records: who sent it, with which options, how far it got and how it ended.
/// Kept so a publisher can audit what its jobs did, and so a retry with the same Idempotency-Key gets the
/// first answer.
/// </summary>
public sealed class Import
{
    public const int IdempotencyKeyMaxLength = 200;
    public const int ErrorMaxLength = 2_000;
    public const int LeaseOwnerMaxLength = 100;
    public const int BodyFormatMaxLength = 40;

    private Import(Guid id, Guid? publisherId, string actor, string? idempotencyKey, string requestHash, bool atomic, bool dryRun, bool prune, int total, DateTimeOffset now)
    {
        Id = id;
        PublisherId = publisherId;
        Actor = actor;
        IdempotencyKey = idempotencyKey;
        RequestHash = requestHash;
        Atomic = atomic;
        DryRun = dryRun;
        Prune = prune;
        Total = total;
        CreatedAt = now;
        UpdatedAt = now;
    }

    private Import()
    {
        Actor = string.Empty;
        RequestHash = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The publisher whose key sent it; null for the admin key.</summary>
    public Guid? PublisherId { get; private set; }

    /// <summary>Who sent it: the publisher's code, or <c>admin</c>.</summary>
    public string Actor { get; private set; }

    public string? IdempotencyKey { get; private set; }

    /// <summary>SHA-256 of the body and the options, hex: the same key with another request is refused.</summary>
    public string RequestHash { get; private set; }

    public bool Atomic { get; private set; }

    public bool DryRun { get; private set; }

    public bool Prune { get; private set; }

    /// <summary>How many records the body holds.</summary>
    public int Total { get; private set; }

    public ImportState State { get; private set; } = ImportState.Queued;

    /// <summary>The HTTP status of the answer once completed: 200, 207 or 422.</summary>
    public ImportResult? ResultStatus { get; private set; }

    public int Processed { get; private set; }

    public int Created { get; private set; }

    public int Updated { get; private set; }

    public int Unchanged { get; private set; }

    public int Failed { get; private set; }

    public int Deleted { get; private set; }

    /// <summary>Why the import failed as a whole, or what it left undone (e.g. a prune refused).</summary>
    public string? Error { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The API process that holds the import (queued in its memory, or running), by its instance name.</summary>
    public string? LeaseOwner { get; private set; }

    /// <summary>
    /// Until when the holder's heartbeat keeps the import; once it lapses (the holder died, hangs, or lost the
    /// database) any process ends the import as failed. Null once the holder let it go.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    /// <summary>
    /// The media type of the body kept in the database (<see cref="ImportBodyChunk"/>), so any API process can run
    /// the import; null for an import received before bodies were kept there.
    /// </summary>
    public string? BodyFormat { get; private set; }

    /// <summary>How many times an API process claimed the import to run it (a takeover after its runner died counts again).</summary>
    public int Attempts { get; private set; }

    public ImportCounts Counts => new(Processed, Created, Updated, Unchanged, Failed, Deleted);

    public bool IsFinished => State is ImportState.Completed or ImportState.Failed;

    public static Import Receive(
        Guid? publisherId, string actor, string? idempotencyKey, string requestHash, bool atomic, bool dryRun, bool prune, int total, DateTimeOffset now) =>
        Receive(Guid.CreateVersion7(now), null, publisherId, actor, idempotencyKey, requestHash, atomic, dryRun, prune, total, now);

    /// <summary>An import whose body was kept under <paramref name="id"/> before it was received (see <see cref="ImportBodyChunk"/>).</summary>
    public static Import Receive(
        Guid id, string? bodyFormat, Guid? publisherId, string actor, string? idempotencyKey, string requestHash, bool atomic, bool dryRun, bool prune, int total, DateTimeOffset now)
    {
        if (idempotencyKey is { Length: > IdempotencyKeyMaxLength })
        {
            throw new ArgumentException($"An idempotency key has at most {IdempotencyKeyMaxLength} characters.", nameof(idempotencyKey));
        }

        if (bodyFormat is { Length: > BodyFormatMaxLength })
        {
            throw new ArgumentException($"A body format has at most {BodyFormatMaxLength} characters.", nameof(bodyFormat));
        }

        return new Import(id, publisherId, actor, idempotencyKey, requestHash, atomic, dryRun, prune, total, now) { BodyFormat = bodyFormat };
    }

    /// <summary>Held by <paramref name="owner"/> until <paramref name="until"/>, unless its heartbeat renews the lease: the process that received it runs it (its first attempt).</summary>
    public void Lease(string owner, DateTimeOffset until)
    {
        if (owner.Length is 0 or > LeaseOwnerMaxLength)
        {
            throw new ArgumentException($"A lease owner has 1 to {LeaseOwnerMaxLength} characters.", nameof(owner));
        }

        LeaseOwner = owner;
        LeaseExpiresAt = until;
        Attempts++;
    }

    /// <summary>Starts running; a run taken over from a process that died keeps the first start.</summary>
    public void Start(DateTimeOffset now)
    {
        State = ImportState.Running;
        StartedAt ??= now;
        UpdatedAt = now;
    }

    public void Progress(ImportCounts counts, DateTimeOffset now)
    {
        Processed = counts.Processed;
        Created = counts.Created;
        Updated = counts.Updated;
        Unchanged = counts.Unchanged;
        Failed = counts.Failed;
        Deleted = counts.Deleted;
        UpdatedAt = now;
    }

    /// <summary>Every record has its outcome; <paramref name="note"/> says what was left undone, if anything.</summary>
    public void Complete(ImportCounts counts, ImportResult resultStatus, string? note, DateTimeOffset now)
    {
        Progress(counts, now);
        State = ImportState.Completed;
        ResultStatus = resultStatus;
        Error = Bound(note);
        FinishedAt = now;
    }

    /// <summary>The import stopped before every record had its outcome (a restart, a lost race in an atomic import).</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        State = ImportState.Failed;
        Error = Bound(reason);
        FinishedAt = now;
        UpdatedAt = now;
    }

    private static string? Bound(string? text) => text is { Length: > ErrorMaxLength } ? text[..ErrorMaxLength] : text;
}

/// <summary>The stored outcome of one record of an import, in the import's report.</summary>
public sealed class ImportRecord
{
    public ImportRecord(Guid importId, int position, int? index, string? externalId, Guid? projectId, ImportRecordStatus status, string? problem)
    {
        ImportId = importId;
        Position = position;
        Index = index;
        ExternalId = externalId;
        ProjectId = projectId;
        Status = status;
        Problem = problem;
    }

    public Guid ImportId { get; private set; }

    /// <summary>Its place in the report: the record's index in the body, or after them for records deleted by prune.</summary>
    public int Position { get; private set; }

    /// <summary>The record's index in the body (from 0); null for a record deleted by prune.</summary>
    public int? Index { get; private set; }

    public string? ExternalId { get; private set; }

    public Guid? ProjectId { get; private set; }

    public ImportRecordStatus Status { get; private set; }

    /// <summary>For a failed record: its problem details, as JSON.</summary>
    public string? Problem { get; private set; }
}

/// <summary>
/// One piece of an import body, kept in the database while the import is unfinished so that whichever API process
/// runs it (the one that received it, or another that takes it over) reads the same bytes; streamed in and out piece
/// by piece, never held whole. Deleted when the import ends; pieces no unfinished import claims are swept.
/// </summary>
public sealed class ImportBodyChunk
{
    public const int MaxBytes = 1024 * 1024;

    public ImportBodyChunk(Guid importId, int sequence, byte[] data)
    {
        ImportId = importId;
        Sequence = sequence;
        Data = data;
    }

    /// <summary>The import it belongs to (written before the import's row, so no foreign key).</summary>
    public Guid ImportId { get; private set; }

    /// <summary>Its place in the body, from 0.</summary>
    public int Sequence { get; private set; }

    public byte[] Data { get; private set; }

    /// <summary>When it was written (the database's clock): a piece of a body never claimed by an import is swept after a while.</summary>
    public DateTimeOffset ReceivedAt { get; private set; }
}

/// <summary>
/// Which record bytes (SHA-256) gave a project its current version through an import, so the same bytes
/// again are known unchanged without reading them; trusted only while the project is at that version and the
/// reference mark (partners, funding measures, goals) is the same.
/// </summary>
public sealed class ImportFingerprint
{
    public ImportFingerprint(Guid projectId, long version, long mark, byte[] fingerprint)
    {
        ProjectId = projectId;
        Version = version;
        Mark = mark;
        Fingerprint = fingerprint;
    }

    public Guid ProjectId { get; private set; }

    public long Version { get; private set; }

    public long Mark { get; private set; }

    public byte[] Fingerprint { get; private set; }
}
