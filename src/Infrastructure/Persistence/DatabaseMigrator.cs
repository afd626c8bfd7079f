using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Brings the database to the newest migration, then seeds the reference data (idempotently). Several
/// instances starting together take turns, so each migration is applied once.
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>The last of the migrations squashed into Baseline.</summary>
    private const string SquashedThrough = "20261123041820_PartnerNameKeysByIndex";

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
        await AdoptSquashedHistoryAsync(db, logger, cancellationToken);
        // On a fresh database EF would first read a history table that is not there yet, and log that failed query as an
        // error (twice): the table is made first, so a normal first start logs nothing alarming.
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
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

        var rendered = await Projects.ProjectRepresentations.BackfillAsync(db, cancellationToken);
        if (rendered > 0)
        {
            logger.LogInformation("Rendered the stored representations of {Count} projects that had none.", rendered);
        }
    }

    /// <summary>
    /// A database the nineteen migrations squashed into Baseline brought to their last one has Baseline's schema
    /// (a dev or bench database made before the squash): its history is rewritten to Baseline instead of applying it
    /// again. One they left part way cannot be adopted, and is refused with what to do.
    /// </summary>
    private static async Task AdoptSquashedHistoryAsync(RegistryDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var history = await db.Database
            .SqlQuery<string>($"SELECT to_regclass('registry.__ef_migrations_history')::text AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (history is null)
        {
            return;
        }

        var applied = await db.Database
            .SqlQuery<string>($"SELECT migration_id AS \"Value\" FROM registry.__ef_migrations_history ORDER BY migration_id")
            .ToListAsync(cancellationToken);
        var baseline = db.Database.GetMigrations().First();
        if (applied.Count == 0 || string.CompareOrdinal(applied[^1], baseline) >= 0)
        {
            return;
        }

        if (applied[^1] != SquashedThrough)
        {
            throw new InvalidOperationException(
                $"The database was migrated up to {applied[^1]}, part of the way through the migrations squashed into {baseline}; "
                + "it cannot be brought forward. No release holds data: drop the database and migrate it again.");
        }

        logger.LogInformation("The database was migrated by the migrations squashed into {Baseline}; its history now names {Baseline}.", baseline, baseline);
        var version = ProductInfo.GetVersion();
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM registry.__ef_migrations_history; INSERT INTO registry.__ef_migrations_history (migration_id, product_version) VALUES ({baseline}, {version})",
            cancellationToken);
    }
}
