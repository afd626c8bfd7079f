using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Projects;

/// <summary>
/// What the search and filters see follows every write: a project's own text and regions, its partners'
/// names after a rename, the measure hierarchy after a measure moves, a deletion; titles rank above bodies.
/// </summary>
public sealed class SearchIndexTests(PublishersApiFactory api) : IClassFixture<PublishersApiFactory>
{
    [Fact]
    public async Task Title_matches_rank_above_summary_and_description_matches()
    {
        var word = "bioekonomika" + Guid.NewGuid().ToString("N")[..6];
        await PutAsync("rank-description", Project("Projekt pierwszy") with { Description = $"{word} {word} {word} w opisie, wiele razy: {word}." });
        await PutAsync("rank-title", Project($"Nowa {word} na wsi"));
        await PutAsync("rank-summary", Project("Projekt trzeci") with { Summary = $"Streszczenie: {word}." });

        var found = await ExternalIdsAsync($"/v1/projects?q={word}");

        Assert.Equal(["rank-title", "rank-summary", "rank-description"], found);
    }

    [Fact]
    public async Task A_nuts_region_filter_matches_the_regions_inside_it()
    {
        await PutAsync("nuts-pl811", Project("Region łódzki") with { Regions = ["PL811"] });

        Assert.Contains("nuts-pl811", await ExternalIdsAsync("/v1/projects?region=PL8"));
        Assert.Contains("nuts-pl811", await ExternalIdsAsync("/v1/projects?region=PL81"));
        Assert.Contains("nuts-pl811", await ExternalIdsAsync("/v1/projects?region=PL811"));
        Assert.DoesNotContain("nuts-pl811", await ExternalIdsAsync("/v1/projects?region=PL9"));
        Assert.DoesNotContain("nuts-pl811", await ExternalIdsAsync("/v1/projects?region=PL812"));
    }

    [Fact]
    public async Task A_partner_renamed_is_found_by_its_new_name_and_no_longer_by_the_old_one()
    {
        var old = "Alfaówka" + Guid.NewGuid().ToString("N")[..5];
        var renamed = "Omegówka" + Guid.NewGuid().ToString("N")[..5];
        var body = RegistryClients.Project(new JsonObject { ["name"] = new JsonObject { ["pl"] = $"Stowarzyszenie {old}" }, ["country"] = "PL", ["kind"] = "ngo" });
        body["title"] = new JsonObject { ["pl"] = "Projekt z partnerem" };
        var project = await (await api.PublisherA.PutProjectAsync("renamed-partner", body)).AssertStatusAsync(HttpStatusCode.Created);
        var partnerId = project.PartnerIds()[0];
        Assert.Equal(["renamed-partner"], await ExternalIdsAsync($"/v1/projects?q={Uri.EscapeDataString(old)}"));

        var rename = new JsonObject { ["name"] = new JsonObject { ["pl"] = $"Stowarzyszenie {renamed}" }, ["country"] = "LT", ["kind"] = "ngo" };
        (await api.PublisherA.PutAsync($"/v1/partners/{partnerId}", RegistryClients.JsonBody(rename))).EnsureSuccessStatusCode();

        Assert.Equal(["renamed-partner"], await ExternalIdsAsync($"/v1/projects?q={Uri.EscapeDataString(renamed)}"));
        Assert.Empty(await ExternalIdsAsync($"/v1/projects?q={Uri.EscapeDataString(old)}"));
        Assert.Contains("renamed-partner", await ExternalIdsAsync("/v1/projects?partnerCountry=LT"));
    }

