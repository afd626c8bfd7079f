using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>A publisher made for one test, with an API key of its own.</summary>
/// <param name="Code">The publisher's code.</param>
/// <param name="KeyId">The id of its key, for revoking it.</param>
/// <param name="Secret">The key's secret.</param>
/// <param name="Client">A client that sends the key as <c>Authorization: Bearer</c>.</param>
public sealed record TestPublisher(string Code, Guid KeyId, string Secret, HttpClient Client);

/// <summary>Shortcuts the resource tests share: publishers with keys, JSON bodies, headers.</summary>
public static class RegistryClients
{
    public const string MergePatchType = "application/merge-patch+json";

    /// <summary>A publisher code no other test uses.</summary>
    public static string NewCode(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Registers a publisher (as admin), issues it a key, and returns a client that sends the key.</summary>
    public static async Task<TestPublisher> CreatePublisherAsync(this RegistryApiFactory api, string prefix = "pub")
    {
        var code = NewCode(prefix);
        var admin = api.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/v1/publishers", new { code, name = $"Publisher {code}" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var issued = await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "integration tests" });
        Assert.True(issued.StatusCode == HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var secret = key.GetProperty("secret").GetString()!;
        return new TestPublisher(code, key.GetProperty("id").GetGuid(), secret, api.CreateBearerClient(secret));
    }

    public static HttpClient CreateBearerClient(this RegistryApiFactory api, string secret)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Asserts the status, showing the body when it differs, and returns the body as JSON.</summary>
    public static async Task<JsonElement> AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    public static string WriteStatus(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Registry-Write-Status", out var values) ? values.Single() : "(none)";

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent JsonBody(JsonNode json) => JsonBody(json.ToJsonString());

    public static StringContent MergePatch(string json) => new(json, Encoding.UTF8, MergePatchType);

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string uri, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"header {name}");
        }

        return client.SendAsync(request);
    }

    /// <summary>The smallest project a publisher may write, naming the given partners (each a partner reference object).</summary>
    public static JsonObject Project(params JsonNode[] partners) => ProjectWithRoles([.. partners.Select((p, i) => (p, i == 0 ? "lead" : "partner"))]);

    public static JsonObject ProjectWithRoles(params (JsonNode Partner, string Role)[] partners) => new()
    {
        ["title"] = new JsonObject { ["pl"] = "Tytuł" },
        ["originalLanguage"] = "pl",
        ["partners"] = new JsonArray([.. partners.Select(p => (JsonNode)new JsonObject { ["partner"] = p.Partner, ["role"] = p.Role })]),
    };

    public static JsonObject PartnerById(Guid id) => new() { ["id"] = id.ToString() };

    /// <summary>Writes a project by its external id with PUT /v1/projects/external/{externalId}.</summary>
    public static Task<HttpResponseMessage> PutProjectAsync(this HttpClient client, string externalId, JsonNode body) =>
        client.PutAsync($"/v1/projects/external/{Uri.EscapeDataString(externalId)}", JsonBody(body));

    /// <summary>The ids of the partners a project response names, in order.</summary>
    public static List<Guid> PartnerIds(this JsonElement project) =>
        [.. project.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("partner").GetProperty("id").GetGuid())];

    /// <summary>Every item of a paged collection, following the next links.</summary>
    public static async Task<List<JsonElement>> ReadAllAsync(this HttpClient client, string first)
    {
        var items = new List<JsonElement>();
        string? next = first;
        while (next is not null)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(next);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        return items;
    }
}
