using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Projects;
using RuralRegistry.Examples.Mirror;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Changes;

/// <summary>
/// Many writers create, change and delete projects and partners at once, partners are renamed (changing the projects
/// that name them) and days pass (the status job restamps the projects whose dates they passed), while a mirror loads
/// an export taken in the middle of it all and then follows the change feed. When the writers stop and the mirror
/// catches up, it must equal the registry record for record and version for version.
/// </summary>
public sealed class MirrorConvergenceTests(MirrorApiFactory api) : IClassFixture<MirrorApiFactory>
{
    /// <summary>Writing goes on at least this long, and until <see cref="MinimumWrites"/> writes happened (a loaded machine writes slower).</summary>
    private static readonly TimeSpan WritingTime = TimeSpan.FromSeconds(8);

    /// <summary>Beyond this the writers stop whatever they wrote (and the floor below fails the test).</summary>
    private static readonly TimeSpan LongestWritingTime = TimeSpan.FromSeconds(90);

    private const int MinimumWrites = 100;

    /// <summary>Writing goes on until at least this many partner renames succeeded too (a loaded machine renames fewer in the same time).</summary>
    private const int MinimumRenames = 6;

    /// <summary>How many partners the projects name (by name, so every project naming one links to the same partner).</summary>
    private const int PartnerNames = 8;

    /// <summary>
    /// Held by an import while it runs and by a day passing: an import measures its stall time and lease on the registry's
    /// clock, so a day must not pass in the middle of one.
    /// </summary>
    private readonly SemaphoreSlim _importOrDay = new(1, 1);

    private int _writes;

    private int _renames;

    [Fact]
    public async Task A_mirror_following_the_feed_under_concurrent_writes_renames_and_passing_days_ends_equal_to_the_registry()
    {
        // The partners the projects name are registered by pub-a first, so pub-a owns them and has partners to rename
        // whichever writer names them first (a partner named by name is found in any owner's; when pub-b's import
        // registered all of them, pub-a owned none and renamed nothing for the whole run).
        foreach (var n in Enumerable.Range(0, PartnerNames))
        {
            var registered = await api.PublisherA.PostAsJsonAsync("/v1/partners", new { name = new Dictionary<string, string> { ["lt"] = PartnerName(n) }, country = "LT" });
            Assert.True(registered.StatusCode == HttpStatusCode.Created, $"{(int)registered.StatusCode}: {await registered.Content.ReadAsStringAsync()}");
        }

        using var stop = new CancellationTokenSource(LongestWritingTime);
        var writers = Enumerable.Range(0, 6)
            .Select(i => WriteAsync(i % 2 == 0 ? api.PublisherA : api.PublisherB, i, stop.Token))
            .Append(ImportAsync(api.PublisherB, stop.Token))
            .ToList();
        var renames = RenamePartnersAsync(api.PublisherA, "pub-a", stop.Token);
        var days = PassDaysAsync(stop.Token);
        var enough = StopWhenEnoughAsync(stop);

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
        var (renamed, restamped) = (await renames, await days);
        await enough;
        await mirror.CatchUpAsync();

        var registryProjects = await ExportAsync("/v1/exports/projects.ndjson");
        var registryPartners = await ExportAsync("/v1/exports/partners.ndjson");
        Assert.True(operations > MinimumWrites, $"only {operations} writes happened");
        Assert.True(polls > 10);
        Assert.True(renamed >= MinimumRenames, $"only {renamed} partner renames happened");
        Assert.True(restamped > 0, "no status changed as the days passed");
        Assert.Equal(Versions(registryProjects), Versions(mirror.Projects));
        Assert.Equal(Versions(registryPartners), Versions(mirror.Partners));
        Assert.All(registryProjects, p => Assert.Equal(p.Value.ToJsonString(), mirror.Projects[p.Key].ToJsonString()));
    }

    private async Task<int> WriteAsync(HttpClient client, int writer, CancellationToken stop)
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
            Interlocked.Increment(ref _writes);
        }

        return operations;
    }

    /// <summary>
    /// Stops the writers once they wrote for <see cref="WritingTime"/>, at least <see cref="MinimumWrites"/> times, and
    /// at least <see cref="MinimumRenames"/> partners were renamed.
    /// </summary>
    private async Task StopWhenEnoughAsync(CancellationTokenSource stop)
    {
        await Task.Delay(WritingTime);
        while ((Volatile.Read(ref _writes) <= MinimumWrites || Volatile.Read(ref _renames) < MinimumRenames) && !stop.IsCancellationRequested)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
    }

    /// <summary>The owner renames its partners, one every little while: each rename changes every project that names the partner.</summary>
    private async Task<int> RenamePartnersAsync(HttpClient owner, string ownerCode, CancellationToken stop)
    {
        var random = new Random(7);
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(150, CancellationToken.None);
            var partners = (await owner.GetFromJsonAsync<JsonObject>("/v1/partners?pageSize=500", CancellationToken.None))!["items"]!.AsArray()
                .Where(p => p!["owner"]?.GetValue<string>() == ownerCode).ToList();
            if (partners.Count == 0)
            {
                continue;
            }

            var partner = partners[random.Next(partners.Count)]!;
            var name = partner["name"]!["lt"]!.GetValue<string>();
            var body = new { name = new Dictionary<string, string> { ["lt"] = $"{name.Split(" r", 2)[0]} r{Volatile.Read(ref _renames)}" }, country = "LT", kind = partner["kind"]!.GetValue<string>() };
            var response = await owner.PutAsJsonAsync($"/v1/partners/{partner["id"]}", body, CancellationToken.None);
            Assert.True(
                response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict,
                $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _renames);
            }
        }

        return Volatile.Read(ref _renames);
    }

    /// <summary>A day passes every second on the registry's clock (between imports), and the status job runs, as its schedule would, among the writes.</summary>
    private async Task<int> PassDaysAsync(CancellationToken stop)
    {
        var restamped = 0;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(1000, CancellationToken.None);
            await _importOrDay.WaitAsync(CancellationToken.None);
            try
            {
                api.Clock.Advance(TimeSpan.FromDays(1));
            }
            finally
            {
                _importOrDay.Release();
            }

            await using var scope = api.Services.CreateAsyncScope();
            restamped += await scope.ServiceProvider.GetRequiredService<ProjectStatusJob>().RunOnceAsync(CancellationToken.None);
        }

        return restamped;
    }

    /// <summary>A publisher's nightly job, sped up: the same catalogue of 30 records again and again, a few changed each time.</summary>
    private async Task<int> ImportAsync(HttpClient client, CancellationToken stop)
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
            HttpResponseMessage response;
            await _importOrDay.WaitAsync(CancellationToken.None);
            try
            {
                response = await client.PostAsync("/v1/imports/projects", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"), CancellationToken.None);
            }
            finally
            {
                _importOrDay.Release();
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            imports++;
        }

        return imports;
    }

    /// <summary>A project that ends within a few days of the registry's today, so passing days complete it.</summary>
    private object Body(Random random) => new
    {
        title = new Dictionary<string, string> { ["lt"] = $"Kaimo bendruomenė {random.Next(1000)}" },
        originalLanguage = "lt",
        startDate = Today.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        endDate = Today.AddDays(random.Next(4)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        partners = new[]
        {
            new { partner = new { name = new Dictionary<string, string> { ["lt"] = PartnerName(random.Next(PartnerNames)) }, country = "LT" }, role = "lead" },
        },
    };

    private static string PartnerName(int n) => $"Vietos veiklos grupė {n}";

    private DateOnly Today => DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);

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
