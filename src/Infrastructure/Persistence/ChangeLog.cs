using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>Takes numbers from the PostgreSQL sequence behind the change feed and stages the feed's entries.</summary>
internal sealed class ChangeLog(RegistryDbContext db, TimeProvider clock) : IChangeLog
{
    public async Task<long> RecordAsync(RecordType recordType, Guid recordId, ChangeOperation operation, Guid? publisherId, CancellationToken cancellationToken)
    {
        var sequence = await db.Database
            .SqlQueryRaw<long>($"SELECT nextval('{RegistryDbContext.Schema}.{RegistryDbContext.ChangeSequence}') AS \"Value\"")
            .SingleAsync(cancellationToken);
        db.Changes.Add(new Change(sequence, recordType, recordId, operation, publisherId, clock.GetUtcNow()));
        return sequence;
    }

    public async Task LockAsync(string key, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
}
