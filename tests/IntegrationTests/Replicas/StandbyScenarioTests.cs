using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RuralRegistry.Examples.Mirror;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Replicas;

/// <summary>
/// Issue 20's scenario on loopback: a primary, a streaming standby made by pg_basebackup, Redis, and two API processes.
/// Anonymous reads are served by the standby (seen in its pg_stat_activity), keyed reads by the primary; the mirror
/// example follows the feed through a round-robin of both processes during concurrent writes and ends equal to the
/// registry; a caller's budget is one budget across both processes.
/// </summary>
public sealed class StandbyScenarioTests(ReplicaTopology topology) : IClassFixture<ReplicaTopology>
{
    private const int MinimumWrites = 15;
    private static readonly TimeSpan WritingTime = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Anonymous_reads_are_served_by_the_standby_and_keyed_reads_by_the_primary()
    {
        var (_, key) = await PublisherAsync("reads");
        var created = await topology.B.CreateClient(key).PutAsJsonAsync("/v1/projects/external/route-1", Body("Kaimo bendruomenė maršrutas"));
        var id = (await created.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        // Keyed: on the primary, so the publisher reads its own write at once, from either process.
        var keyedFrom = await topology.NowAsync();
        foreach (var api in topology.Apis)
        {
            using var client = api.CreateClient(key);
            foreach (var path in new[] { $"/v1/projects/{id}", "/v1/projects?pageSize=5", "/v1/stats/projects?groupBy=country", "/v1/partners" })
            {
                var answer = await client.GetAsync(path);
                await answer.AssertStatusAsync(HttpStatusCode.OK);
                Assert.Equal("primary", ReadFrom(answer));
            }
        }

        var keyedTo = await topology.NowAsync();
        Assert.DoesNotContain(await topology.SessionsAsync(standby: true), s => s.QueryStart >= keyedFrom && s.QueryStart <= keyedTo);
        var primarySessions = await topology.SessionsAsync(standby: false);
        Assert.Contains(primarySessions, s => s.Application == "replica-api-a" && s.QueryStart >= keyedFrom && s.QueryStart <= keyedTo);
        Assert.Contains(primarySessions, s => s.Application == "replica-api-b" && s.QueryStart >= keyedFrom && s.QueryStart <= keyedTo);

        // Anonymous: on the standby, once it has replayed the write (a portal may see that lag).
        await EventuallyAsync(async () => (await topology.A.CreateClient().GetAsync($"/v1/projects/{id}")).StatusCode == HttpStatusCode.OK);
        var anonymousFrom = await topology.NowAsync();
        foreach (var api in topology.Apis)
        {
            using var client = api.CreateClient();
            foreach (var path in new[] { $"/v1/projects/{id}", "/v1/projects?pageSize=5", "/v1/projects?q=marsrutas", "/v1/stats/projects?groupBy=country", "/v1/partners", "/v1/goals", "/v1/exports/projects.ndjson" })
            {
                var answer = await client.GetAsync(path);
                await answer.AssertStatusAsync(HttpStatusCode.OK);
                Assert.Equal("standby", ReadFrom(answer));
            }

            // The change feed is read on the primary, whose bound it needs.
            Assert.Equal("primary", ReadFrom(await client.GetAsync("/v1/changes?after=0")));
        }

        var standbySessions = await topology.SessionsAsync(standby: true);
        Assert.Contains(standbySessions, s => s.Application == "replica-api-a-reads" && s.QueryStart >= anonymousFrom);
        Assert.Contains(standbySessions, s => s.Application == "replica-api-b-reads" && s.QueryStart >= anonymousFrom);
    }

    [Fact]
    public async Task A_callers_rate_budget_is_one_budget_across_both_processes()
    {
        var (_, key) = await PublisherAsync("budget");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ReplicaTopology.ImportsPerWindow + 2; i++)
        {
            using var client = topology.Apis[i % 2].CreateClient(key);
            statuses.Add((await client.PostAsJsonAsync("/v1/imports/projects?dryRun=true", Array.Empty<object>())).StatusCode);
        }

        Assert.All(statuses.Take(ReplicaTopology.ImportsPerWindow), status => Assert.NotEqual(HttpStatusCode.TooManyRequests, status));
        // Each process served only half of the budget, yet both refuse: they take from one budget in Redis.
        Assert.All(statuses.Skip(ReplicaTopology.ImportsPerWindow), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
    }

    [Fact]
    public async Task The_mirror_follows_the_feed_through_both_processes_during_concurrent_writes_and_ends_equal_to_the_registry()
    {
        var (_, first) = await PublisherAsync("mirror-a");
        var (_, second) = await PublisherAsync("mirror-b");
        using var stop = new CancellationTokenSource(WritingTime);
        var writers = Enumerable.Range(0, 4).Select(i => WriteAsync(i % 2 == 0 ? first : second, i, stop.Token)).ToList();
        var writing = Task.WhenAll(writers);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var servedBy = new ConcurrentQueue<(string Path, string ReadFrom)>();
        using var roundRobin = new HttpClient(new RoundRobin([.. topology.Apis.Select(a => a.BaseAddress)], servedBy)) { BaseAddress = topology.A.BaseAddress };
        var mirror = new RegistryMirror(roundRobin);
        await mirror.LoadAsync();
        var polls = 0;
        while (!writing.IsCompleted)
        {
            await mirror.CatchUpAsync();
            polls++;
            await Task.Delay(20);
        }

        var operations = (await writing).Sum();
        await mirror.CatchUpAsync();

        // The registry as the primary holds it (an admin's export is read there).
        using var admin = topology.A.CreateClient(ReplicaTopology.AdminKey);
        var registryProjects = await ExportAsync(admin, "/v1/exports/projects.ndjson");
        var registryPartners = await ExportAsync(admin, "/v1/exports/partners.ndjson");
        Assert.True(operations >= 4 * MinimumWrites, $"only {operations} writes happened");
        Assert.True(polls > 10);
        Assert.Contains(servedBy, s => s.Path.StartsWith("/v1/exports/", StringComparison.Ordinal) && s.ReadFrom == "standby");
        Assert.All(servedBy.Where(s => s.Path.StartsWith("/v1/changes", StringComparison.Ordinal)), s => Assert.Equal("primary", s.ReadFrom));
        Assert.Equal(Versions(registryProjects), Versions(mirror.Projects));
        Assert.Equal(Versions(registryPartners), Versions(mirror.Partners));
        Assert.All(registryProjects, p => Assert.Equal(p.Value.ToJsonString(), mirror.Projects[p.Key].ToJsonString()));
    }

    /// <summary>
    /// Creates, replaces and deletes its own projects through both processes in turn, for the writing time and at least
    /// <see cref="MinimumWrites"/> times (a loaded machine may serve few in that time).
    /// </summary>
    private async Task<int> WriteAsync(string key, int writer, CancellationToken stop)
    {
        var random = new Random(writer);
        var clients = topology.Apis.Select(api => api.CreateClient(key)).ToArray();
        var mine = new List<string>();
        var operations = 0;
        while (!stop.IsCancellationRequested || operations < MinimumWrites)
        {
            var client = clients[operations % clients.Length];
            var roll = random.Next(10);
            HttpResponseMessage response;
            if (mine.Count < 3 || roll < 5)
            {
                var externalId = $"w{writer}-{operations}";
                response = await client.PutAsJsonAsync($"/v1/projects/external/{externalId}", Body($"Kaimo bendruomenė {random.Next(1000)}"), CancellationToken.None);
                mine.Add(externalId);
            }
            else if (roll < 8)
            {
                response = await client.PutAsJsonAsync($"/v1/projects/external/{mine[random.Next(mine.Count)]}", Body($"Kaimo bendruomenė {random.Next(1000)}"), CancellationToken.None);
            }
            else
            {
                var externalId = mine[random.Next(mine.Count)];
                mine.Remove(externalId);
                // Keyed, so read on the primary: the project just written is there.
                var current = await client.GetFromJsonAsync<JsonObject>($"/v1/projects?pageSize=500&q=kaimo", CancellationToken.None);
                var project = current!["items"]!.AsArray().FirstOrDefault(p => p!["externalId"]!.GetValue<string>() == externalId);
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

    private static object Body(string title) => new
    {
        title = new Dictionary<string, string> { ["lt"] = title },
        originalLanguage = "lt",
        countries = new[] { "LT" },
        partners = new[]
        {
            new { partner = new { name = new Dictionary<string, string> { ["lt"] = $"Vietos veiklos grupė {title.Length % 5}" }, country = "LT" }, role = "lead" },
        },
    };

    private async Task<(string Code, string Key)> PublisherAsync(string prefix)
    {
        using var admin = topology.A.CreateClient(ReplicaTopology.AdminKey);
        var code = RegistryClients.NewCode(prefix);
        await (await admin.PostAsJsonAsync("/v1/publishers", new { code, name = $"Publisher {code}" })).AssertStatusAsync(HttpStatusCode.Created);
        var key = await (await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "replica tests" })).AssertStatusAsync(HttpStatusCode.Created);
        return (code, key.GetProperty("secret").GetString()!);
    }

    private static string ReadFrom(HttpResponseMessage answer) =>
        answer.Headers.TryGetValues("Registry-Read-From", out var values) ? values.Single() : "(none)";

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the standby did not catch up within 20 s");
            await Task.Delay(50);
        }
    }

    private static async Task<Dictionary<Guid, JsonObject>> ExportAsync(HttpClient client, string path)
    {
        var answer = await client.GetAsync(path);
        Assert.Equal("primary", ReadFrom(answer));
        var text = await answer.Content.ReadAsStringAsync();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToDictionary(r => Guid.Parse(r["id"]!.GetValue<string>()));
    }

    private static List<(Guid, long)> Versions(IReadOnlyDictionary<Guid, JsonObject> records) =>
        [.. records.Select(r => (r.Key, r.Value["version"]!.GetValue<long>())).Order()];

    /// <summary>A load balancer in the client: each request goes to the next process in turn; notes who read what where.</summary>
    private sealed class RoundRobin(Uri[] backends, ConcurrentQueue<(string Path, string ReadFrom)> servedBy) : DelegatingHandler(new HttpClientHandler())
    {
        private int _next;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var backend = backends[(Interlocked.Increment(ref _next) & int.MaxValue) % backends.Length];
            request.RequestUri = new Uri(backend, request.RequestUri!.PathAndQuery);
            var response = await base.SendAsync(request, cancellationToken);
            servedBy.Enqueue((request.RequestUri.AbsolutePath, ReadFrom(response)));
            return response;
        }
    }
}
