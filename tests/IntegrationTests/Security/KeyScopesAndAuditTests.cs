using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Security;

public sealed class KeyScopesAndAuditTests(FakeClockApiFactory api) : IClassFixture<FakeClockApiFactory>
{
    private static readonly object Project = new { title = new { pl = "Projekt z zakresem" }, originalLanguage = "pl" };
    private static readonly object PartnerBody = new { name = new { pl = "Fundacja Zakresu" }, country = "PL" };

    [Fact]
    public async Task A_key_does_only_what_its_scopes_allow()
    {
        var (client, key) = await KeyAsync("scoped-partners", new { name = "partners only", scopes = new[] { "partners:write" } });

        Assert.Equal(["partners:write"], key.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/partners", PartnerBody)).StatusCode);
        await (await client.PutAsJsonAsync("/v1/projects/external/scoped-1", Project)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_key_gets_every_publisher_scope_by_default()
    {
        var (client, key) = await KeyAsync("scoped-all", new { name = "all" });

        Assert.Equal(["imports:write", "partners:write", "projects:write"], key.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsJsonAsync("/v1/projects/external/scoped-2", Project)).StatusCode);
    }

    [Fact]
    public async Task Reference_and_admin_scopes_are_granted_only_when_asked_for()
    {
        var (reference, _) = await KeyAsync("scoped-reference", new { name = "reference", scopes = new[] { "reference:write" } });
        var (administrator, _) = await KeyAsync("scoped-admin", new { name = "operator", scopes = new[] { "admin" } });
        var (plain, _) = await KeyAsync("scoped-plain", new { name = "plain" });
        var goal = new { scheme = "pl-ksow-2014-2020", code = "9", level = "objective", name = new { pl = "Cel testowy" } };

        Assert.Equal(HttpStatusCode.Created, (await reference.PostAsJsonAsync("/v1/goals", goal)).StatusCode);
        await (await reference.PostAsJsonAsync("/v1/publishers", new { code = "by-reference", name = "No" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await reference.PutAsJsonAsync("/v1/projects/external/r-1", Project)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await plain.PostAsJsonAsync("/v1/goals", goal)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, (await administrator.PostAsJsonAsync("/v1/publishers", new { code = "by-operator", name = "Yes" })).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "x", "scopes": ["superuser"]}""", "/scopes/0")]
    [InlineData("""{"name": "x", "scopes": []}""", "/scopes")]
    [InlineData("""{"name": "x", "expiresAt": "2001-01-01T00:00:00Z"}""", "/expiresAt")]
    public async Task Invalid_scopes_and_past_expiry_are_400_problems(string body, string pointer)
    {
        var admin = api.CreateAdminClient();
        await admin.PostAsJsonAsync("/v1/publishers", new { code = "scoped-bad", name = "Scoped" });

        var response = await admin.PostAsync("/v1/publishers/scoped-bad/api-keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(pointer, (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
    }

    [Fact]
    public async Task An_expired_key_is_refused_at_once_and_a_used_key_notes_when()
    {
        var (client, key) = await KeyAsync("scoped-expiring", new { name = "short-lived", expiresAt = api.Clock.GetUtcNow().AddSeconds(2) });

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/partners", new { name = new { pl = "Fundacja Krótka" }, country = "PL" })).StatusCode);
        Assert.NotNull(await ScalarAsync($"SELECT last_used_at FROM registry.api_keys WHERE id = '{key.GetProperty("id").GetString()}'"));
        api.Clock.Advance(TimeSpan.FromSeconds(2.5));

        await (await client.PostAsJsonAsync("/v1/partners", new { name = new { pl = "Fundacja Późna" }, country = "PL" })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_write_by_a_key_is_in_the_audit_log_readable_by_admins_only()
    {
        var (client, key) = await KeyAsync("audited", new { name = "audited" });
        (await client.PutAsJsonAsync("/v1/projects/external/audited-1", Project)).EnsureSuccessStatusCode();
        await client.PutAsJsonAsync("/v1/projects/external/audited-2", new { title = new { pl = "" } });
        await api.CreateClient().PutAsJsonAsync("/v1/projects/external/anonymous", Project);

        var page = await api.CreateAdminClient().GetFromJsonAsync<JsonElement>("/v1/audit?actor=audited");

        var entries = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(key.GetProperty("id").GetString(), e.GetProperty("keyId").GetString()));
        Assert.All(entries, e => Assert.Equal("PUT", e.GetProperty("method").GetString()));
        Assert.Equal([400, 201], entries.Select(e => e.GetProperty("status").GetInt32()));
        Assert.Equal("/v1/projects/external/audited-1", entries[1].GetProperty("path").GetString());
        await (await client.GetAsync("/v1/audit")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.CreateClient().GetAsync("/v1/audit")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<(HttpClient Client, JsonElement Key)> KeyAsync(string code, object request)
    {
        var admin = api.CreateAdminClient();
        await admin.PostAsJsonAsync("/v1/publishers", new { code, name = code });
        var response = await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = await response.Content.ReadFromJsonAsync<JsonElement>();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("secret").GetString());
        return (client, key);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}

public sealed class SecretsNeverLoggedTests(LogCapturingApiFactory api) : IClassFixture<LogCapturingApiFactory>
{
    [Fact]
    public async Task Keys_and_the_database_password_appear_in_no_log_message_nor_answer()
    {
        var admin = api.CreateAdminClient();
        await admin.PostAsJsonAsync("/v1/publishers", new { code = "secretive", name = "Secretive" });
        var issued = await admin.PostAsJsonAsync("/v1/publishers/secretive/api-keys", new { name = "secret" });
        var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var publisher = api.CreateClient();
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var bodies = new List<string>
        {
            await (await publisher.PutAsJsonAsync("/v1/projects/external/s-1", new { title = new { pl = "Tajny" }, originalLanguage = "pl" })).Content.ReadAsStringAsync(),
            await (await publisher.PutAsJsonAsync("/v1/projects/external/s-2", new { title = new { pl = "" } })).Content.ReadAsStringAsync(),
            await (await api.CreateClient().GetAsync(RegistryApiFactory.ThrowPath)).Content.ReadAsStringAsync(),
        };
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/partners"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "rrk_guessed-secret-value-0123456789");
            bodies.Add(await (await api.CreateClient().SendAsync(wrong)).Content.ReadAsStringAsync());
        }

        var password = new NpgsqlConnectionStringBuilder(api.ConnectionString).Password;
        var texts = api.Messages.Concat(bodies).ToList();
        Assert.NotEmpty(api.Messages);
        foreach (var forbidden in new[] { secret, RegistryApiFactory.AdminKey, "guessed-secret-value", password }.Where(s => !string.IsNullOrEmpty(s)))
        {
            Assert.DoesNotContain(texts, t => t.Contains(forbidden!, StringComparison.Ordinal));
        }
    }
}
