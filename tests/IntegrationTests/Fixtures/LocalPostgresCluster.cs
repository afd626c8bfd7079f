using System.Diagnostics;
using Npgsql;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL 15 cluster of its own (deploy/local/lib/pg-cluster.sh, Debian's server binaries) on a free
/// loopback port, that a test may stop and start again with <c>pg_ctl -m fast</c>, as an operator restarting the
/// database does. Never the shared test server: stopping that would fail every other test.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string Script = "deploy/local/lib/pg-cluster.sh";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"rural-registry-faults-{Guid.NewGuid():N}");

    private LocalPostgresCluster(int port, string database)
    {
        Port = port;
        Database = database;
    }

    public int Port { get; }

    /// <summary>The database the cluster was made with (owned by the <c>registry</c> role).</summary>
    public string Database { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string StandbyDirectory => Path.Combine(_root, "standby");

    /// <summary>The port of the streaming standby, once <see cref="StartStandbyAsync"/> made it.</summary>
    public int? StandbyPort { get; private set; }

    /// <summary>
    /// Makes and starts the cluster on a port the system has free; when another socket takes that port before the
    /// server binds it (any outgoing connection of the machine gets a port from the same range), on another.
    /// </summary>
    public static Task<LocalPostgresCluster> StartAsync(string database) =>
        LoopbackPort.StartOnFreePortAsync(port => new LocalPostgresCluster(port, database), cluster => cluster.StartOnceAsync());

    public string ConnectionString(string extra = "") =>
        $"Host=127.0.0.1;Port={Port};Database={Database};Username=registry;Password=registry;Timeout=3;Search Path=public;{extra}";

    /// <summary>Fast shutdown: open sessions are ended (57P01), new connections refused until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => RunAsync("stop", DataDirectory);

    /// <summary>
    /// Starts the stopped server again on its port (connection strings name it). While it was stopped another socket
    /// may have been given that port as its own: then it waits, up to 30 s, for the port to be let go.
    /// </summary>
    public Task StartAgainAsync() => LoopbackPort.StartKeepingPortAsync(StartOnceAsync, TimeSpan.FromSeconds(30));

    private Task StartOnceAsync() => RunAsync("start", DataDirectory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Database);

    /// <summary>
    /// Makes a streaming hot standby of this cluster (pg_basebackup -R, deploy/local/lib/pg-cluster.sh standby) on a
    /// free loopback port and starts it; it serves the same databases and roles, read-only.
    /// </summary>
    public async Task<int> StartStandbyAsync()
    {
        StandbyPort ??= LoopbackPort.Free();
        await RunAsync("standby", DataDirectory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StandbyDirectory, StandbyPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return StandbyPort.Value;
    }

    public Task StopStandbyAsync() => RunAsync("stop", StandbyDirectory);

    /// <summary>The standby's connection string (as <see cref="ConnectionString"/>, on its port).</summary>
    public string StandbyConnectionString(string extra = "") =>
        new NpgsqlConnectionStringBuilder(ConnectionString(extra)) { Port = StandbyPort ?? throw new InvalidOperationException("No standby was started.") }.ConnectionString;

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (StandbyPort is not null)
            {
                await StopStandbyAsync();
            }

            await StopAsync();
        }
        finally
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
    }

    private async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = TestPaths.RepositoryRoot() };
        start.Environment["PG_CLUSTER_OPTS"] = "-c fsync=off -c synchronous_commit=off -c max_connections=100";
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg-cluster.sh {string.Join(' ', arguments)} failed: {await error}");
        }
    }
}
