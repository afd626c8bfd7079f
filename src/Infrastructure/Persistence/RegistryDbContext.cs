using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Audit;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.FundingMeasures;
using RuralRegistry.Domain.Goals;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;
using RuralRegistry.Infrastructure.Persistence.Projects;

namespace RuralRegistry.Infrastructure.Persistence;

public sealed partial class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options), IRegistryDbContext
{
    public const string Schema = "registry";

    public const string ChangeSequence = "change_seq";

    public DbSet<Publisher> Publishers => Set<Publisher>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<PartnerIdentifier> PartnerIdentifiers => Set<PartnerIdentifier>();

    public DbSet<FundingMeasure> FundingMeasures => Set<FundingMeasure>();

    public DbSet<Goal> Goals => Set<Goal>();

    public DbSet<Change> Changes => Set<Change>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Import> Imports => Set<Import>();

    public DbSet<ImportRecord> ImportRecords => Set<ImportRecord>();

    public DbSet<ImportFingerprint> ImportFingerprints => Set<ImportFingerprint>();

    /// <summary>The projects whose derived rows this unit of work has still to refresh (see <see cref="ProjectWrites"/>).</summary>
    internal PendingRefreshes PendingRefreshes { get; } = new();

    /// <summary>The one way the registry's context is set up, shared by the host and the tools.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", Schema))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(RefreshOnCommit.Instance);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.HasSequence<long>(ChangeSequence);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
    }
}
