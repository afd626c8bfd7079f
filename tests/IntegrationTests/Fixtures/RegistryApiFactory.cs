using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The API in memory over a fresh, migrated database of its own. Requests to <c>/__test/throw</c>
/// fail with an unhandled exception, so the 500 path can be tested without shipping such a route.
/// </summary>
public class RegistryApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-7f3c9d1e";
    public const string ThrowPath = "/__test/throw";

    public string ConnectionString { get; private set; } = string.Empty;

    protected void SetConnectionString(string connectionString) => ConnectionString = connectionString;

    protected virtual string EnvironmentName => "Production";

    protected virtual bool MigrateOnStartup => true;

    /// <summary>Rate limits are off in tests, but for those that test them: every test client shares one address.</summary>
    protected virtual bool RateLimited => false;

    /// <summary>The date-driven status job's schedule is off in tests (they run the job themselves), but for those that test it.</summary>
    protected virtual bool StatusScheduleEnabled => false;

    public virtual async Task InitializeAsync() => ConnectionString = await PostgresServer.CreateDatabaseAsync();

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Registry", ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", MigrateOnStartup ? "true" : "false");
        builder.UseSetting("REGISTRY_ADMIN_KEY", AdminKey);
        builder.UseSetting("ChangeFeed:RetentionEnabled", "false");
        builder.UseSetting($"Jobs:{ProjectStatusJob.JobName}:Enabled", StatusScheduleEnabled ? "true" : "false");
        builder.UseSetting("RateLimits:Enabled", RateLimited ? "true" : "false");

        // Expected failures (refused requests, unreachable databases, lost races) would flood the runner's output.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Critical");
        builder.UseSetting("Logging:LogLevel:RuralRegistry.Web.Problems", "Critical");
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, ThrowingRouteStartupFilter>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (OwnsDatabase)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }

    /// <summary>Whether this factory made its database (and so drops it when done).</summary>
    protected virtual bool OwnsDatabase => true;

    private sealed class ThrowingRouteStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext context, RequestDelegate nextMiddleware) => context.Request.Path == ThrowPath
                ? throw new InvalidOperationException("Deliberate failure for the tests: secret-internal-detail")
                : nextMiddleware(context));
        };
    }
}

/// <summary>The same API, started in the Development environment.</summary>
public sealed class DevelopmentRegistryApiFactory : RegistryApiFactory
{
    protected override string EnvironmentName => "Development";
}

/// <summary>The API over an empty database that startup does not migrate.</summary>
public sealed class UnmigratedRegistryApiFactory : RegistryApiFactory
{
    protected override bool MigrateOnStartup => false;
}

/// <summary>The API pointed at a database server that does not answer.</summary>
public sealed class UnreachableDatabaseApiFactory : RegistryApiFactory
{
    protected override bool MigrateOnStartup => false;

    protected override bool OwnsDatabase => false;

    public override Task InitializeAsync()
    {
        SetConnectionString("Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=none;Timeout=2");
        return Task.CompletedTask;
    }
}
