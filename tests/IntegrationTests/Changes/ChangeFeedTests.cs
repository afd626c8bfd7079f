using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Changes;

public sealed class ChangeFeedTests(PublishersApiFactory api) : IClassFixture<PublishersApiFactory>
{
    [Fact]
    public async Task Creates_updates_and_deletes_appear_in_order_with_tombstones()
    {
        var start = await CursorAsync(api.CreateClient());
        var project = await CreateProjectAsync(api.PublisherA, "feed-order");
        var location = $"/v1/projects/{project.GetProperty("id").GetString()}";
        var updated = await (await api.PublisherA.PutAsJsonAsync(location, ProjectBody("Zmieniony"))).Content.ReadFromJsonAsync<JsonElement>();
        (await api.PublisherA.DeleteAsync(location)).EnsureSuccessStatusCode();

        var entries = await ReadAllAsync($"after={start}&type=project");

        var mine = entries.Where(e => e.Id == project.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(["upsert", "upsert", "delete"], mine.Select(e => e.Operation));
        Assert.Equal(project.GetProperty("version").GetInt64(), mine[0].Version);
        Assert.Equal(updated.GetProperty("version").GetInt64(), mine[1].Version);
        Assert.All(mine, e => Assert.Equal((e.Sequence, "project", "pub-a"), (e.Version, e.Type, e.Publisher)));
        var sequences = entries.Select(e => e.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public async Task Partner_registrations_from_project_writes_are_in_the_feed_too()
    {
        var start = await CursorAsync(api.CreateClient());
        var project = await CreateProjectAsync(api.PublisherA, "feed-partner");

        var entries = await ReadAllAsync($"after={start}");

        var partnerId = project.GetProperty("partners")[0].GetProperty("partner").GetProperty("id").GetGuid();
        Assert.Contains(entries, e => e.Type == "partner" && e.Id == partnerId);
        Assert.All(await ReadAllAsync($"after={start}&type=partner"), e => Assert.Equal("partner", e.Type));
    }

    [Fact]
    public async Task The_publisher_filter_keeps_only_that_publishers_records()
    {
        var start = await CursorAsync(api.CreateClient());
        await CreateProjectAsync(api.PublisherA, "feed-a");
        await CreateProjectAsync(api.PublisherB, "feed-b");

        var entries = await ReadAllAsync($"after={start}&publisher=pub-b");

        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal("pub-b", e.Publisher));
    }

    [Fact]
    public async Task Include_record_embeds_the_current_representation_and_null_for_deleted_records()
    {
        var start = await CursorAsync(api.CreateClient());
        var kept = await CreateProjectAsync(api.PublisherA, "feed-kept");
        var gone = await CreateProjectAsync(api.PublisherA, "feed-gone");
        (await api.PublisherA.DeleteAsync($"/v1/projects/{gone.GetProperty("id").GetString()}")).EnsureSuccessStatusCode();

        var entries = await ReadAllAsync($"after={start}&type=project&include=record");

        var keptEntry = entries.Single(e => e.Id == kept.GetProperty("id").GetGuid());
        Assert.Equal("Współpraca", keptEntry.Record?.GetProperty("title").GetProperty("pl").GetString());
        var goneEntries = entries.Where(e => e.Id == gone.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(["upsert", "delete"], goneEntries.Select(e => e.Operation));
        Assert.All(goneEntries, e => Assert.Equal(JsonValueKind.Null, e.Record?.ValueKind ?? JsonValueKind.Null));
    }

    [Fact]
    public async Task Paging_resumes_exactly_where_the_last_page_ended()
    {
        var start = await CursorAsync(api.CreateClient());
        for (var i = 0; i < 5; i++)
        {
            await CreateProjectAsync(api.PublisherB, $"feed-page-{i}");
        }

        var all = await ReadAllAsync($"after={start}");
        var paged = new List<long>();
        var cursor = start;
        var hasMore = true;
        while (hasMore)
        {
            var page = await api.CreateClient().GetWireAsync<ChangesPageWire>($"/v1/changes?after={cursor}&pageSize=2");
            paged.AddRange(page.Items.Select(e => e.Sequence));
            Assert.True(page.Items.Count <= 2);
            (cursor, hasMore) = (page.ResumeAfter, page.HasMore);
            Assert.Equal(hasMore, page.Next is not null);
        }

        Assert.Equal(all.Select(e => e.Sequence), paged);
        var empty = await api.CreateClient().GetWireAsync<ChangesPageWire>($"/v1/changes?after={cursor}");
        Assert.Equal((0, cursor, false, null), (empty.Items.Count, empty.ResumeAfter, empty.HasMore, empty.Next));
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=abc", null)]
    [InlineData("type=projects", "type")]
    [InlineData("publisher=nobody", "publisher")]
    [InlineData("include=everything", "include")]
    [InlineData("since=5", "since")]
    public async Task Bad_parameters_are_400_problems(string query, string? parameter)
    {
        var response = await api.CreateClient().GetAsync($"/v1/changes?{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        if (parameter is not null)
        {
            Assert.Equal(parameter, problem.Errors().Single().Parameter);
        }
    }

    /// <summary>
    /// The classic trap: a transaction takes change number N and commits late, while a later number
    /// commits first. The feed must not hand out the later number (and move a reader's cursor past N)
    /// until N has committed or been abandoned.
    /// </summary>
    [Fact]
    public async Task A_change_committed_out_of_order_is_never_skipped()
    {
        var start = await CursorAsync(api.CreateClient());
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var changes = scope.ServiceProvider.GetRequiredService<IChangeLog>();
        var goal = await db.Goals.FirstAsync(g => g.Scheme == "eu-rdp-2014-2020" && g.Code == "6A");
        await using var slow = await db.Database.BeginTransactionAsync();
        var held = await changes.RecordAsync(RecordType.Goal, goal.Id, ChangeOperation.Upsert, null, CancellationToken.None);
        goal.Stamp(held);
        await db.SaveChangesAsync();

        var later = await CreateProjectAsync(api.PublisherA, "feed-trap");
        Assert.True(later.GetProperty("version").GetInt64() > held);
        var whileOpen = await api.CreateClient().GetWireAsync<ChangesPageWire>($"/v1/changes?after={start}");
        Assert.DoesNotContain(whileOpen.Items, e => e.Sequence >= held);
        Assert.True(whileOpen.ResumeAfter < held);

        await slow.CommitAsync();

        var afterCommit = await ReadAllAsync($"after={whileOpen.ResumeAfter}");
        var sequences = afterCommit.Select(e => e.Sequence).ToList();
        Assert.Contains(held, sequences);
        Assert.Contains(later.GetProperty("version").GetInt64(), sequences);
    }

    [Fact]
    public async Task An_abandoned_change_number_does_not_stop_the_feed()
    {
        var start = await CursorAsync(api.CreateClient());
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            await using var abandoned = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<IChangeLog>().RecordAsync(RecordType.Goal, Guid.NewGuid(), ChangeOperation.Upsert, null, CancellationToken.None);
            await abandoned.RollbackAsync();
        }

        var later = await CreateProjectAsync(api.PublisherA, "feed-after-rollback");

        var entries = await ReadAllAsync($"after={start}");
        Assert.Contains(entries, e => e.Sequence == later.GetProperty("version").GetInt64());
    }

    internal static async Task<long> CursorAsync(HttpClient client)
    {
        var cursor = 0L;
        while (true)
        {
            var page = await client.GetWireAsync<ChangesPageWire>($"/v1/changes?after={cursor}&pageSize=500");
            cursor = page.ResumeAfter;
            if (!page.HasMore)
            {
                return cursor;
            }
        }
    }

    private async Task<List<ChangeEntryWire>> ReadAllAsync(string query)
    {
        var entries = new List<ChangeEntryWire>();
        string? next = $"/v1/changes?{query}&pageSize=500";
        while (next is not null)
        {
            var page = await api.CreateClient().GetWireAsync<ChangesPageWire>(next);
            entries.AddRange(page.Items);
            next = page.Next;
        }

        return entries;
    }

    private static object ProjectBody(string title, string partner = "LGD Dolina Feed") => new
    {
        title = new Dictionary<string, string> { ["pl"] = title },
        originalLanguage = "pl",
        partners = new[] { new { partner = new { name = new Dictionary<string, string> { ["pl"] = partner }, country = "PL" }, role = "lead" } },
    };

    internal static async Task<JsonElement> CreateProjectAsync(HttpClient client, string externalId)
    {
        var response = await client.PutAsJsonAsync($"/v1/projects/external/{externalId}-{Guid.NewGuid():N}", ProjectBody("Współpraca", $"LGD {externalId}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

/// <summary>Retention prunes the whole feed of its database, so it gets a database of its own.</summary>
public sealed class ChangeFeedRetentionTests(PublishersApiFactory api) : IClassFixture<PublishersApiFactory>
{
    [Fact]
    public async Task A_cursor_older_than_what_is_kept_is_a_410_problem()
    {
        await ChangeFeedTests.CreateProjectAsync(api.PublisherA, "feed-expiry");
        var cursor = await ChangeFeedTests.CursorAsync(api.CreateClient());
        await using (var scope = api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IChangeFeedStore>().PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        }

        var stale = await api.CreateClient().GetAsync("/v1/changes?after=0");
        var current = await api.CreateClient().GetAsync($"/v1/changes?after={cursor}");

        var problem = await stale.AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Contains("export", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }
}
