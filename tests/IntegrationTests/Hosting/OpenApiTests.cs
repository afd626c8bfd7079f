using System.Net;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Hosting;

public sealed class OpenApiTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task Swagger_json_is_an_openapi_document_of_the_api()
    {
        var document = await FetchContractAsync();

        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(document["paths"]!["/v1/publishers"]);
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value!["operationId"]?.GetValue<string>()))
            .ToList();
        Assert.All(operationIds, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(operationIds.Count, operationIds.Distinct().Count());
    }

    /// <summary>Swagger UI and ReDoc list the tags in the document's order: what a reader needs first, the admin's audit log last.</summary>
    [Fact]
    public async Task Tags_are_listed_in_the_order_a_reader_needs_them()
    {
        var document = await FetchContractAsync();

        var tags = document["tags"]!.AsArray().Select(tag => tag!["name"]!.GetValue<string>());
        Assert.Equal(["Projects", "Partners", "Funding measures", "Goals", "Changes", "Exports", "Statistics", "Imports", "Publishers", "Audit"], tags);
        var used = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().SelectMany(op => op.Value!["tags"]!.AsArray().Select(t => t!.GetValue<string>())));
        Assert.Subset(tags.ToHashSet(), used.ToHashSet());
    }

    /// <summary>
    /// openapi/v1.json is written from the code by every Release build (Swashbuckle's CLI); the running API
    /// must serve exactly that document, so the build and the app emit the same contract.
    /// </summary>
    [Fact]
    public async Task Checked_in_contract_equals_what_the_api_serves()
    {
        var served = await FetchContractAsync();
        var path = Path.Combine(TestPaths.RepositoryRoot(), "openapi", "v1.json");

        Assert.True(File.Exists(path), $"{path} is missing; a Release build (deploy/local/test.sh) writes it.");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(path));
        Assert.True(JsonNode.DeepEquals(checkedIn, served), "openapi/v1.json differs from what the API serves; run deploy/local/test.sh (its Release build rewrites the file) and commit the result.");
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_swagger()
    {
        var response = await api.CreateClient().GetAsync("/swagger");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redoc_reference_is_served_at_docs_without_a_cdn()
    {
        var client = api.CreateClient();
        var page = await client.GetAsync("/docs/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        // Its script is local (the package's default page links a web font stylesheet, which degrades to local fonts offline).
        Assert.Contains("src=\"index.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src=\"http", html, StringComparison.Ordinal);
        var init = await client.GetStringAsync("/docs/index.js");
        Assert.Contains("init(\"/swagger/v1/swagger.json\"", init, StringComparison.Ordinal);
        Assert.Contains("./redoc.standalone.js", init, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/redoc.standalone.js")).StatusCode);
    }

    private async Task<JsonNode> FetchContractAsync()
    {
        var response = await api.CreateClient().GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
