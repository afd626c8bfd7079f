using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Changes;

/// <summary>
/// A representation changes only with its version: whatever changes what GET returns for a project (a partner it
/// names renamed, a funding measure or goal it names renamed or moved, its status as the dates pass) gives it a new
/// version, ETag, <c>updatedAt</c> and change-feed entry, so an <c>If-None-Match</c> with the old ETag gets 200 and
/// the new body, never 304; and what does not change it leaves the version alone.
/// </summary>
public sealed class RepresentationVersionTests(FakeClockApiFactory api) : IClassFixture<FakeClockApiFactory>
{
    [Fact]
    public async Task A_partner_renamed_gives_every_project_naming_it_a_new_version_and_feed_entry_and_nothing_else()
    {
        var publisher = await api.CreatePublisherAsync("rename");
        var name = $"Stowarzyszenie {Guid.NewGuid():N}";
        var partner = new JsonObject { ["name"] = new JsonObject { ["pl"] = name }, ["country"] = "PL", ["kind"] = "ngo" };
        var first = await (await publisher.Client.PutProjectAsync("named-0", RegistryClients.Project(partner))).AssertStatusAsync(HttpStatusCode.Created);
        var partnerId = first.PartnerIds()[0];
        var naming = new List<Snapshot> { await SnapshotAsync(first.GetProperty("id").GetGuid()) };
        for (var i = 1; i < 4; i++)
        {
            var written = await (await publisher.Client.PutProjectAsync($"named-{i}", RegistryClients.Project(RegistryClients.PartnerById(partnerId))))
                .AssertStatusAsync(HttpStatusCode.Created);
            naming.Add(await SnapshotAsync(written.GetProperty("id").GetGuid()));
        }

        var other = await (await publisher.Client.PutProjectAsync("not-named", RegistryClients.Project())).AssertStatusAsync(HttpStatusCode.Created);
        var bystander = await SnapshotAsync(other.GetProperty("id").GetGuid());

        // A change the projects do not show (the partner's website): no project changes.
        var cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await PutPartnerAsync(publisher.Client, partnerId, name, website: "https://example.org/");
        foreach (var project in naming)
        {
            await AssertUnchangedAsync(project);
        }

        Assert.Equal([partnerId], (await FeedAfterAsync(cursor)).Select(e => e.Id));

        // Renamed: each project naming it shows the new name under a new version, with a feed entry; the others do not change.
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await PutPartnerAsync(publisher.Client, partnerId, name + " (nowa nazwa)", website: "https://example.org/");
        var feed = await FeedAfterAsync(cursor);
        foreach (var project in naming)
        {
            var changed = await AssertChangedAsync(project, feed);
            Assert.Equal(name + " (nowa nazwa)", changed.GetProperty("partners")[0].GetProperty("partner").GetProperty("name").GetProperty("pl").GetString());
        }

        await AssertUnchangedAsync(bystander);
        Assert.Equal(naming.Count + 1, feed.Count);
        var updatedSince = await api.CreateClient().ReadAllAsync(
            $"/v1/projects?publisher={publisher.Code}&updatedSince={Uri.EscapeDataString(api.Clock.GetUtcNow().AddSeconds(-1).ToString("O"))}");
        Assert.Equal(naming.Select(p => p.Id).Order(), updatedSince.Select(p => p.GetProperty("id").GetGuid()).Order());
    }

