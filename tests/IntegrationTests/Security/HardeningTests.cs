using System.Net;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Security;

public sealed class HardeningTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Theory]
    [InlineData("/v1/projects")]
    [InlineData("/v1/no-such-route")]
    [InlineData("/health/live")]
    [InlineData("/v1/exports/projects.csv")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/docs/index.html")]
    public async Task The_docs_pages_get_a_policy_that_lets_only_their_own_scripts_run(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_origin_may_read()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/projects");
        request.Headers.Add("Origin", "https://portal.example");

        var response = await api.CreateClient().SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_may_prepare_a_read_but_not_a_write_by_default()
    {
        var read = await PreflightAsync(api.CreateClient(), "GET", "https://portal.example");
        var write = await PreflightAsync(api.CreateClient(), "PUT", "https://portal.example");

        Assert.Equal("*", read.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", AllowedMethods(read), StringComparison.Ordinal);
        Assert.DoesNotContain("PUT", AllowedMethods(write), StringComparison.Ordinal);
    }

    /// <summary>What a preflight allows; a browser sends the write only when its method is listed.</summary>
    internal static string AllowedMethods(HttpResponseMessage preflight) =>
        preflight.Headers.TryGetValues("Access-Control-Allow-Methods", out var methods) ? string.Join(",", methods) : string.Empty;

    internal static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string method, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/projects/external/x");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await client.SendAsync(request);
    }
}

public sealed class ConfiguredWriteOriginTests(WriteOriginApiFactory api) : IClassFixture<WriteOriginApiFactory>
{
    [Fact]
    public async Task A_configured_origin_may_write_from_a_browser_and_others_still_may_not()
    {
        var allowed = await HardeningTests.PreflightAsync(api.CreateClient(), "PUT", "https://editor.example");
        var other = await HardeningTests.PreflightAsync(api.CreateClient(), "PUT", "https://portal.example");

        Assert.Equal("https://editor.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("PUT", HardeningTests.AllowedMethods(allowed), StringComparison.Ordinal);
        Assert.DoesNotContain("PUT", HardeningTests.AllowedMethods(other), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
    }
}
