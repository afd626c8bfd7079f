using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with the demo data on a real loopback port (Kestrel), for programs outside the test process.</summary>
public sealed class KestrelDemoApiFactory : RegistryApiFactory
{
    public string BaseUrl { get; private set; } = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Port 0: Kestrel binds one the system has free, and says which (no probe whose port another socket could take).
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');
        var admin = CreateAdminClient();
        foreach (var publisher in JsonNode.Parse(await File.ReadAllTextAsync(TestPaths.Demo("publishers.json")))!.AsArray())
        {
            (await admin.PostAsJsonAsync("/v1/publishers", publisher)).EnsureSuccessStatusCode();
        }

        foreach (var file in DemoRegistryApiFactory.DemoFiles())
        {
            (await DemoRegistryApiFactory.PutAsync(admin, file)).EnsureSuccessStatusCode();
        }
    }
}