    [Fact]
    public async Task A_funding_measure_or_goal_renamed_or_moved_gives_the_projects_it_changes_a_new_version_and_feed_entry()
    {
        var scheme = "versions-" + Guid.NewGuid().ToString("N")[..8];
        var admin = api.CreateAdminClient();
        await NodeAsync(admin, "funding-measures", scheme, "P1", "programme", parent: null, "Programme one");
        await NodeAsync(admin, "funding-measures", scheme, "P2", "programme", parent: null, "Programme two");
        await NodeAsync(admin, "funding-measures", scheme, "M1", "measure", parent: "P1", "Measure one");
        await NodeAsync(admin, "goals", scheme, "G1", "objective", parent: null, "Goal one");
        var publisher = await api.CreatePublisherAsync("nodes");
        var underMeasure = await ProjectNamingAsync(publisher, "names-m1", scheme, measure: "M1", goal: null);
        var underProgramme = await ProjectNamingAsync(publisher, "names-p1", scheme, measure: "P1", goal: null);
        var withGoal = await ProjectNamingAsync(publisher, "names-g1", scheme, measure: null, goal: "G1");

        // M1 renamed: the project naming it shows the new name; the one naming its programme shows nothing of M1.
        var cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await NodeAsync(admin, "funding-measures", scheme, "M1", "measure", parent: "P1", "Measure one, renamed", HttpStatusCode.OK);
        var feed = await FeedAfterAsync(cursor);
        var renamed = await AssertChangedAsync(underMeasure, feed);
        Assert.Equal("Measure one, renamed", renamed.GetProperty("fundingMeasures")[0].GetProperty("name").GetProperty("en").GetString());
        await AssertUnchangedAsync(underProgramme);
        await AssertUnchangedAsync(withGoal);
        underMeasure = await SnapshotAsync(underMeasure.Id);

        // M1 moved under P2: the projects under M1 now match fundingMeasure=P2 (and no longer P1), so they change.
        cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await NodeAsync(admin, "funding-measures", scheme, "M1", "measure", parent: "P2", "Measure one, renamed", HttpStatusCode.OK);
        await AssertChangedAsync(underMeasure, await FeedAfterAsync(cursor));
        await AssertUnchangedAsync(underProgramme);
        var underP2 = await api.CreateClient().ReadAllAsync($"/v1/projects?fundingMeasure={scheme}:P2");
        Assert.Equal([underMeasure.Id], underP2.Select(p => p.GetProperty("id").GetGuid()));

        // G1 renamed: the project naming it changes.
        cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await NodeAsync(admin, "goals", scheme, "G1", "objective", parent: null, "Goal one, renamed", HttpStatusCode.OK);
        var goal = await AssertChangedAsync(withGoal, await FeedAfterAsync(cursor));
        Assert.Equal("Goal one, renamed", goal.GetProperty("goals")[0].GetProperty("goal").GetProperty("name").GetProperty("en").GetString());

        // A node written again unchanged changes nothing.
        cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await NodeAsync(admin, "goals", scheme, "G1", "objective", parent: null, "Goal one, renamed", HttpStatusCode.OK);
        Assert.Empty(await FeedAfterAsync(cursor));
    }

    [Fact]
    public async Task A_status_the_passing_days_change_is_restamped_by_the_job_once_and_reads_filters_and_statistics_follow_it()
    {
        var publisher = await api.CreatePublisherAsync("dates");
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
        var ending = await ProjectWithDatesAsync(publisher, "ends-today", today.AddYears(-1), today);
        var starting = await ProjectWithDatesAsync(publisher, "starts-tomorrow", today.AddDays(1), today.AddYears(1));
        var lasting = await ProjectWithDatesAsync(publisher, "lasts", today.AddYears(-1), today.AddYears(1));
        Assert.Equal(("ongoing", "planned"), (ending.Status, starting.Status));

        // A day passes: nothing changed yet, so every ETag still holds and the status is what it was, in every read.
        api.Clock.Advance(TimeSpan.FromDays(1));
        foreach (var project in (Snapshot[])[ending, starting, lasting])
        {
            await AssertUnchangedAsync(project);
        }

        Assert.Equal(["ends-today", "lasts"], await ExternalIdsAsync($"/v1/projects?publisher={publisher.Code}&status=ongoing"));

        var cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await using (var scope = api.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ProjectStatusJob>().RunOnceAsync(CancellationToken.None) >= 2);
        }

