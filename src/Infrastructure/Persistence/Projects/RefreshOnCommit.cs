using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// Refreshes, just before a transaction of the registry's context commits, the derived rows the unit of work
/// still has pending (<see cref="ProjectWrites"/> records them), so a write path cannot commit projects whose
/// search rows are stale. A rolled-back transaction's requests are dropped.
/// </summary>
internal sealed class RefreshOnCommit : DbTransactionInterceptor
{
    public static RefreshOnCommit Instance { get; } = new();

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is RegistryDbContext db)
        {
            await ProjectSearchIndex.FlushAsync(db, cancellationToken);
        }

        return result;
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is RegistryDbContext db)
        {
            ProjectSearchIndex.FlushAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData);
        return Task.CompletedTask;
    }

    private static void Forget(TransactionEndEventData eventData) => (eventData.Context as RegistryDbContext)?.PendingRefreshes.Clear();
}
