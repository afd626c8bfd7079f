using Microsoft.AspNetCore.Hosting;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>Publishers A and B, with filtered pages that look at 8 rows in order first, then sort at most 10 matches themselves, then walk an index.</summary>
public sealed class SmallListBoundApiFactory : PublishersApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Lists:BoundedMatches", "10");
        builder.UseSetting("Lists:WalkedRows", "8");
    }
}
