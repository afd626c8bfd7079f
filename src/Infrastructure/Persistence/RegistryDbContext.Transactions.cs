using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>The context's transactions as the use cases see them (<see cref="IStoreTransaction"/>), over EF's own.</summary>
public sealed partial class RegistryDbContext
{
    async Task<IStoreTransaction> IRegistryDbContext.BeginTransactionAsync(CancellationToken cancellationToken) =>
        new StoreTransaction(await Database.BeginTransactionAsync(cancellationToken));

    async Task<IStoreTransaction> IRegistryDbContext.BeginTransactionAsync(IsolationLevel isolation, CancellationToken cancellationToken) =>
        new StoreTransaction(await Database.BeginTransactionAsync(isolation, cancellationToken));

    private sealed class StoreTransaction(IDbContextTransaction transaction) : IStoreTransaction
    {
        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public Task RollbackAsync(CancellationToken cancellationToken) => transaction.RollbackAsync(cancellationToken);

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
