using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Projects;

/// <summary>
/// A project's representation is rendered when it is written and served as stored: every read path sends the same
/// bytes for the same record and version, even once the clock has moved past the project's end (a representation
/// rebuilt per request would then say another status under the same version).
/// </summary>
public sealed class StoredRepresentationTests(FakeClockApiFactory api) : IClassFixture<FakeClockApiFactory>
{
    [Fact]
    public async Task Every_read_path_returns_the_same_bytes_for_the_same_record_and_version()
    {
        var publisher = await api.CreatePublisherAsync("stored");
        var word = $"storedword{Guid.NewGuid():N}"[..24];
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
        var endsTomorrow = today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var written = await publisher.Client.PutAsJsonAsync("/v1/projects/external/single", Project("single", word, endsTomorrow));
        await written.AssertStatusAsync(HttpStatusCode.Created);
        var imported = await publisher.Client.PostAsync("/v1/imports/projects",
            RegistryClients.JsonBody(new JsonArray(Project("imported", word, endsTomorrow)).ToJsonString()));
        await imported.AssertStatusAsync(HttpStatusCode.OK);
        api.Clock.Advance(TimeSpan.FromDays(3));

        var client = api.CreateClient();
        var listed = await ItemsAsync(client, $"/v1/projects?publisher={publisher.Code}&pageSize=500", "items");
        var found = await ItemsAsync(client, $"/v1/projects?q={word}", "items");
        var partnerId = JsonNode.Parse(listed.Values.First())!["partners"]![0]!["partner"]!["id"]!.GetValue<string>();
        var ofPartner = await ItemsAsync(client, $"/v1/partners/{partnerId}/projects", "items");
        var exported = (await client.GetStringAsync($"/v1/exports/projects.ndjson?publisher={publisher.Code}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(line => JsonNode.Parse(line)!["id"]!.GetValue<string>());
        var fed = await FeedRecordsAsync(client, publisher.Code);

        Assert.Equal(2, listed.Count);
        foreach (var id in listed.Keys)
        {
            var byId = await client.GetAsync($"/v1/projects/{id}");
            var bytes = await byId.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
            Assert.Equal("ongoing", JsonNode.Parse(bytes)!["status"]!.GetValue<string>());
            Assert.Equal(bytes, listed[id]);
            Assert.Equal(bytes, found[id]);
            Assert.Equal(bytes, ofPartner[id]);
            Assert.Equal(bytes, exported[id]);
            Assert.Equal(bytes, fed[id]);

            using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/v1/projects/{id}");
            revalidate.Headers.IfNoneMatch.Add(byId.Headers.ETag!);
            var notModified = await client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
            Assert.Equal(byId.Headers.ETag, notModified.Headers.ETag);
        }
    }

    [Fact]
    public async Task A_partner_renamed_is_rendered_again_into_its_projects_in_the_same_transaction()
    {
        var publisher = await api.CreatePublisherAsync("renamed");
        var created = await publisher.Client.PutAsJsonAsync("/v1/projects/external/renamed", Project("renamed", "renamedword", "2030-01-01"));
        var project = await created.AssertStatusAsync(HttpStatusCode.Created);
        var partnerId = project.GetProperty("partners")[0].GetProperty("partner").GetProperty("id").GetString();
        var renamed = await publisher.Client.PatchAsync($"/v1/partners/{partnerId}",
            new StringContent("""{"name": {"pl": "Stowarzyszenie Nowa Nazwa"}}""", Encoding.UTF8, RegistryClients.MergePatchType));
        await renamed.AssertStatusAsync(HttpStatusCode.OK);

        var read = await api.CreateClient().GetStringAsync($"/v1/projects/{project.GetProperty("id").GetString()}");

        Assert.Equal("Stowarzyszenie Nowa Nazwa", JsonNode.Parse(read)!["partners"]![0]!["partner"]!["name"]!["pl"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_imported_project_s_stored_bytes_are_those_a_rendering_read_back_from_the_database_gives()
    {
        // Imports render the projects they write from the objects in hand; any other write reads them back. The two must
        // give the same bytes, created or updated, whatever the clock's ticks below the microsecond.
        var publisher = await api.CreatePublisherAsync("inhand");
        api.Clock.Advance(TimeSpan.FromTicks(1234567));
        var records = new JsonArray(
            Rich(Project("in-hand-1", "inhandone", "2031-01-01")),
            Rich(Project("in-hand-2", "inhandtwo", "2032-06-30")),
            Project("in-hand-3", "inhandthree", "2024-01-01"));
        ((JsonObject)records[1]!)["partners"]!.AsArray().Add(new JsonObject
        {
            ["partner"] = new JsonObject { ["name"] = new JsonObject { ["lt"] = "Vietos veiklos grupė", ["en"] = "Local action group" }, ["acronym"] = "VVG", ["country"] = "LT" },
            ["budgetShare"] = new JsonObject { ["amount"] = "1250.50", ["currency"] = "EUR" },
        });
        await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(records.ToJsonString()))).AssertStatusAsync(HttpStatusCode.OK);
        await AssertStoredAsRenderedFromTheDatabaseAsync(publisher.Code, 3);

        // Changed by a second import (the update path), one left as it was.
        api.Clock.Advance(TimeSpan.FromTicks(7654321));
        records[0]!["title"] = new JsonObject { ["pl"] = "Współpraca zmieniona", ["en"] = "Cooperation changed" };
        records[1]!["goals"] = new JsonArray();
        await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(records.ToJsonString()))).AssertStatusAsync(HttpStatusCode.OK);
        await AssertStoredAsRenderedFromTheDatabaseAsync(publisher.Code, 3);
    }

    [Fact]
    public async Task Representations_past_the_toast_threshold_are_stored_lz4_compressed_whether_copied_in_by_a_first_import_or_upserted()
    {
        // A first import copies its new projects' representations in (binary COPY); a single write and a second import
        // upsert theirs. Both keep the column's lz4, and the bytes read back are the bytes written.
        var publisher = await api.CreatePublisherAsync("lz4");
        var description = new JsonObject
        {
            ["pl"] = string.Concat(Enumerable.Range(0, 60).Select(i => $"Zdanie {i} o współpracy lokalnych grup działania. ")),
            ["en"] = string.Concat(Enumerable.Range(0, 60).Select(i => $"Sentence {i} on cooperation between local action groups. ")),
        };
        JsonObject Long(string externalId)
        {
            var project = Project(externalId, $"lz4{externalId}", "2031-01-01");
            project["description"] = description.DeepClone();
            return project;
        }

        var records = new JsonArray(Long("lz4-imported-1"), Long("lz4-imported-2"));
        await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(records.ToJsonString()))).AssertStatusAsync(HttpStatusCode.OK);
        var single = await publisher.Client.PutAsJsonAsync("/v1/projects/external/lz4-single", Long("lz4-single"));
        await single.AssertStatusAsync(HttpStatusCode.Created);
        var stored = await StoredBodiesAsync(publisher.Code);
        Assert.Equal(3, stored.Count);
        foreach (var (id, (compression, body)) in stored)
        {
            Assert.True(body.Length > 2100, $"the body of {id} is {body.Length} bytes: short of the TOAST threshold, it tests nothing");
            Assert.Equal("lz4", compression);
            Assert.Equal(Encoding.UTF8.GetString(body), await api.CreateClient().GetStringAsync($"/v1/projects/{id}"));
        }

