namespace RuralRegistry.IntegrationTests.Cluster;

/// <summary>
/// Tests of several API processes on one database run alone: they start processes of the built API on loopback ports,
/// kill them, and time leases.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";
}

/// <summary>A PostgreSQL cluster of the test class's own (so a test may restart it), migrated once.</summary>
public sealed class ClusterDatabase : IAsyncLifetime
{
    private Fixtures.LocalPostgresCluster? _cluster;

    public Fixtures.LocalPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public string ConnectionString => Cluster.ConnectionString();

    public async Task InitializeAsync()
    {
        _cluster = await Fixtures.LocalPostgresCluster.StartAsync("registry_cluster");
        await Fixtures.ApiProcess.MigrateAsync(ConnectionString, TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is { } cluster)
        {
            await cluster.DisposeAsync();
        }
    }
}
