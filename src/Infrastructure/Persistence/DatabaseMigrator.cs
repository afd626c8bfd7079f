using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Brings the database to the newest migration, then seeds the reference data (idempotently). Several
/// instances starting together take turns, so each migration is applied once.
/// </summary>
public static class DatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));

        // One migrator at a time across instances: a session lock held on the connection EF migrates on.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLocks.FixedSpace}, {AdvisoryLocks.Migrate})", cancellationToken);
        try
        {
            await MigrateLockedAsync(db, logger, cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLocks.FixedSpace}, {AdvisoryLocks.Migrate})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }

        await scope.ServiceProvider.GetRequiredService<Seed.ReferenceDataSeeder>().SeedAsync(cancellationToken);
    }

    private static async Task MigrateLockedAsync(RegistryDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("Database schema is up to date; no migration to apply.");
        }
        else
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database schema migrated.");
        }
    }
}
