namespace RuralRegistry.Domain.Changes;

public enum ChangeOperation
{
    Upsert,
    Delete,
}

public enum RecordType
{
    Project,
    Partner,
    FundingMeasure,
    Goal,
}

/// <summary>
/// One entry of the registry's single ordered change sequence: every create, update and delete of a
/// project, partner, funding measure or goal. Its sequence number is the record's version.
/// </summary>
public sealed class Change
{
    public Change(long sequence, RecordType recordType, Guid recordId, ChangeOperation operation, Guid? publisherId, DateTimeOffset occurredAt)
    {
        Sequence = sequence;
        RecordType = recordType;
        RecordId = recordId;
        Operation = operation;
        PublisherId = publisherId;
        OccurredAt = occurredAt;
    }

    public long Sequence { get; private set; }

    public RecordType RecordType { get; private set; }

    public Guid RecordId { get; private set; }

    public ChangeOperation Operation { get; private set; }

    public Guid? PublisherId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }
}
