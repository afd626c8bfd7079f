using Microsoft.EntityFrameworkCore;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Abstractions;

/// <summary>The registry's store as the use cases see it; implemented over PostgreSQL in Infrastructure.</summary>
public interface IRegistryDbContext
{
    DbSet<Publisher> Publishers { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Recognises a violated uniqueness constraint in the store's own exceptions.</summary>
public interface IUniqueViolationDetector
{
    bool IsUniqueViolation(DbUpdateException exception);
}
