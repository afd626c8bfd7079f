using System.Net;
using System.Net.Http.Json;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Security;

public sealed class ApiKeyTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    private static object NewPartner() => new { name = new { lv = $"Biedrība {Guid.NewGuid():N}" }, country = "LV", kind = "ngo" };

    private async Task<string> CreatePublisherAsync()
    {
        var code = RegistryClients.NewCode("keys");
        var created = await api.CreateAdminClient().PostAsJsonAsync("/v1/publishers", new { code, name = "Latvijas Lauku forums" });
        await created.AssertStatusAsync(HttpStatusCode.Created);
        return code;
    }

    [Fact]
    public async Task Admin_issues_a_key_whose_secret_is_shown_once_and_never_cached()
    {
        var code = await CreatePublisherAsync();

        var response = await api.CreateAdminClient().PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "nightly import" });

        var key = await response.AssertStatusAsync(HttpStatusCode.Created);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        var id = key.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/publishers/{code}/api-keys/{id}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("rrk_", key.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, key.GetProperty("publisher").GetString());
        Assert.Equal("nightly import", key.GetProperty("name").GetString());
        Assert.True(key.TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task Each_key_has_its_own_secret()
    {
        var code = await CreatePublisherAsync();
        var admin = api.CreateAdminClient();

        var first = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "one" })).JsonAsync();
        var second = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "two" })).JsonAsync();

        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.NotEqual(first.GetProperty("secret").GetString(), second.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task A_key_writes_its_publishers_records()
    {
        var publisher = await api.CreatePublisherAsync("writer");

        var response = await publisher.Client.PostAsJsonAsync("/v1/partners", NewPartner());

        var partner = await response.AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(publisher.Code, partner.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task The_key_works_as_a_bearer_token_and_as_an_x_api_key_header()
    {
        var publisher = await api.CreatePublisherAsync("headers");

        var bearer = await api.CreateClient().SendAsync(HttpMethod.Post, "/v1/partners", JsonContent.Create(NewPartner()), ("Authorization", $"Bearer {publisher.Secret}"));
        var header = await api.CreateClient().SendAsync(HttpMethod.Post, "/v1/partners", JsonContent.Create(NewPartner()), ("X-Api-Key", publisher.Secret));

        Assert.Equal(publisher.Code, (await bearer.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("owner").GetString());
        Assert.Equal(publisher.Code, (await header.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("owner").GetString());
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_the_next_request_on()
    {
        var publisher = await api.CreatePublisherAsync("revoked");
        await (await publisher.Client.PostAsJsonAsync("/v1/partners", NewPartner())).AssertStatusAsync(HttpStatusCode.Created);

        var revoked = await api.CreateAdminClient().DeleteAsync($"/v1/publishers/{publisher.Code}/api-keys/{publisher.KeyId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        var refused = await publisher.Client.PostAsJsonAsync("/v1/partners", NewPartner());
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var viaHeader = await api.CreateClient().SendAsync(HttpMethod.Post, "/v1/partners", JsonContent.Create(NewPartner()), ("X-Api-Key", publisher.Secret));
        await viaHeader.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoking_one_key_leaves_the_publishers_other_keys_working()
    {
        var publisher = await api.CreatePublisherAsync("two-keys");
        var other = await (await api.CreateAdminClient().PostAsJsonAsync($"/v1/publishers/{publisher.Code}/api-keys", new { name = "spare" })).JsonAsync();

        (await api.CreateAdminClient().DeleteAsync($"/v1/publishers/{publisher.Code}/api-keys/{publisher.KeyId}")).EnsureSuccessStatusCode();

        var response = await api.CreateBearerClient(other.GetProperty("secret").GetString()!).PostAsJsonAsync("/v1/partners", NewPartner());
        await response.AssertStatusAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("Authorization", "Bearer rrk_0195f3a1c2d37e4f8a9b0c1d2e3f4a5b_00112233445566778899aabbccddeeff0011223344556677")]
    [InlineData("Authorization", "Bearer not-a-key-of-ours")]
    [InlineData("X-Api-Key", "rrk_unknown")]
    [InlineData("Authorization", "Basic dXNlcjpwYXNz")]
    [InlineData("Authorization", "Bearer " + RegistryApiFactory.AdminKey + "-wrong")]
    public async Task An_unknown_or_malformed_key_is_a_401_problem(string header, string value)
    {
        var response = await api.CreateClient().SendAsync(HttpMethod.Post, "/v1/partners", JsonContent.Create(NewPartner()), (header, value));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_of_another_publishers_shape_is_refused_when_its_secret_part_differs()
    {
        var publisher = await api.CreatePublisherAsync("tampered");
        var tampered = publisher.Secret[..^4] + (publisher.Secret.EndsWith("0000", StringComparison.Ordinal) ? "1111" : "0000");

        var response = await api.CreateBearerClient(tampered).PostAsJsonAsync("/v1/partners", NewPartner());

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Writing_without_a_key_is_a_401_problem()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/v1/partners", NewPartner());

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/publishers")]
    [InlineData("/v1/funding-measures")]
    [InlineData("/v1/goals")]
    [InlineData("/v1/publishers/{code}/api-keys")]
    public async Task A_publisher_key_on_an_admin_only_route_is_a_403_problem(string path)
    {
        var publisher = await api.CreatePublisherAsync("not-admin");
        var body = path switch
        {
            "/v1/publishers" => (object)new { code = RegistryClients.NewCode("sneaky"), name = "Sneaky" },
            "/v1/publishers/{code}/api-keys" => new { name = "more power" },
            _ => new { scheme = "test-admin-only", code = "X1", level = "measure", name = new { en = "Not allowed" } },
        };

        var response = await publisher.Client.PostAsJsonAsync(path.Replace("{code}", publisher.Code, StringComparison.Ordinal), body);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_publisher_key_may_not_revoke_keys_even_its_own()
    {
        var publisher = await api.CreatePublisherAsync("self-revoke");

        var response = await publisher.Client.DeleteAsync($"/v1/publishers/{publisher.Code}/api-keys/{publisher.KeyId}");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await publisher.Client.PostAsJsonAsync("/v1/partners", NewPartner())).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_key_may_not_write_another_publishers_records()
    {
        var mine = await api.CreatePublisherAsync("mine");
        var theirs = await api.CreatePublisherAsync("theirs");
        var project = RegistryClients.Project(new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = new System.Text.Json.Nodes.JsonObject { ["pl"] = $"Stowarzyszenie {Guid.NewGuid():N}" },
            ["country"] = "PL",
        });
        project["publisher"] = theirs.Code;

        var response = await mine.Client.PutProjectAsync("not-mine-1", project);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Issuing_a_key_for_an_unknown_publisher_is_a_404_problem()
    {
        var response = await api.CreateAdminClient().PostAsJsonAsync("/v1/publishers/no-such-publisher/api-keys", new { name = "orphan" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_a_404_problem()
    {
        var code = await CreatePublisherAsync();

        var response = await api.CreateAdminClient().DeleteAsync($"/v1/publishers/{code}/api-keys/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Revoking_a_key_under_another_publishers_code_is_a_404_problem_and_the_key_keeps_working()
    {
        var owner = await api.CreatePublisherAsync("owner");
        var other = await CreatePublisherAsync();

        var response = await api.CreateAdminClient().DeleteAsync($"/v1/publishers/{other}/api-keys/{owner.KeyId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.PostAsJsonAsync("/v1/partners", NewPartner())).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Revoking_under_an_unknown_publisher_is_a_404_problem()
    {
        var response = await api.CreateAdminClient().DeleteAsync($"/v1/publishers/no-such-publisher/api-keys/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":null}")]
    [InlineData("{\"name\":\"\"}")]
    public async Task A_key_without_a_name_is_a_400_problem_pointing_at_name(string body)
    {
        var code = await CreatePublisherAsync();

        var response = await api.CreateAdminClient().PostAsync($"/v1/publishers/{code}/api-keys", RegistryClients.JsonBody(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/name", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Issuing_a_key_anonymously_is_a_401_problem()
    {
        var code = await CreatePublisherAsync();

        var response = await api.CreateClient().PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "anonymous" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoking_a_key_anonymously_is_a_401_problem_and_the_key_keeps_working()
    {
        var publisher = await api.CreatePublisherAsync("anon-revoke");

        var response = await api.CreateClient().DeleteAsync($"/v1/publishers/{publisher.Code}/api-keys/{publisher.KeyId}");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await publisher.Client.PostAsJsonAsync("/v1/partners", NewPartner())).AssertStatusAsync(HttpStatusCode.Created);
    }
}
