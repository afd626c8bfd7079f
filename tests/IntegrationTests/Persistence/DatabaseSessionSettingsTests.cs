using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>
/// Server tuning is configuration of the connection, not of the schema: the registry's sessions run without JIT and
/// parallel workers (<see cref="DatabaseSessionSettings"/>), a connection string's own Options win, and the
/// migrations leave the database's settings alone.
/// </summary>
public sealed class DatabaseSessionSettingsTests
{
    [Fact]
    public async Task The_registrys_sessions_run_without_jit_and_parallel_workers_and_the_database_keeps_its_settings()
    {
        var connectionString = await SchemaDatabases.MigratedAsync();
        try
        {
            await using var db = SchemaDatabases.Context(connectionString);

            Assert.Equal("off", await SettingAsync(db, "jit"));
            Assert.Equal("0", await SettingAsync(db, "max_parallel_workers_per_gather"));
            // A plain connection sees the server's own settings: no migration changed the database's.
            Assert.Equal([], await SchemaDatabases.RowsAsync(connectionString,
                "SELECT s.setconfig::text FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_setting_the_connection_string_names_is_left_as_given()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        try
        {
            var given = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c jit=on" }.ConnectionString;
            await using var db = SchemaDatabases.Context(given);

            Assert.Equal("on", await SettingAsync(db, "jit"));
            Assert.Equal("0", await SettingAsync(db, "max_parallel_workers_per_gather"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<string> SettingAsync(RegistryDbContext db, string name) =>
        await db.Database.SqlQuery<string>($"SELECT current_setting({name}) AS \"Value\"").SingleAsync();
}
