using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Infrastructure.Persistence;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>Fresh databases made the two ways the schema can be made, and what their catalogs say.</summary>
internal static class SchemaDatabases
{
    /// <summary>A database brought to the newest migration (the Baseline and what follows it).</summary>
    public static async Task<string> MigratedAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var db = Context(connectionString);
        await db.Database.MigrateAsync();
        return connectionString;
    }

    public static RegistryDbContext Context(string connectionString) =>
        new((DbContextOptions<RegistryDbContext>)RegistryDbContext.Configure(new DbContextOptionsBuilder<RegistryDbContext>(), connectionString).Options);

    /// <summary>The rows of a query, each row's columns joined by " | ", sorted.</summary>
    public static async Task<List<string>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>name → definition, for a query of two columns.</summary>
    public static async Task<Dictionary<string, string>> DefinitionsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var definitions = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            definitions.Add(reader.GetString(0), reader.GetString(1));
        }

        return definitions;
    }
}
