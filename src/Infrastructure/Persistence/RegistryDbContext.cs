using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Projects;
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

/// <param name="options">The context's options (<see cref="Configure(DbContextOptionsBuilder, string)"/>).</param>
/// <param name="rendering">Renders the representations of the projects a unit of work refreshes; a context made without
/// one (the tools, schema tests) cannot commit project writes.</param>
public sealed partial class RegistryDbContext(DbContextOptions<RegistryDbContext> options, ProjectRendering? rendering = null)
    : DbContext(options), IRegistryDbContext
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

    internal ProjectRendering Rendering => rendering
        ?? throw new InvalidOperationException("This registry context was made without a ProjectRendering, so it cannot write projects.");

    /// <summary>
    /// The one way the registry's context is set up, shared by the host and the tools: the connection runs with
    /// <see cref="DatabaseSessionSettings"/>, and the schema leaves out the constraints of relationships triggers keep.
    /// </summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        Conventions(options.UseNpgsql(DatabaseSessionSettings.Apply(connectionString), History));

    /// <summary>As <see cref="Configure(DbContextOptionsBuilder, string)"/>, on a data source (the read route's, whose connection string has the session settings).</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, Npgsql.NpgsqlDataSource dataSource) =>
        Conventions(options.UseNpgsql(dataSource, History));

    private static void History(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable("__ef_migrations_history", Schema);

    private static DbContextOptionsBuilder Conventions(DbContextOptionsBuilder options) =>
        options
            .UseSnakeCaseNamingConvention()
            .ReplaceService<IMigrationsModelDiffer, TriggerKeptRelationshipsDiffer>()
            .AddInterceptors(RefreshOnCommit.Instance);

    /// <summary>
    /// The whole schema apart from the objects of Persistence/Sql (functions, triggers, the text search configuration
    /// and two expression indexes), which the migrations apply from their files.
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        // In the schema extensions are created in by default (public); the functions name them as public.*. (Npgsql's
        // snapshot drops an explicit "public", so naming it here would leave the model always pending.)
        modelBuilder.HasPostgresExtension("unaccent");
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasPostgresExtension("fuzzystrmatch");
        modelBuilder.HasSequence<long>(ChangeSequence);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
    }
}