        // The second import changes one: the upsert path.
        records[0]!["title"] = new JsonObject { ["pl"] = "Projekt lz4 zmieniony" };
        await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(records.ToJsonString()))).AssertStatusAsync(HttpStatusCode.OK);
        var after = await StoredBodiesAsync(publisher.Code);
        Assert.All(after.Values, row => Assert.Equal("lz4", row.Compression));
        Assert.Single(after, row => Encoding.UTF8.GetString(row.Value.Body).Contains("Projekt lz4 zmieniony", StringComparison.Ordinal));
    }

    private async Task<Dictionary<Guid, (string? Compression, byte[] Body)>> StoredBodiesAsync(string publisher)
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT r.id, pg_column_compression(r.body), r.body FROM registry.project_representations r " +
            "JOIN registry.projects p ON p.id = r.id JOIN registry.publishers u ON u.id = p.publisher_id WHERE u.code = $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = publisher });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, (string?, byte[])>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetGuid(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        }

        return rows;
    }

    private static JsonObject Rich(JsonObject project)
    {
        project["summary"] = new JsonObject { ["pl"] = "Wymiana doświadczeń", ["en"] = "An exchange of experience", ["de"] = "Erfahrungsaustausch" };
        project["budget"] = new JsonObject { ["total"] = new JsonObject { ["amount"] = 176072.20m, ["currency"] = "PLN" } };
        project["regions"] = new JsonArray("PL82");
        return project;
    }

    private async Task AssertStoredAsRenderedFromTheDatabaseAsync(string publisher, int expected)
    {
        var client = api.CreateClient();
        var listed = await ItemsAsync(client, $"/v1/projects?publisher={publisher}&pageSize=500", "items");
        Assert.Equal(expected, listed.Count);
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RuralRegistry.Application.Abstractions.IRegistryDbContext>();
        var rendering = scope.ServiceProvider.GetRequiredService<RuralRegistry.Application.Projects.ProjectRendering>();
        var readBack = await rendering.RenderAsync(db, [.. listed.Keys.Select(Guid.Parse)], CancellationToken.None);
        Assert.Equal(expected, readBack.Count);
        foreach (var (id, body) in readBack)
        {
            Assert.Equal(Encoding.UTF8.GetString(body), await client.GetStringAsync($"/v1/projects/{id}"));
        }
    }

    private static JsonObject Project(string externalId, string word, string endDate) => new()
    {
        ["externalId"] = externalId,
        ["title"] = new JsonObject { ["pl"] = $"Współpraca {word}" },
        ["originalLanguage"] = "pl",
        ["startDate"] = "2020-01-01",
        ["endDate"] = endDate,
        ["countries"] = new JsonArray("PL"),
        ["partners"] = new JsonArray(new JsonObject
        {
            ["partner"] = new JsonObject { ["name"] = new JsonObject { ["pl"] = $"LGD {word}" }, ["country"] = "PL", ["kind"] = "lag" },
            ["role"] = "lead",
        }),
        ["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "M19" }),
        ["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "6B" }, ["relevance"] = "primary" }),
    };

    /// <summary>Each item's exact text in the page (a slice of the bytes sent), by id.</summary>
    private static async Task<Dictionary<string, string>> ItemsAsync(HttpClient client, string path, string member)
    {
        var response = await client.GetAsync(path);
        var page = await response.AssertStatusAsync(HttpStatusCode.OK);
        return page.GetProperty(member).EnumerateArray().ToDictionary(item => item.GetProperty("id").GetString()!, item => item.GetRawText());
    }

    /// <summary>The latest record the feed carries for each project of the publisher, as the exact text sent.</summary>
    private static async Task<Dictionary<string, string>> FeedRecordsAsync(HttpClient client, string publisher)
    {
        var response = await client.GetAsync($"/v1/changes?include=record&type=project&publisher={publisher}&pageSize=500");
        var page = await response.AssertStatusAsync(HttpStatusCode.OK);
        var records = new Dictionary<string, string>();
        foreach (var entry in page.GetProperty("items").EnumerateArray())
        {
            records[entry.GetProperty("id").GetString()!] = entry.GetProperty("record").GetRawText();
        }

        return records;
    }
}
