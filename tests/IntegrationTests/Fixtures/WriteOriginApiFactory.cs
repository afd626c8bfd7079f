using Microsoft.AspNetCore.Hosting;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with one origin allowed to write from a browser.</summary>
public sealed class WriteOriginApiFactory : RegistryApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cors:WriteOrigins:0", "https://editor.example");
    }
}
