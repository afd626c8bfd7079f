using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Records are partial: a fact a page lacks is left out, and the registry keeps it as not stated. The demo records,
/// written out as a publisher's NDJSON without the facts they lack, import cleanly; a record whose activities have no
/// kind, whose partners have no role (and so on) is accepted and read back without them, never with invented ones.
/// </summary>
public sealed class OptionalFactsTests(DemoRegistryApiFactory api) : IClassFixture<DemoRegistryApiFactory>
{
    [Fact]
    public async Task The_demo_records_without_the_facts_they_lack_import_cleanly_and_change_nothing()
    {
        var lines = DemoRegistryApiFactory.DemoFiles().Select(file => WithoutLackingFacts(JsonNode.Parse(File.ReadAllText(file))!).ToJsonString());
        var body = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson");

        var response = await api.CreateAdminClient().PostAsync("/v1/imports/projects", body);

        var report = await response.AssertStatusAsync(HttpStatusCode.OK);
        var records = report.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(5, records.Count);
        // Left out is the same as null: the records loaded with their nulls stand as they were.
        Assert.All(records, r => Assert.Equal("unchanged", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_record_without_kinds_roles_relevance_and_sources_is_read_back_without_them()
    {
        var publisher = await api.CreatePublisherAsync("optional-facts");
        var record = JsonNode.Parse("""
            {
              "title": {"pl": "Wizyta studyjna"},
              "originalLanguage": "pl",
              "budget": {"contributions": [{"amount": {"amount": "1200", "currency": "PLN"}}]},
              "objectives": [{"text": {"pl": "Wymiana doświadczeń"}}],
              "activities": [{"title": {"pl": "Wyjazd do LGD partnerskiej"}}, {"kind": null, "title": {"pl": "Biuletyn"}}],
              "partners": [{"partner": {"name": {"pl": "LGD Ziemia Kraśnicka"}, "country": "PL"}}, {"partner": {"name": {"pl": "Powiat Kraśnicki"}, "country": "PL"}, "role": null}],
              "goals": [{"goal": {"scheme": "eu-rdp-2014-2020", "code": "6B"}}]
            }
            """)!;

        var written = await publisher.Client.PutProjectAsync("optional-facts-1", record);
        var created = await written.AssertStatusAsync(HttpStatusCode.Created);
        var read = await (await api.CreateClient().GetAsync($"/v1/projects/{created.GetProperty("id").GetGuid()}")).AssertStatusAsync(HttpStatusCode.OK);

        foreach (var project in new[] { created, read })
        {
            var json = JsonNode.Parse(project.GetRawText())!;
            Assert.All(json["activities"]!.AsArray(), a => Assert.Null(a!["kind"]));
            Assert.All(json["partners"]!.AsArray(), p => Assert.Null(p!["role"]));
            Assert.Null(json["goals"]![0]!["relevance"]);
            Assert.Null(json["objectives"]![0]!["kind"]);
            Assert.Null(json["budget"]!["contributions"]![0]!["source"]);
            Assert.Equal(2, json["partners"]!.AsArray().Count);
        }

        var again = await publisher.Client.PutProjectAsync("optional-facts-1", record);
        await again.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("unchanged", again.WriteStatus());

        var csv = await api.CreateClient().GetStringAsync($"/v1/exports/projects.csv?publisher={publisher.Code}");
        Assert.Contains("LGD Ziemia Kraśnicka; Powiat Kraśnicki", csv, StringComparison.Ordinal);
        Assert.Contains("Wyjazd do LGD partnerskiej; Biuletyn", csv, StringComparison.Ordinal);
    }

    /// <summary>The record as a publisher's script would write it: members it has no value for left out.</summary>
    private static JsonNode WithoutLackingFacts(JsonNode node)
    {
        if (node is JsonObject record)
        {
            foreach (var (name, value) in record.ToList())
            {
                if (value is null || value is JsonArray { Count: 0 })
                {
                    record.Remove(name);
                }
                else
                {
                    WithoutLackingFacts(value);
                }
            }
        }
        else if (node is JsonArray items)
        {
            foreach (var item in items)
            {
                WithoutLackingFacts(item!);
            }
        }

        return node;
    }
}
