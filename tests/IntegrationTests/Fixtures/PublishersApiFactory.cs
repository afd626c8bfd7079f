using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>Two publishers with a key each, for writing projects as publishers do.</summary>
public class PublishersApiFactory : RegistryApiFactory
{
    public HttpClient PublisherA { get; private set; } = null!;

    public HttpClient PublisherB { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        PublisherA = await KeyedClientAsync("pub-a");
        PublisherB = await KeyedClientAsync("pub-b");
    }

    private async Task<HttpClient> KeyedClientAsync(string code)
    {
        var admin = CreateAdminClient();
        (await admin.PostAsJsonAsync("/v1/publishers", new { code, name = code })).EnsureSuccessStatusCode();
        var key = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "tests" })).Content.ReadFromJsonAsync<JsonElement>();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("secret").GetString());
        return client;
    }
}
