using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Infrastructure.Persistence;

public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options), IRegistryDbContext
{
    public const string Schema = "registry";

    public DbSet<Publisher> Publishers => Set<Publisher>();

    /// <summary>The one way the registry's context is set up, shared by the host and the tools.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", Schema))
            .UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
    }
}
