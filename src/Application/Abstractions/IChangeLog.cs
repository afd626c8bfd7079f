using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Abstractions;

/// <summary>
/// The registry's one ordered change sequence. Recording a change takes the next number, which becomes
/// the record's version; it must happen inside the transaction that saves the record.
/// </summary>
public interface IChangeLog
{
    Task<long> RecordAsync(RecordType recordType, Guid recordId, ChangeOperation operation, Guid? publisherId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes <paramref name="count"/> change numbers, ascending, in one statement of the open transaction, for
    /// changes the caller writes itself (the import writes its feed entries by COPY).
    /// </summary>
    Task<IReadOnlyList<long>> TakeNumbersAsync(int count, CancellationToken cancellationToken);

    /// <summary>Records many changes of one kind with one statement; their numbers follow the order given.</summary>
    Task<IReadOnlyList<long>> RecordManyAsync(RecordType recordType, IReadOnlyList<(Guid RecordId, Guid? PublisherId)> records, ChangeOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// Serialises writers that might create the same organisations, until the transaction ends: one statement
    /// takes every key's lock, in one order shared by all writers. Keys share a bounded set of locks, so a
    /// large import cannot exhaust the server's lock table.
    /// </summary>
    Task LockAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
