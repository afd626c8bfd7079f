using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>Errors say what to send instead; links in bodies are absolute.</summary>
public sealed class ErrorsThatTeachTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Theory]
    [InlineData("/v1/projects/not-a-uuid", "id")]
    [InlineData("/v1/partners/12345", "id")]
    [InlineData("/v1/imports/nope/records", "id")]
    [InlineData("/v1/funding-measures/x", "id")]
    public async Task A_malformed_id_is_a_400_naming_the_parameter(string path, string parameter)
    {
        var response = await api.CreateClient().GetAsync(path);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors(), e => e.Parameter == parameter);
    }

    [Fact]
    public async Task A_path_that_names_no_resource_is_still_a_404()
    {
        await (await api.CreateClient().GetAsync("/v1/nothing-here/123")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_415_names_the_media_types_the_operation_takes()
    {
        var publisher = await api.CreatePublisherAsync("teach");

        var json = await publisher.Client.PostAsync("/v1/projects", new StringContent("{}", Encoding.UTF8, "text/plain"));
        var problem = await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var upsert = await publisher.Client.PutAsync("/v1/projects/external/a/b", new StringContent("{}", Encoding.UTF8, "application/xml"));
        problem = await upsert.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var patch = await publisher.Client.PatchAsync($"/v1/projects/{Guid.NewGuid()}", new StringContent("{}", Encoding.UTF8, "application/json"));
        problem = await patch.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/merge-patch+json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var import = await publisher.Client.PostAsync("/v1/imports/projects", new StringContent("a,b", Encoding.UTF8, "text/csv"));
        problem = await import.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/x-ndjson", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_imports_records_link_is_absolute_like_every_next_link()
    {
        var publisher = await api.CreatePublisherAsync("teach-links");
        var record = new JsonArray(JsonNode.Parse("""{"externalId": "links-1", "title": {"pl": "Projekt"}, "originalLanguage": "pl"}"""));
        var report = await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(record))).AssertStatusAsync(HttpStatusCode.OK);

        var records = report.GetProperty("import").GetProperty("records").GetString()!;
        Assert.True(Uri.TryCreate(records, UriKind.Absolute, out var link), records);
        var page = await (await publisher.Client.GetAsync(link)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("created", page.GetProperty("items")[0].GetProperty("status").GetString());

        var id = report.GetProperty("import").GetProperty("id").GetString();
        var again = await (await publisher.Client.GetAsync($"/v1/imports/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(records, again.GetProperty("records").GetString());
        var listed = await (await publisher.Client.GetAsync("/v1/imports")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(records, listed.GetProperty("items")[0].GetProperty("records").GetString());
    }
}
