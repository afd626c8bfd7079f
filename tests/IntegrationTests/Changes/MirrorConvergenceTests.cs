using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.Examples.Mirror;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Changes;

/// <summary>
/// Many writers create, change and delete projects and partners at once while a mirror loads an export
/// taken in the middle of it all and then follows the change feed. When the writers stop and the mirror
/// catches up, it must equal the registry record for record and version for version.
/// </summary>
public sealed class MirrorConvergenceTests(PublishersApiFactory api) : IClassFixture<PublishersApiFactory>
{
    private static readonly TimeSpan WritingTime = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_mirror_following_the_feed_under_concurrent_writes_ends_equal_to_the_registry()
    {
        using var stop = new CancellationTokenSource(WritingTime);
        var writers = Enumerable.Range(0, 6)
            .Select(i => WriteAsync(i % 2 == 0 ? api.PublisherA : api.PublisherB, i, stop.Token))
            .Append(ImportAsync(api.PublisherB, stop.Token))
            .ToList();

        await Task.Delay(TimeSpan.FromSeconds(1));
        var mirror = new RegistryMirror(api.CreateClient());
        await mirror.LoadAsync();
        var polls = 0;
        while (!stop.IsCancellationRequested)
        {
            await mirror.CatchUpAsync();
            polls++;
            await Task.Delay(20);
        }

        var operations = (await Task.WhenAll(writers)).Sum();
        await mirror.CatchUpAsync();

        var registryProjects = await ExportAsync("/v1/exports/projects.ndjson");
        var registryPartners = await ExportAsync("/v1/exports/partners.ndjson");
        Assert.True(operations > 100, $"only {operations} writes happened");
        Assert.True(polls > 10);
        Assert.Equal(Versions(registryProjects), Versions(mirror.Projects));
        Assert.Equal(Versions(registryPartners), Versions(mirror.Partners));
        Assert.All(registryProjects, p => Assert.Equal(p.Value.ToJsonString(), mirror.Projects[p.Key].ToJsonString()));
    }

    private static async Task<int> WriteAsync(HttpClient client, int writer, CancellationToken stop)
    {
        var random = new Random(writer);
        var mine = new List<string>();
        var operations = 0;
        while (!stop.IsCancellationRequested)
        {
            var roll = random.Next(10);
            HttpResponseMessage response;
            if (mine.Count < 3 || roll < 5)
            {
                var externalId = $"w{writer}-{operations}";
                response = await client.PutAsJsonAsync($"/v1/projects/external/{externalId}", Body(random), CancellationToken.None);
                mine.Add(externalId);
            }
            else if (roll < 8)
            {
                response = await client.PutAsJsonAsync($"/v1/projects/external/{mine[random.Next(mine.Count)]}", Body(random), CancellationToken.None);
            }
            else
            {
                var externalId = mine[random.Next(mine.Count)];
                var current = await client.GetFromJsonAsync<JsonObject>($"/v1/projects?pageSize=500", CancellationToken.None);
                var project = current!["items"]!.AsArray().FirstOrDefault(p => p!["externalId"]!.GetValue<string>() == externalId);
                mine.Remove(externalId);
                if (project is null)
                {
                    continue;
                }

                response = await client.DeleteAsync($"/v1/projects/{project["id"]}", CancellationToken.None);
            }

            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Gone, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            operations++;
        }

        return operations;
    }

    /// <summary>A publisher's nightly job, sped up: the same catalogue of 30 records again and again, a few changed each time.</summary>
    private static async Task<int> ImportAsync(HttpClient client, CancellationToken stop)
    {
        var random = new Random(99);
        var imports = 0;
        while (!stop.IsCancellationRequested)
        {
            var lines = Enumerable.Range(0, 30).Select(i =>
            {
                var record = JsonNode.Parse(JsonSerializer.Serialize(Body(random)))!.AsObject();
                record["externalId"] = $"nightly-{i}";
                return record.ToJsonString();
            });
            var response = await client.PostAsync("/v1/imports/projects", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"), CancellationToken.None);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            imports++;
        }

        return imports;
    }

    private static object Body(Random random) => new
    {
        title = new Dictionary<string, string> { ["lt"] = $"Kaimo bendruomenė {random.Next(1000)}" },
        originalLanguage = "lt",
        partners = new[]
        {
            new { partner = new { name = new Dictionary<string, string> { ["lt"] = $"Vietos veiklos grupė {random.Next(8)}" }, country = "LT" }, role = "lead" },
        },
    };

    private async Task<Dictionary<Guid, JsonObject>> ExportAsync(string path)
    {
        var text = await api.CreateClient().GetStringAsync(path);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToDictionary(r => Guid.Parse(r["id"]!.GetValue<string>()));
    }

    private static List<(Guid, long)> Versions(IReadOnlyDictionary<Guid, JsonObject> records) =>
        [.. records.Select(r => (r.Key, r.Value["version"]!.GetValue<long>())).Order()];
}
