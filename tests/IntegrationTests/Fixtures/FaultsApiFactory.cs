using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The API over a PostgreSQL cluster of its own that the tests stop and restart, with short import leases and stall
/// limits (so a lapsed lease or a stuck import shows within seconds), small batches (so an import spans many transactions), and one background job that
/// fails at once (which must not end the host).
/// </summary>
public sealed class FaultsApiFactory : RegistryApiFactory
{
    public const int LeaseSeconds = 3;
    public const int BatchSize = 5;
    public const int StallSeconds = 10;

    private LocalPostgresCluster? _cluster;

    public LocalPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    protected override bool OwnsDatabase => false;

    public override async Task InitializeAsync()
    {
        _cluster = await LocalPostgresCluster.StartAsync("registry_faults");
        SetConnectionString(_cluster.ConnectionString());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Imports:LeaseSeconds", LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Imports:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Imports:StallSeconds", StallSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.AddHostedService<FailingJob>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_cluster is { } cluster)
        {
            _cluster = null;
            await cluster.DisposeAsync();
        }
    }

    /// <summary>A background job that fails at its first step, as one whose database is away would.</summary>
    public sealed class FailingJob : BackgroundService
    {
        public bool Failed { get; private set; }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            Failed = true;
            throw new InvalidOperationException("A background job failed (deliberately, for the tests).");
        }
    }
}