        var feed = await FeedAfterAsync(cursor);
        Assert.Equal("completed", (await AssertChangedAsync(ending, feed)).GetProperty("status").GetString());
        Assert.Equal("ongoing", (await AssertChangedAsync(starting, feed)).GetProperty("status").GetString());
        await AssertUnchangedAsync(lasting);
        Assert.Equal(["lasts", "starts-tomorrow"], await ExternalIdsAsync($"/v1/projects?publisher={publisher.Code}&status=ongoing"));
        Assert.Equal(["ends-today"], await ExternalIdsAsync($"/v1/projects?publisher={publisher.Code}&status=completed"));
        var statistics = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/stats/projects?publisher={publisher.Code}&groupBy=status");
        var groups = statistics.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("projects").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["completed"] = 1, ["ongoing"] = 2 }, groups);

        // Idempotent: a second run the same day changes nothing.
        cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await using (var scope = api.Services.CreateAsyncScope())
        {
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<ProjectStatusJob>().RunOnceAsync(CancellationToken.None));
        }

        Assert.Empty(await FeedAfterAsync(cursor));
    }

    [Fact]
    public async Task Two_status_jobs_at_once_restamp_each_project_once_in_small_batches()
    {
        var publisher = await api.CreatePublisherAsync("twice");
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
        var projects = new List<Snapshot>();
        for (var i = 0; i < 24; i++)
        {
            projects.Add(await ProjectWithDatesAsync(publisher, $"ends-{i}", today.AddYears(-1), today.AddDays(i % 2)));
        }

        api.Clock.Advance(TimeSpan.FromDays(1));
        var cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        async Task<int> RunAsync()
        {
            await using var scope = api.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var job = new ProjectStatusJob(
                services.GetRequiredService<IRegistryDbContext>(), services.GetRequiredService<IProjectWrites>(), services.GetRequiredService<IChangeLog>(),
                services.GetRequiredService<RegistryResilience>())
            {
                BatchSize = 3,
            };
            return await job.RunOnceAsync(CancellationToken.None);
        }

        var runs = await Task.WhenAll(RunAsync(), RunAsync());

        var ended = projects.Where((_, i) => i % 2 == 0).ToList();
        var feed = await FeedAfterAsync(cursor);
        Assert.True(runs.Sum() >= ended.Count, $"runs restamped {runs[0]} and {runs[1]}");
        foreach (var project in ended)
        {
            Assert.Single(feed, e => e.Id == project.Id);
            Assert.Equal("completed", (await AssertChangedAsync(project, feed)).GetProperty("status").GetString());
        }

        foreach (var project in projects.Where((_, i) => i % 2 == 1))
        {
            await AssertUnchangedAsync(project);
        }
    }

    private sealed record Snapshot(Guid Id, string ETag, long Version, string Body, string Status);

    private sealed record FeedEntry(long Sequence, string Type, Guid Id, long Version);

    private async Task<Snapshot> SnapshotAsync(Guid id)
    {
        var response = await api.CreateClient().GetAsync($"/v1/projects/{id}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(body).RootElement;
        return new Snapshot(id, response.Headers.ETag!.Tag, json.GetProperty("version").GetInt64(), body, json.GetProperty("status").GetString()!);
    }

    private async Task<HttpResponseMessage> GetIfNoneMatchAsync(Snapshot project)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/projects/{project.Id}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(project.ETag));
        return await api.CreateClient().SendAsync(request);
    }

    /// <summary>The old ETag still holds (304), and the body read again is byte for byte the one it named.</summary>
    private async Task AssertUnchangedAsync(Snapshot project)
    {
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatchAsync(project)).StatusCode);
        Assert.Equal(project.Body, (await SnapshotAsync(project.Id)).Body);
    }

    /// <summary>
    /// The old ETag gets 200 with the new body under a new version and ETag, <c>updatedAt</c> the clock's now, and the
    /// feed has one entry for the new version. Returns the new body.
    /// </summary>
    private async Task<JsonElement> AssertChangedAsync(Snapshot project, IReadOnlyList<FeedEntry> feed)
    {
        var response = await GetIfNoneMatchAsync(project);
        var body = await response.AssertStatusAsync(HttpStatusCode.OK);
        var version = body.GetProperty("version").GetInt64();
        Assert.True(version > project.Version, $"version {version} after {project.Version}");
        Assert.Equal($"\"{version}\"", response.Headers.ETag!.Tag);
        Assert.NotEqual(project.ETag, response.Headers.ETag.Tag);
        // The database keeps microseconds of the clock's ticks.
        Assert.True(
            (api.Clock.GetUtcNow() - body.GetProperty("updatedAt").GetDateTimeOffset()).Duration() < TimeSpan.FromMilliseconds(1),
            $"updatedAt {body.GetProperty("updatedAt")} at {api.Clock.GetUtcNow():O}");
        Assert.Contains(feed, e => e.Type == "project" && e.Id == project.Id && e.Version == version);
        return body;
    }

    private async Task<List<FeedEntry>> FeedAfterAsync(long cursor)
    {
        var entries = new List<FeedEntry>();
        var client = api.CreateClient();
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/changes?after={cursor}&pageSize=500");
            entries.AddRange(page.GetProperty("items").EnumerateArray().Select(e => new FeedEntry(
                e.GetProperty("sequence").GetInt64(), e.GetProperty("type").GetString()!, e.GetProperty("id").GetGuid(), e.GetProperty("version").GetInt64())));
            cursor = page.GetProperty("resumeAfter").GetInt64();
            if (!page.GetProperty("hasMore").GetBoolean())
            {
                return entries;
            }
        }
    }

    /// <summary>The external ids a list names, in ordinal order.</summary>
    private async Task<List<string>> ExternalIdsAsync(string path) =>
        [.. (await api.CreateClient().ReadAllAsync(path)).Select(p => p.GetProperty("externalId").GetString()!).Order(StringComparer.Ordinal)];

    private static async Task PutPartnerAsync(HttpClient client, Guid id, string name, string website)
    {
        var body = new JsonObject { ["name"] = new JsonObject { ["pl"] = name }, ["country"] = "PL", ["kind"] = "ngo", ["website"] = website };
        await (await client.PutAsync($"/v1/partners/{id}", RegistryClients.JsonBody(body))).AssertStatusAsync(HttpStatusCode.OK);
    }

    private static async Task NodeAsync(
        HttpClient admin, string resource, string scheme, string code, string level, string? parent, string name, HttpStatusCode status = HttpStatusCode.Created)
    {
        var node = new JsonObject { ["scheme"] = scheme, ["code"] = code, ["level"] = level, ["name"] = new JsonObject { ["en"] = name } };
        if (parent is not null)
        {
            node["parent"] = new JsonObject { ["scheme"] = scheme, ["code"] = parent };
        }

        await (await admin.PostAsync($"/v1/{resource}", RegistryClients.JsonBody(node))).AssertStatusAsync(status);
    }

    private async Task<Snapshot> ProjectNamingAsync(TestPublisher publisher, string externalId, string scheme, string? measure, string? goal)
    {
        var body = RegistryClients.Project();
        if (measure is not null)
        {
            body["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = scheme, ["code"] = measure });
        }

        if (goal is not null)
        {
            body["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = scheme, ["code"] = goal } });
        }

        var written = await (await publisher.Client.PutProjectAsync(externalId, body)).AssertStatusAsync(HttpStatusCode.Created);
        return await SnapshotAsync(written.GetProperty("id").GetGuid());
    }

    private async Task<Snapshot> ProjectWithDatesAsync(TestPublisher publisher, string externalId, DateOnly start, DateOnly end)
    {
        var body = RegistryClients.Project();
        body["startDate"] = start.ToString("yyyy-MM-dd");
        body["endDate"] = end.ToString("yyyy-MM-dd");
        var written = await (await publisher.Client.PutProjectAsync(externalId, body)).AssertStatusAsync(HttpStatusCode.Created);
        return await SnapshotAsync(written.GetProperty("id").GetGuid());
    }
}
