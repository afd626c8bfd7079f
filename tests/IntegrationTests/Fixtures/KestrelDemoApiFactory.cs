using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Text.Json.Nodes;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with the demo data on a real loopback port (Kestrel), for programs outside the test process.</summary>
public sealed class KestrelDemoApiFactory : RegistryApiFactory
{
    public string BaseUrl { get; private set; } = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseUrl = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, new Uri(BaseUrl).Port));
        StartServer();
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
