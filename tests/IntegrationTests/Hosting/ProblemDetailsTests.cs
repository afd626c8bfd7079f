using System.Net;
using System.Net.Http.Json;
using System.Text;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Hosting;

public sealed class ProblemDetailsTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        var response = await api.CreateClient().GetAsync("/v1/no-such-thing");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("/v1/no-such-thing", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem_with_allow_header()
    {
        var response = await api.CreateClient().DeleteAsync("/v1/publishers");

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("GET", response.Content.Headers.Allow.Concat(response.Headers.TryGetValues("Allow", out var allow) ? allow : []));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_pointing_at_the_error()
    {
        var content = new StringContent("{\"code\": \"pl-ksow\", \"name\": ", Encoding.UTF8, "application/json");

        var response = await api.CreateAdminClient().PostAsync("/v1/publishers", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Single(problem.Errors());
    }

    [Fact]
    public async Task Json_of_the_wrong_type_is_a_400_problem_with_pointer()
    {
        var content = new StringContent("{\"code\": 42, \"name\": \"x\"}", Encoding.UTF8, "application/json");

        var response = await api.CreateAdminClient().PostAsync("/v1/publishers", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/code", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Unknown_json_field_is_a_400_problem_with_pointer()
    {
        var content = new StringContent("{\"code\": \"pl-ksow\", \"name\": \"KSOW\", \"id\": \"0193\"}", Encoding.UTF8, "application/json");

        var response = await api.CreateAdminClient().PostAsync("/v1/publishers", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/id", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_problem()
    {
        var content = new StringContent("code=pl-ksow", Encoding.UTF8, "text/plain");

        var response = await api.CreateAdminClient().PostAsync("/v1/publishers", content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unhandled_exception_is_a_500_problem_without_internals()
    {
        var response = await api.CreateClient().GetAsync(RegistryApiFactory.ThrowPath);

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        var body = problem.GetRawText();
        Assert.DoesNotContain("secret-internal-detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("exception", out _));
    }

    [Fact]
    public async Task Unknown_query_parameter_is_a_400_problem_naming_it()
    {
        var response = await api.CreateClient().GetAsync("/v1/publishers?pagesize=10");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("pagesize", problem.Errors().Single().Parameter);
    }

    [Fact]
    public async Task Unparsable_query_value_is_a_400_problem()
    {
        var response = await api.CreateClient().GetAsync("/v1/publishers?pageSize=many");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Missing_api_key_on_a_write_is_a_401_problem_with_challenge()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/v1/publishers", new { code = "pl-ksow", name = "KSOW" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("Authorization", "Bearer not-a-real-key")]
    [InlineData("X-Api-Key", "not-a-real-key")]
    [InlineData("Authorization", "Basic dXNlcjpwYXNz")]
    public async Task Unknown_api_key_is_a_401_problem(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/publishers") { Content = JsonContent.Create(new { code = "pl-ksow", name = "KSOW" }) };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await api.CreateClient().SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Responses_carry_no_server_banner()
    {
        var response = await api.CreateClient().GetAsync("/health/live");

        Assert.False(response.Headers.Contains("Server"));
    }
}

public sealed class DevelopmentProblemDetailsTests(DevelopmentRegistryApiFactory api) : IClassFixture<DevelopmentRegistryApiFactory>
{
    [Fact]
    public async Task Unhandled_exception_shows_its_details_in_development_only()
    {
        var response = await api.CreateClient().GetAsync(RegistryApiFactory.ThrowPath);

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Contains("secret-internal-detail", problem.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }
}
