using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Reference;

/// <summary>Every write of every resource takes the next number of one change sequence: versions never go back, across resource types.</summary>
public sealed class VersionTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task Versions_of_partners_goals_projects_and_measures_come_from_one_rising_sequence()
    {
        var publisher = await api.CreatePublisherAsync("versions");
        var admin = api.CreateAdminClient();
        var scheme = $"test-{Guid.NewGuid():N}";
        var versions = new List<(string Write, long Version)>();

        var partner = await (await publisher.Client.PostAsJsonAsync("/v1/partners", new { name = new { lv = $"Biedrība {Guid.NewGuid():N}" }, country = "LV" }))
            .AssertStatusAsync(HttpStatusCode.Created);
        var partnerId = partner.GetProperty("id").GetGuid();
        versions.Add(("create partner", partner.GetProperty("version").GetInt64()));

        var goal = await (await admin.PostAsJsonAsync("/v1/goals", new { scheme, code = "G1", level = "objective", name = new { en = "Goal" } }))
            .AssertStatusAsync(HttpStatusCode.Created);
        versions.Add(("create goal", goal.GetProperty("version").GetInt64()));

        var project = RegistryClients.Project(RegistryClients.PartnerById(partnerId));
        project["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = scheme, ["code"] = "G1" }, ["relevance"] = "primary" });
        var created = await (await publisher.Client.PutProjectAsync("ver-1", project)).AssertStatusAsync(HttpStatusCode.Created);
        versions.Add(("create project", created.GetProperty("version").GetInt64()));

        var patched = await (await publisher.Client.PatchAsync($"/v1/partners/{partnerId}", RegistryClients.MergePatch("{\"acronym\":\"VER\"}")))
            .AssertStatusAsync(HttpStatusCode.OK);
        versions.Add(("update partner", patched.GetProperty("version").GetInt64()));

        var measure = await (await admin.PostAsJsonAsync("/v1/funding-measures", new { scheme, code = "M1", level = "measure", name = new { en = "Measure" } }))
            .AssertStatusAsync(HttpStatusCode.Created);
        versions.Add(("create funding measure", measure.GetProperty("version").GetInt64()));

        var renamed = await (await admin.PostAsJsonAsync("/v1/goals", new { scheme, code = "G1", level = "objective", name = new { en = "Goal, renamed" } }))
            .AssertStatusAsync(HttpStatusCode.OK);
        versions.Add(("update goal", renamed.GetProperty("version").GetInt64()));

        project["title"] = new JsonObject { ["pl"] = "Tytuł zmieniony" };
        var updated = await (await publisher.Client.PutProjectAsync("ver-1", project)).AssertStatusAsync(HttpStatusCode.OK);
        versions.Add(("update project", updated.GetProperty("version").GetInt64()));

        for (var i = 1; i < versions.Count; i++)
        {
            Assert.True(versions[i].Version > versions[i - 1].Version,
                $"{versions[i].Write} has version {versions[i].Version}, not above {versions[i - 1].Write}'s {versions[i - 1].Version}");
        }
    }

    [Fact]
    public async Task A_write_that_changes_nothing_takes_no_number_and_the_next_change_takes_a_higher_one()
    {
        var publisher = await api.CreatePublisherAsync("versions");
        var body = new { name = new { lv = $"Biedrība {Guid.NewGuid():N}" }, country = "LV" };
        var partner = await (await publisher.Client.PostAsJsonAsync("/v1/partners", body)).AssertStatusAsync(HttpStatusCode.Created);
        var id = partner.GetProperty("id").GetGuid();

        var same = await (await publisher.Client.PutAsJsonAsync($"/v1/partners/{id}", body)).AssertStatusAsync(HttpStatusCode.OK);
        var other = await (await publisher.Client.PostAsJsonAsync("/v1/partners", new { name = new { lv = $"Biedrība {Guid.NewGuid():N}" } })).AssertStatusAsync(HttpStatusCode.Created);
        var changed = await (await publisher.Client.PutAsJsonAsync($"/v1/partners/{id}", new { body.name, country = "LT" })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(partner.GetProperty("version").GetInt64(), same.GetProperty("version").GetInt64());
        Assert.True(other.GetProperty("version").GetInt64() > partner.GetProperty("version").GetInt64());
        Assert.True(changed.GetProperty("version").GetInt64() > other.GetProperty("version").GetInt64());
        var fetched = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/partners/{id}");
        Assert.Equal(changed.GetProperty("version").GetInt64(), fetched.GetProperty("version").GetInt64());
    }
}
