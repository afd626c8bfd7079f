using System.Data;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Domain.Audit;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.FundingMeasures;
using RuralRegistry.Domain.Goals;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Abstractions;

/// <summary>The registry's store as the use cases see it; implemented over PostgreSQL in Infrastructure.</summary>
public interface IRegistryDbContext
{
    DbSet<Publisher> Publishers { get; }

    DbSet<ApiKey> ApiKeys { get; }

    DbSet<Project> Projects { get; }

    DbSet<Partner> Partners { get; }

    DbSet<PartnerIdentifier> PartnerIdentifiers { get; }

    DbSet<FundingMeasure> FundingMeasures { get; }

    DbSet<Goal> Goals { get; }

    DbSet<Change> Changes { get; }

    DbSet<AuditEntry> AuditEntries { get; }

    DbSet<Import> Imports { get; }

    DbSet<ImportRecord> ImportRecords { get; }

    DbSet<ImportFingerprint> ImportFingerprints { get; }

    /// <summary>Begins a transaction (read committed) that the context's reads and writes take part in until it ends.</summary>
    Task<IStoreTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>Begins a transaction at this isolation level (exports and first pages read one snapshot).</summary>
    Task<IStoreTransaction> BeginTransactionAsync(IsolationLevel isolation, CancellationToken cancellationToken = default);

    Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker ChangeTracker { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Recognises, in the store's own exceptions, the failures a retry resolves: those a retry of the whole unit of work
/// resolves (a unique violation, a deadlock or serialization failure), and the store being unavailable for now. The
/// retry policies that act on them are <see cref="Common.RegistryResilience"/>'s.
/// </summary>
public interface IUniqueViolationDetector
{
    bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>A deadlock or serialization failure: the store aborted one of two racing transactions.</summary>
    bool IsTransient(Exception exception);

    /// <summary>
    /// The store cannot serve now and a later attempt of the same work may succeed: refused or dropped connections, a
    /// server shutting down or starting, too many connections, a connect or pool timeout.
    /// </summary>
    bool IsUnavailable(Exception exception);
}
