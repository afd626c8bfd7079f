using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Projects;

/// <summary>The five demo records of deploy/demo, written over HTTP exactly as a publisher's script would.</summary>
public sealed class DemoDataTests(DemoRegistryApiFactory api) : IClassFixture<DemoRegistryApiFactory>
{
    private readonly IReadOnlyDictionary<string, HttpResponseMessage> _firstWrites = api.FirstWrites;

    public static TheoryData<string> Files() => [.. DemoRegistryApiFactory.DemoFiles().Select(f => Path.GetFileName(f))];

    [Fact]
    public async Task Every_demo_record_is_accepted_and_created()
    {
        foreach (var (file, response) in _firstWrites)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task The_project_list_shows_the_five_demo_projects_with_partners_measures_and_goals()
    {
        var page = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/projects");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.All(items, p => Assert.NotEmpty(p.GetProperty("partners").EnumerateArray()));
        Assert.Equal(4, items.Count(p => p.GetProperty("fundingMeasures").GetArrayLength() > 0));
        Assert.Contains(items, p => p.GetProperty("goals").GetArrayLength() > 0);
        var latvian = items.Single(p => p.GetProperty("externalId").GetString() == "19-00-A019.333-000005");
        Assert.Equal("19.3", latvian.GetProperty("fundingMeasures")[0].GetProperty("code").GetString());
        Assert.Equal("lv-lad", latvian.GetProperty("publisher").GetString());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Text_round_trips_byte_for_byte(string file)
    {
        var sent = JsonNode.Parse(await File.ReadAllTextAsync(TestPaths.Demo("projects", file)))!;
        var location = _firstWrites[TestPaths.Demo("projects", file)].Headers.Location!;

        var stored = JsonNode.Parse(await api.CreateClient().GetStringAsync(location))!;

        foreach (var member in new[] { "title", "summary", "description" })
        {
            Assert.Equal(Texts(sent[member]), Texts(stored[member]));
        }

        var sentObjectives = sent["objectives"]?.AsArray() ?? [];
        var storedObjectives = stored["objectives"]!.AsArray();
        Assert.Equal(sentObjectives.Count, storedObjectives.Count);
        for (var i = 0; i < sentObjectives.Count; i++)
        {
            Assert.Equal(Texts(sentObjectives[i]!["text"]), Texts(storedObjectives[i]!["text"]));
        }

        Assert.Equal(
            (sent["partners"]?.AsArray() ?? []).Select(p => Texts(p!["partner"]!["name"])).ToList(),
            storedObjectsNames(stored));

        static List<List<(string, string)>> storedObjectsNames(JsonNode stored) =>
            [.. stored["partners"]!.AsArray().Select(p => Texts(p!["partner"]!["name"]))];
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Writing_the_same_record_again_changes_nothing(string file)
    {
        var path = TestPaths.Demo("projects", file);
        var first = await _firstWrites[path].Content.ReadFromJsonAsync<JsonElement>();

        var again = await DemoRegistryApiFactory.PutAsync(api.CreateAdminClient(), path);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unchanged", again.Headers.GetValues("Registry-Write-Status").Single());
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("version").GetInt64(), second.GetProperty("version").GetInt64());
        Assert.Equal(first.GetProperty("updatedAt").GetString(), second.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task The_same_organisation_in_two_records_is_one_partner()
    {
        var partners = new List<JsonElement>();
        string? next = "/v1/partners?pageSize=500";
        while (next is not null)
        {
            var page = await api.CreateClient().GetFromJsonAsync<JsonElement>(next);
            partners.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        var keys = partners.Select(p => $"{p.GetProperty("country")}|{string.Join("|", p.GetProperty("name").EnumerateObject().Select(n => n.Value.GetString()))}").ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    /// <summary>A localized text as (language, UTF-8 bytes of the text) pairs, in language order (hex, so equality is by content).</summary>
    private static List<(string, string)> Texts(JsonNode? node) =>
        node is null ? [] : [.. node.AsObject().OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, Convert.ToHexString(Encoding.UTF8.GetBytes(e.Value!.GetValue<string>()))))];
}
