using System.Net;
using System.Text.Json;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Health;

public sealed class HealthTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task Live_answers_200()
    {
        var response = await api.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_answers_200_when_the_database_is_reachable_and_migrated()
    {
        var response = await api.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}

public sealed class UnreachableDatabaseHealthTests(UnreachableDatabaseApiFactory api) : IClassFixture<UnreachableDatabaseApiFactory>
{
    [Fact]
    public async Task Ready_is_a_503_problem_when_the_database_is_unreachable()
    {
        var response = await api.CreateClient().GetAsync("/health/ready");

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", problem.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Live_answers_200_even_when_the_database_is_unreachable()
    {
        var response = await api.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class UnmigratedDatabaseHealthTests(UnmigratedRegistryApiFactory api) : IClassFixture<UnmigratedRegistryApiFactory>
{
    [Fact]
    public async Task Ready_is_a_503_problem_when_migrations_are_pending()
    {
        var response = await api.CreateClient().GetAsync("/health/ready");

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("migration", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
