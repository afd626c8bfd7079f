using Microsoft.AspNetCore.Hosting;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// Two API hosts on one database whose rate budgets (6 reads a minute per caller) are kept in one real Redis, as two
/// replicas behind a load balancer share them.
/// </summary>
public sealed class SharedBudgetApis : IAsyncLifetime
{
    public const int ReadsPerWindow = 6;

    public RedisServer Redis { get; private set; } = null!;

    public SharedBudgetApiFactory First { get; private set; } = null!;

    public SharedBudgetApiFactory Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        First = new SharedBudgetApiFactory(Redis.Configuration, database: null);
        await ((IAsyncLifetime)First).InitializeAsync();
        First.CreateClient().Dispose(); // starts it, which migrates the database
        Second = new SharedBudgetApiFactory(Redis.Configuration, First.ConnectionString);
        await ((IAsyncLifetime)Second).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Second).DisposeAsync();
        await ((IAsyncLifetime)First).DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>The API with rate limits on and its budgets in the given Redis; on a database of its own or a given one.</summary>
public sealed class SharedBudgetApiFactory(string redis, string? database) : RegistryApiFactory
{
    protected override bool RateLimited => true;

    protected override bool OwnsDatabase => database is null;

    protected override bool MigrateOnStartup => database is null;

    public override async Task InitializeAsync()
    {
        if (database is null)
        {
            await base.InitializeAsync();
        }
        else
        {
            SetConnectionString(database);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:ReadsPerWindow", SharedBudgetApis.ReadsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:WindowSeconds", "60");
        builder.UseSetting("RateLimits:Redis", redis);
    }
}
