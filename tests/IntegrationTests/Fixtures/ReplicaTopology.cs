using Npgsql;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// Several replicas on loopback, made by the test itself: a PostgreSQL primary and a streaming hot standby of it
/// (pg_basebackup -R), a Redis for the rate budgets, and two API processes (A and B) configured as an operator
/// configures replicas: ConnectionStrings__Registry on the primary (application_name replica-api-a / -b) and
/// ConnectionStrings__RegistryReplicas on the standby then the primary with prefer-standby (application_name
/// replica-api-a-reads / -b-reads), RateLimits__Redis on the one Redis.
/// </summary>
public sealed class ReplicaTopology : IAsyncLifetime
{
    public const string AdminKey = "replica-admin-key-5b81f0c2";
    public const int ImportsPerWindow = 6;
    public const int LeaseSeconds = 3;
    private const string Database = "registry_replicas";

    public LocalPostgresCluster Cluster { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public ReplicaApiProcess A { get; private set; } = null!;

    public ReplicaApiProcess B { get; private set; } = null!;

    public IReadOnlyList<ReplicaApiProcess> Apis => [A, B];

    public async Task InitializeAsync()
    {
        Cluster = await LocalPostgresCluster.StartAsync(Database);
        await Cluster.StartStandbyAsync();
        Redis = await RedisServer.StartAsync();
        // A migrates the primary; the standby replays the schema from the WAL.
        A = await ReplicaApiProcess.StartAsync("replica-api-a", Settings("replica-api-a", migrate: true));
        B = await ReplicaApiProcess.StartAsync("replica-api-b", Settings("replica-api-b", migrate: false));
    }

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>The client backends on the primary or the standby: application_name, and when each began its last query.</summary>
    public async Task<List<(string Application, DateTime QueryStart)>> SessionsAsync(bool standby)
    {
        var sessions = new List<(string, DateTime)>();
        await using var connection = new NpgsqlConnection((standby ? Cluster.StandbyConnectionString("Pooling=false") : Cluster.ConnectionString("Pooling=false")) + ";Application Name=replica-test-probe");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT application_name, query_start FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name LIKE 'replica-api-%' AND query_start IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Add((reader.GetString(0), reader.GetDateTime(1)));
        }

        return sessions;
    }

    /// <summary>The database's clock (the primary and the standby share the machine's).</summary>
    public async Task<DateTime> NowAsync() =>
        await ScalarAsync<DateTime>("SELECT clock_timestamp()");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString("Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Dictionary<string, string> Settings(string name, bool migrate)
    {
        var primary = new NpgsqlConnectionStringBuilder(Cluster.ConnectionString()) { ApplicationName = name };
        var replicas = new NpgsqlConnectionStringBuilder(Cluster.ConnectionString())
        {
            Host = $"127.0.0.1:{Cluster.StandbyPort},127.0.0.1:{Cluster.Port}",
            ApplicationName = $"{name}-reads",
            TargetSessionAttributes = "prefer-standby",
            LoadBalanceHosts = true,
        };
        replicas.Remove("Port");
        return new Dictionary<string, string>
        {
            ["ConnectionStrings__Registry"] = primary.ConnectionString,
            ["ConnectionStrings__RegistryReplicas"] = replicas.ConnectionString,
            ["Database__MigrateOnStartup"] = migrate ? "true" : "false",
            ["REGISTRY_ADMIN_KEY"] = AdminKey,
            ["ChangeFeed__RetentionEnabled"] = "false",
            ["RateLimits__Redis"] = Redis.Configuration,
            ["RateLimits__ReadsPerWindow"] = "100000",
            ["RateLimits__WritesPerWindow"] = "100000",
            ["RateLimits__ImportsPerWindow"] = ImportsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Short import leases and small batches: a killed runner's import is part-way and taken over in seconds.
            ["Imports__LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Imports__BatchSize"] = "250",
            ["Imports__PollMilliseconds"] = "200",
            ["Logging__LogLevel__RuralRegistry.Web.Imports"] = "Information",
        };
    }
}
