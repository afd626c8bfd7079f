using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>Runs the real <c>migrate</c> command of the web host against fresh databases.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_command_applies_every_migration_to_an_empty_database()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();

        var (exitCode, output) = await RunMigrateAsync(connectionString);

        Assert.True(exitCode == 0, output);
        Assert.Equal(KnownMigrations(connectionString), await AppliedMigrationsAsync(connectionString));
        Assert.True(await TableExistsAsync(connectionString, "registry", "publishers"));
    }

    /// <summary>A normal first start must not alarm: EF used to read the history table before making it, and log that as a failure.</summary>
    [Fact]
    public async Task A_first_migrate_of_an_empty_database_logs_no_failure_and_no_sql_at_the_default_levels()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();

        var (exitCode, output) = await RunMigrateAsync(connectionString);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("__ef_migrations_history", output, StringComparison.Ordinal);
        Assert.Contains("Database schema migrated.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_command_is_idempotent()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var (firstExit, firstOutput) = await RunMigrateAsync(connectionString);
        Assert.True(firstExit == 0, firstOutput);

        var (secondExit, secondOutput) = await RunMigrateAsync(connectionString);

        Assert.True(secondExit == 0, secondOutput);
        Assert.Contains("no migration to apply", secondOutput, StringComparison.Ordinal);
        Assert.Equal(KnownMigrations(connectionString), await AppliedMigrationsAsync(connectionString));
    }

    [Fact]
    public async Task Reference_data_is_seeded_once_and_a_second_run_takes_no_new_versions()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        Assert.Equal(0, (await RunMigrateAsync(connectionString)).ExitCode);
        var first = await ScalarAsync(connectionString, "SELECT count(*) || '/' || max(sequence) FROM registry.changes");

        Assert.Equal(0, (await RunMigrateAsync(connectionString)).ExitCode);

        Assert.Equal(first, await ScalarAsync(connectionString, "SELECT count(*) || '/' || max(sequence) FROM registry.changes"));
        Assert.Equal("6B", await ScalarAsync(connectionString, "SELECT code FROM registry.goals WHERE scheme = 'eu-rdp-2014-2020' AND code = '6B'"));
        Assert.Equal("M19", await ScalarAsync(connectionString,
            "SELECT p.code FROM registry.funding_measures m JOIN registry.funding_measures p ON p.id = m.parent_id WHERE m.scheme = 'lv-rdp-2014-2020' AND m.code = '19.3'"));
    }

    [Fact]
    public async Task Concurrent_migrations_of_one_database_both_succeed_and_apply_each_migration_once()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();

        var results = await Task.WhenAll(RunMigrateAsync(connectionString), RunMigrateAsync(connectionString));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.Equal(KnownMigrations(connectionString), await AppliedMigrationsAsync(connectionString));
    }

    /// <summary>
    /// run.sh and the benches migrate as a role named registry, like the schema: its search path's "$user" entry
    /// is then the registry schema, and an extension created without a schema would land there, where the
    /// functions and the text search configuration (public.unaccent) do not look.
    /// </summary>
    [Fact]
    public async Task A_role_named_like_the_schema_migrates_and_keeps_the_extensions_in_public()
    {
        var adminConnection = await PostgresServer.CreateDatabaseAsync();
        var database = new NpgsqlConnectionStringBuilder(adminConnection).Database!;
        await ScalarAsync(adminConnection, """
            DO $$ BEGIN CREATE ROLE registry LOGIN PASSWORD 'registry'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            SELECT 1
            """);
        await ScalarAsync(adminConnection, $"ALTER DATABASE \"{database}\" OWNER TO registry; SELECT 1");
        var asRegistry = new NpgsqlConnectionStringBuilder(adminConnection) { Username = "registry", Password = "registry" }.ConnectionString;

        var (exitCode, output) = await RunMigrateAsync(asRegistry);

        Assert.True(exitCode == 0, output);
        Assert.Equal("public,public,public", await ScalarAsync(adminConnection,
            "SELECT string_agg(extnamespace::regnamespace::text, ',' ORDER BY extname) FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm', 'fuzzystrmatch')"));
    }

    private const string BaselineMigration = "20261203112222_Baseline";

    /// <summary>The nineteen migrations squashed into Baseline, as a database migrated before the squash names them.</summary>
    private static readonly string[] Squashed =
    [
        "20261122171656_InitialPublishers", "20261122174233_CoreResources", "20261122180208_ChangeFeed",
        "20261122180703_ProjectLanguages", "20261122185538_FeedGuardSafety", "20261122191355_KeyScopesAndAudit",
        "20261122200000_ProjectSearch", "20261122202100_AddImports", "20261122205905_PartnerNameSearch",
        "20261122214122_QueriesWithoutJit", "20261122223439_ProjectSearchTables", "20261122231420_QueriesWithoutParallelWorkers",
        "20261123010820_RefreshLooksUpPartnersByKey", "20261123012453_DerivedRowsFollowByTriggers",
        "20261123015054_LinksFollowTheirProjectsByTrigger", "20261123015614_FacetsInlineAndChangeNumbersInBulk",
        "20261123024334_ReferencesCheckedPerStatement", "20261123035325_DropIndexesNoQueryUses", "20261123041820_PartnerNameKeysByIndex",
    ];

    [Fact]
    public async Task A_database_migrated_before_the_squash_is_adopted_by_the_baseline_and_keeps_its_rows()
    {
        // A database the old chain made has Baseline's schema and names the nineteen old migrations.
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var db = SchemaDatabases.Context(connectionString))
        {
            await db.Database.MigrateAsync(BaselineMigration);
        }

        await ScalarAsync(connectionString, "INSERT INTO registry.publishers (id, code, name, created_at, updated_at) "
            + "VALUES ('0190b1a0-0000-7000-8000-000000000001', 'kept-before-squash', 'Kept', now(), now()); SELECT 1");
        await ScalarAsync(connectionString, "DELETE FROM registry.__ef_migrations_history; INSERT INTO registry.__ef_migrations_history "
            + "SELECT unnest(ARRAY['" + string.Join("', '", Squashed) + "']), '10.0.5'");

        var (exitCode, output) = await RunMigrateAsync(connectionString);

        // Baseline is adopted, not applied (applying it would fail on the existing tables); later migrations are applied.
        Assert.True(exitCode == 0, output);
        Assert.Contains("its history now names", output, StringComparison.Ordinal);
        Assert.Equal(KnownMigrations(connectionString), await AppliedMigrationsAsync(connectionString));
        Assert.Equal("Kept", await ScalarAsync(connectionString, "SELECT name FROM registry.publishers WHERE code = 'kept-before-squash'"));
    }

    [Fact]
    public async Task A_database_left_part_way_through_the_squashed_migrations_is_refused_with_what_to_do()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await ScalarAsync(connectionString, "CREATE SCHEMA registry; CREATE TABLE registry.__ef_migrations_history "
            + "(migration_id character varying(150) PRIMARY KEY, product_version character varying(32) NOT NULL); "
            + $"INSERT INTO registry.__ef_migrations_history VALUES ('{Squashed[0]}', '10.0.5'), ('{Squashed[1]}', '10.0.5')");

        var (exitCode, output) = await RunMigrateAsync(connectionString);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"migrated up to {Squashed[1]}", output, StringComparison.Ordinal);
        Assert.Contains("drop the database and migrate it again", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_command_fails_with_a_clear_message_without_a_connection_string()
    {
        var (exitCode, output) = await RunMigrateAsync(connectionString: null);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings__Registry", output, StringComparison.Ordinal);
    }

    private static List<string> KnownMigrations(string connectionString)
    {
        var options = RegistryDbContext.Configure(new DbContextOptionsBuilder<RegistryDbContext>(), connectionString).Options;
        using var db = new RegistryDbContext((DbContextOptions<RegistryDbContext>)options);
        var known = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(known);
        return known;
    }

    private static async Task<List<string>> AppliedMigrationsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT migration_id FROM registry.__ef_migrations_history ORDER BY migration_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var applied = new List<string>();
        while (await reader.ReadAsync())
        {
            applied.Add(reader.GetString(0));
        }

        return applied;
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private static async Task<bool> TableExistsAsync(string connectionString, string schema, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", $"{schema}.{table}");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(int ExitCode, string Output)> RunMigrateAsync(string? connectionString)
    {
        var webAssembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [webAssembly, "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(webAssembly)!,
        };
        start.Environment["ConnectionStrings__Registry"] = connectionString ?? string.Empty;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
