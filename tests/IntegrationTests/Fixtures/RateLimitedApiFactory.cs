using Microsoft.AspNetCore.Hosting;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with small budgets: 5 reads and 3 writes a minute per caller.</summary>
public sealed class RateLimitedApiFactory : RegistryApiFactory
{
    protected override bool RateLimited => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:ReadsPerWindow", "5");
        builder.UseSetting("RateLimits:WritesPerWindow", "3");
        builder.UseSetting("RateLimits:ImportsPerWindow", "2");
        builder.UseSetting("RateLimits:WindowSeconds", "60");
    }
}
