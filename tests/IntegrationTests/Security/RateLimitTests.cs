using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Security;

public sealed class RateLimitTests(RateLimitedApiFactory api) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task Over_budget_is_a_429_problem_with_retry_after_and_rate_limit_headers()
    {
        var client = await KeyedClientAsync("rl-reads");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await client.GetAsync("/v1/publishers"));
        }

        Assert.All(answers.Take(5), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal("5", answers[0].Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("4", answers[0].Headers.GetValues("RateLimit-Remaining").Single());
        var refused = answers[5];
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("0", refused.Headers.GetValues("RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task Reads_and_writes_have_separate_budgets_and_keys_their_own()
    {
        var first = await KeyedClientAsync("rl-first");
        var second = await KeyedClientAsync("rl-second");
        for (var i = 0; i < 5; i++)
        {
            (await first.GetAsync("/v1/publishers")).EnsureSuccessStatusCode();
        }

        var firstRead = await first.GetAsync("/v1/publishers");
        var firstWrite = await first.PostAsJsonAsync("/v1/partners", new { name = new { pl = "Stowarzyszenie Budżet" }, country = "PL" });
        var secondRead = await second.GetAsync("/v1/publishers");

        Assert.Equal(HttpStatusCode.TooManyRequests, firstRead.StatusCode);
        Assert.Equal(HttpStatusCode.Created, firstWrite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondRead.StatusCode);
    }

    [Fact]
    public async Task Imports_have_a_budget_of_their_own()
    {
        var client = await KeyedClientAsync("rl-imports");
        var imports = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            imports.Add((await client.PostAsJsonAsync("/v1/imports/projects", Array.Empty<object>())).StatusCode);
        }

        var write = await client.PostAsJsonAsync("/v1/partners", new { name = new { pl = "Stowarzyszenie Importu" }, country = "PL" });

        Assert.NotEqual(HttpStatusCode.TooManyRequests, imports[0]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, imports[1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, imports[2]);
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
    }

    [Fact]
    public async Task Conditional_gets_answered_304_are_free()
    {
        var client = await KeyedClientAsync("rl-etag");
        var partner = await (await client.PostAsJsonAsync("/v1/partners", new { name = new { pl = "Fundacja Warunkowa" }, country = "PL" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var location = $"/v1/partners/{partner.GetProperty("id").GetString()}";
        var etag = (await client.GetAsync(location)).Headers.ETag!;

        for (var i = 0; i < 20; i++)
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, location);
            conditional.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(location)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync(location)).StatusCode);
    }

    /// <summary>A publisher of its own with a key; the admin's writes come from the admin key's own budget.</summary>
    private async Task<HttpClient> KeyedClientAsync(string code)
    {
        var admin = api.CreateAdminClient();
        await admin.PostAsJsonAsync("/v1/publishers", new { code, name = code });
        var key = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "rate limits" })).Content.ReadFromJsonAsync<JsonElement>();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("secret").GetString());
        return client;
    }
}
