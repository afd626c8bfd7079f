using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Infrastructure.Persistence;

public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options), IRegistryDbContext
{
    public const string Schema = "registry";

    public DbSet<Publisher> Publishers => Set<Publisher>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
    }
}
