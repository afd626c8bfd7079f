using Microsoft.AspNetCore.Hosting;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The demo records, with lists tuned so that one or two matches already exceed the walked and the bounded
/// rows: every path of the project list's key query is then reached by a handful of projects.
/// </summary>
public sealed class QueryPathsApiFactory : RegistryApiFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DemoRegistryApiFactory.LoadDemoAsync(CreateAdminClient());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Lists:WalkedRows", "1");
        builder.UseSetting("Lists:BoundedMatches", "1");
    }
}
