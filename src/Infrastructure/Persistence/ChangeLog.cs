using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Takes change numbers through <c>registry.take_change_number()</c> (a batch's through <c>registry.take_change_numbers(n)</c>), which also marks the first number as
/// held by this transaction until it ends, so the change feed never hands out a later number while
/// this one may still commit.
/// </summary>
internal sealed class ChangeLog(RegistryDbContext db, TimeProvider clock) : IChangeLog
{
    public async Task<long> RecordAsync(RecordType recordType, Guid recordId, ChangeOperation operation, Guid? publisherId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A change number must be taken inside the transaction that saves the change.");
        }

        var sequence = await db.Database
            .SqlQueryRaw<long>($"SELECT {RegistryDbContext.Schema}.take_change_number() AS \"Value\"")
            .SingleAsync(cancellationToken);
        db.Changes.Add(new Change(sequence, recordType, recordId, operation, publisherId, clock.GetUtcNow()));
        return sequence;
    }

    public async Task<IReadOnlyList<long>> TakeNumbersAsync(int count, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Change numbers must be taken inside the transaction that saves the changes.");
        }

        return count == 0
            ? []
            : await db.Database
                .SqlQueryRaw<long>($"SELECT {RegistryDbContext.Schema}.take_change_numbers({{0}}) AS \"Value\" ORDER BY 1", count)
                .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<long>> RecordManyAsync(
        RecordType recordType, IReadOnlyList<(Guid RecordId, Guid? PublisherId)> records, ChangeOperation operation, CancellationToken cancellationToken)
    {
        var numbers = await TakeNumbersAsync(records.Count, cancellationToken);
        var now = clock.GetUtcNow();
        db.Changes.AddRange(records.Select((r, i) => new Change(numbers[i], recordType, r.RecordId, operation, r.PublisherId, now)));
        return numbers;
    }

    public async Task LockAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var names = keys.ToArray();
        await db.Database.ExecuteSqlAsync(
            $"""
            SELECT pg_advisory_xact_lock({AdvisoryLocks.NamedSpace}, bucket)
            FROM (SELECT DISTINCT hashtext(k) & {AdvisoryLocks.NamedBuckets - 1} AS bucket FROM unnest({names}) AS k ORDER BY bucket) AS buckets
            """,
            cancellationToken);
    }
}
