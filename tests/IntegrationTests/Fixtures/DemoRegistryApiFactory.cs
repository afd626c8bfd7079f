using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with the five demo records written once, over HTTP, as a publisher's script would.</summary>
public sealed class DemoRegistryApiFactory : RegistryApiFactory
{
    private readonly Dictionary<string, HttpResponseMessage> _firstWrites = [];

    public IReadOnlyDictionary<string, HttpResponseMessage> FirstWrites => _firstWrites;

    public static IEnumerable<string> DemoFiles() => Directory.EnumerateFiles(TestPaths.Demo("projects"), "*.json").Order(StringComparer.Ordinal);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var (file, response) in await LoadDemoAsync(CreateAdminClient()))
        {
            _firstWrites[file] = response;
        }
    }

    /// <summary>Writes the demo publishers and projects as an admin; returns each project file's answer.</summary>
    public static async Task<List<(string File, HttpResponseMessage Response)>> LoadDemoAsync(HttpClient admin)
    {
        foreach (var publisher in JsonNode.Parse(await File.ReadAllTextAsync(TestPaths.Demo("publishers.json")))!.AsArray())
        {
            var created = await admin.PostAsJsonAsync("/v1/publishers", publisher);
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        }

        var writes = new List<(string, HttpResponseMessage)>();
        foreach (var file in DemoFiles())
        {
            var response = await PutAsync(admin, file);
            await response.Content.LoadIntoBufferAsync();
            writes.Add((file, response));
        }

        return writes;
    }

    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, string file)
    {
        var body = await File.ReadAllTextAsync(file);
        var externalId = JsonNode.Parse(body)!["externalId"]!.GetValue<string>();
        return await client.PutAsync($"/v1/projects/external/{Uri.EscapeDataString(externalId)}", new StringContent(body, Encoding.UTF8, "application/json"));
    }
}
