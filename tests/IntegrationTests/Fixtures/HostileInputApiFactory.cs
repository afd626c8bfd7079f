using System.Net;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The demo registry plus a publisher with a key of its own, for the hostile-input corpus.</summary>
public sealed class HostileInputApiFactory : RegistryApiFactory
{
    public TestPublisher Publisher { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var (file, response) in await DemoRegistryApiFactory.LoadDemoAsync(CreateAdminClient()))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{file}: {await response.Content.ReadAsStringAsync()}");
        }

        Publisher = await this.CreatePublisherAsync("hostile");
    }
}
