using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Publishers;

public sealed class PublishersTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task Admin_creates_a_publisher_and_anyone_reads_it()
    {
        var created = await api.CreateAdminClient().PostAsJsonAsync("/v1/publishers", new { code = "lt-kt", name = "Lietuvos kaimo tinklas" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/publishers/lt-kt", created.Headers.Location?.OriginalString);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, Guid.Parse(body.GetProperty("id").GetString()!).Version);
        Assert.Equal("Lietuvos kaimo tinklas", body.GetProperty("name").GetString());

        var fetched = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/publishers/lt-kt");
        Assert.Equal(body.GetProperty("id").GetString(), fetched.GetProperty("id").GetString());
        Assert.Equal("Lietuvos kaimo tinklas", fetched.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Missing_publisher_is_a_404_problem()
    {
        var response = await api.CreateClient().GetAsync("/v1/publishers/no-such-publisher");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_publisher_is_a_400_problem_listing_each_field()
    {
        var response = await api.CreateAdminClient().PostAsJsonAsync("/v1/publishers", new { code = "PL KSOW", name = "" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/code", "/name"], problem.Errors().Select(e => e.Pointer).Order());
    }

    [Fact]
    public async Task Duplicate_code_is_a_409_problem_even_under_concurrent_requests()
    {
        var client = api.CreateAdminClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            client.PostAsJsonAsync("/v1/publishers", new { code = "bg-mig-race", name = $"МИГ {i}" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await conflict.AssertProblemAsync(HttpStatusCode.Conflict);
        }
    }

    [Fact]
    public async Task Paging_walks_every_publisher_once_by_keyset_tokens()
    {
        var admin = api.CreateAdminClient();
        var codes = Enumerable.Range(0, 7).Select(i => $"paging-{i:D2}").ToList();
        foreach (var code in codes)
        {
            (await admin.PostAsJsonAsync("/v1/publishers", new { code, name = code })).EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        var client = api.CreateClient();
        string? next = "/v1/publishers?pageSize=3";
        var pages = 0;
        while (next is not null)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(next);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()!));
            if (page.TryGetProperty("next", out var link))
            {
                Assert.True(Uri.TryCreate(link.GetString(), UriKind.Absolute, out _), "next is an absolute link");
                Assert.True(page.TryGetProperty("nextPageToken", out _));
                next = link.GetString();
            }
            else
            {
                Assert.False(page.TryGetProperty("nextPageToken", out _));
                next = null;
            }

            pages++;
        }

        var paged = seen.Where(c => c.StartsWith("paging-", StringComparison.Ordinal)).ToList();
        Assert.Equal(codes, paged);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(pages >= 3);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=-5", "pageSize")]
    [InlineData("pageToken=not-a-token", "pageToken")]
    [InlineData("pageToken=eyJWIjoxLCJTIjoieCIsIksiOlsiYSJdfQ", "pageToken")]
    public async Task Bad_paging_parameters_are_400_problems_naming_the_parameter(string query, string parameter)
    {
        var response = await api.CreateClient().GetAsync($"/v1/publishers?{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.Errors().Single().Parameter);
    }

    [Fact]
    public async Task Page_size_above_the_maximum_is_clamped()
    {
        var response = await api.CreateClient().GetAsync("/v1/publishers?pageSize=100000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