    [Fact]
    public async Task A_measure_moved_to_another_programme_is_found_under_the_new_one()
    {
        var scheme = "test-" + Guid.NewGuid().ToString("N")[..8];
        var admin = api.CreateAdminClient();
        await NodeAsync(admin, scheme, "OLD", "programme", null);
        await NodeAsync(admin, scheme, "NEW", "programme", null);
        await NodeAsync(admin, scheme, "M1", "measure", "OLD");
        var body = Project("Projekt z działaniem");
        var json = JsonSerializer.SerializeToNode(body, Web)!.AsObject();
        json["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = scheme, ["code"] = "M1" });
        (await api.PublisherA.PutProjectAsync("moved-measure", json)).EnsureSuccessStatusCode();
        Assert.Equal(["moved-measure"], await ExternalIdsAsync($"/v1/projects?fundingMeasure={scheme}:OLD"));

        await NodeAsync(admin, scheme, "M1", "measure", "NEW", HttpStatusCode.OK);

        Assert.Equal(["moved-measure"], await ExternalIdsAsync($"/v1/projects?fundingMeasure={scheme}:NEW"));
        Assert.Empty(await ExternalIdsAsync($"/v1/projects?fundingMeasure={scheme}:OLD"));
    }

    [Fact]
    public async Task A_deleted_project_leaves_lists_search_and_statistics_at_once_and_is_back_when_written_again()
    {
        var word = "usunięta" + Guid.NewGuid().ToString("N")[..6];
        await PutAsync("deleted-then-back", Project($"Świetlica {word}") with { Regions = ["PL811"] });
        var id = (await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/projects?q={word}")).GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(["deleted-then-back"], await ExternalIdsAsync($"/v1/projects?q={word}&region=PL81&sort=title"));
        Assert.Equal(1, await CountAsync($"/v1/stats/projects?groupBy=country&q={word}"));

        (await api.PublisherA.DeleteAsync($"/v1/projects/{id}")).EnsureSuccessStatusCode();

        Assert.Empty(await ExternalIdsAsync($"/v1/projects?q={word}"));
        Assert.Empty(await ExternalIdsAsync($"/v1/projects?q={word}&region=PL81&sort=title"));
        Assert.DoesNotContain("deleted-then-back", await ExternalIdsAsync("/v1/projects?region=PL811&pageSize=100"));
        Assert.Equal(0, await CountAsync($"/v1/stats/projects?groupBy=country&q={word}"));

        await PutAsync("deleted-then-back", Project($"Świetlica {word}") with { Regions = ["PL811"] });

        Assert.Equal(["deleted-then-back"], await ExternalIdsAsync($"/v1/projects?q={word}&region=PL81&sort=title"));
        Assert.Equal(1, await CountAsync($"/v1/stats/projects?groupBy=country&q={word}"));
    }

    [Fact]
    public async Task The_status_filter_agrees_with_the_status_each_record_shows()
    {
        var theme = "status-" + Guid.NewGuid().ToString("N")[..8];
        var cases = new (string? Declared, string? Start, string? End)[]
        {
            (null, "2099-01", null), (null, "2000", "2001-05"), (null, "2020-01-01", "2099"), ("ongoing", "2020-03", null),
            ("planned", null, null), ("completed", null, "2099-12-31"), ("cancelled", "2020", "2099"), (null, null, null),
            ("ongoing", null, "2001"), ("planned", "2099", "2100"), ("completed", "2001", null),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            var body = new JsonObject { ["title"] = new JsonObject { ["pl"] = $"Status {i}" }, ["originalLanguage"] = "pl", ["themes"] = new JsonArray(theme) };
            if (cases[i].Declared is { } declared)
            {
                body["status"] = declared;
            }

            if (cases[i].Start is { } start)
            {
                body["startDate"] = start;
            }

            if (cases[i].End is { } end)
            {
                body["endDate"] = end;
            }

            await (await api.PublisherA.PutProjectAsync($"{theme}-{i}", body)).AssertStatusAsync(HttpStatusCode.Created);
        }

        var all = (await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/projects?theme={theme}&pageSize=100")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(cases.Length, all.Count);
        foreach (var status in new[] { "planned", "ongoing", "completed", "cancelled", "unknown" })
        {
            var expected = all.Where(p => p.GetProperty("status").GetString() == status).Select(p => p.GetProperty("externalId").GetString()).Order(StringComparer.Ordinal);
            var found = (await ExternalIdsAsync($"/v1/projects?theme={theme}&status={status}&pageSize=100")).Order(StringComparer.Ordinal);
            Assert.Equal(expected, found);
        }

        var stats = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/stats/projects?groupBy=status&theme={theme}");
        foreach (var group in stats.GetProperty("groups").EnumerateArray())
        {
            Assert.Equal(all.Count(p => p.GetProperty("status").GetString() == group.GetProperty("key").GetString()), group.GetProperty("projects").GetInt64());
        }
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private sealed record Body(Dictionary<string, string> Title, string OriginalLanguage)
    {
        public string? Summary { get; init; }

        public string? Description { get; init; }

        public string[]? Regions { get; init; }
    }

    private static Body Project(string title) => new(new() { ["pl"] = title }, "pl");

    private async Task PutAsync(string externalId, Body body)
    {
        var json = JsonSerializer.SerializeToNode(body, Web)!.AsObject();
        foreach (var member in new[] { "summary", "description" })
        {
            if (json[member] is JsonValue text)
            {
                json[member] = new JsonObject { ["pl"] = text.GetValue<string>() };
            }
        }

        (await api.PublisherA.PutProjectAsync(externalId, json)).EnsureSuccessStatusCode();
    }

    private static async Task NodeAsync(HttpClient admin, string scheme, string code, string level, string? parent, HttpStatusCode status = HttpStatusCode.Created)
    {
        var node = new JsonObject { ["scheme"] = scheme, ["code"] = code, ["level"] = level, ["name"] = new JsonObject { ["en"] = code } };
        if (parent is not null)
        {
            node["parent"] = new JsonObject { ["scheme"] = scheme, ["code"] = parent };
        }

        await (await admin.PostAsync("/v1/funding-measures", RegistryClients.JsonBody(node))).AssertStatusAsync(status);
    }

    private async Task<long> CountAsync(string statistics) =>
        (await api.CreateClient().GetFromJsonAsync<JsonElement>(statistics)).GetProperty("total").GetProperty("projects").GetInt64();

    private async Task<List<string>> ExternalIdsAsync(string path)
    {
        var page = await (await api.CreateClient().GetAsync(path)).AssertStatusAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("externalId").GetString()!)];
    }
}
