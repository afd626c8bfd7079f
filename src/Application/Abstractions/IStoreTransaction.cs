namespace RuralRegistry.Application.Abstractions;

/// <summary>A transaction of the registry's store, begun through <see cref="IRegistryDbContext.BeginTransactionAsync(CancellationToken)"/>.</summary>
public interface IStoreTransaction : IAsyncDisposable
{
    Task CommitAsync(CancellationToken cancellationToken = default);

    Task RollbackAsync(CancellationToken cancellationToken = default);
}
