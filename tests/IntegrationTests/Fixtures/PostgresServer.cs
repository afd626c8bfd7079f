using Npgsql;
using Testcontainers.PostgreSql;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The one PostgreSQL server the integration tests share: the server named by
/// TEST_POSTGRES_CONNECTION when it is set, otherwise a Testcontainers container of TEST_POSTGRES_IMAGE.
/// Each test class gets a database of its own on it, so classes never see each other's rows.
/// </summary>
public static class PostgresServer
{
    public const string DefaultImage = "postgres:15";
    public const string ContainerLabel = "rural-registry.tests";

    /// <summary>
    /// The label's value: deploy/local/test.sh sets TEST_RUN_ID so that, at its exit, it removes its own run's
    /// container and never another run's (several work trees may run their suites at once).
    /// </summary>
    private static readonly string RunLabel = Environment.GetEnvironmentVariable("TEST_RUN_ID") is { Length: > 0 } run ? run : "true";

    private static readonly Lazy<Task<Server>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Instance.Value;
        var name = $"registry_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a test database (the container goes with the run; an external server keeps what is not dropped).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var server = await Instance.Value;
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Server> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("TEST_POSTGRES_CONNECTION");
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            Report($"integration database: external {builder.Host}:{builder.Port}/{builder.Database} (TEST_POSTGRES_CONNECTION)");
            return new Server(external);
        }

        var image = Environment.GetEnvironmentVariable("TEST_POSTGRES_IMAGE");
        image = string.IsNullOrWhiteSpace(image) ? DefaultImage : image;
        var container = new PostgreSqlBuilder(image)
            .WithLabel(ContainerLabel, RunLabel)
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300")
            .Build();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Report($"integration database: testcontainers image {image}, container {container.Id[..12]}, {container.Hostname}:{container.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort)}");
        return new Server(container.GetConnectionString());
    }

    /// <summary>deploy/local/test.sh names the database path the tests really used; it reads it from this file.</summary>
    private static void Report(string line)
    {
        var file = Environment.GetEnvironmentVariable("TEST_DATABASE_REPORT");
        if (!string.IsNullOrWhiteSpace(file))
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }

    private sealed record Server(string AdminConnectionString);
}
