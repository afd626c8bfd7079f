using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Projects;

/// <summary>
/// Walking every page of a filtered, sorted list while other clients insert, update (moving records
/// across the walk's position in every sort) and delete records: no record comes twice, and every record
/// that existed unchanged throughout comes once. A filtered page is read in up to three ways (the first
/// Lists:WalkedRows rows in order, else up to Lists:BoundedMatches matches sorted, else an index walk); the
/// bounds are small here, so one walk takes all three.
/// </summary>
public sealed class StableWalkTests(SmallListBoundApiFactory api) : IClassFixture<SmallListBoundApiFactory>
{
    private const int Records = 90;
    private const string Theme = "walk-test";

    [Theory]
    [InlineData("sort=-updatedAt")]
    [InlineData("sort=title")]
    [InlineData("sort=startDate")]
    [InlineData("sort=-startDate")]
    [InlineData("q=wspolny%20tekst")]
    public async Task A_walk_during_concurrent_writes_never_repeats_nor_skips_an_unchanged_record(string sort)
    {
        var writer = api.PublisherA;
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = new Dictionary<int, Guid>();
        for (var i = 0; i < Records; i++)
        {
            var created = await writer.PutProjectAsync($"{run}-{i}", Body(i, Random.Shared.Next()));
            ids[i] = (await created.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }

        // Every third record is never touched; the others are updated, deleted and brought back.
        var untouched = ids.Where(x => x.Key % 3 == 0).Select(x => x.Value).ToHashSet();
        using var stop = new CancellationTokenSource();
        var writes = new ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var created = 0;
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(Records);
                if (i % 3 == 0)
                {
                    var response = await writer.PutProjectAsync($"{run}-new-{w}-{created++}", Body(Records + created, random.Next()));
                    writes.Add($"create {(int)response.StatusCode}");
                }
                else if (random.Next(5) == 0)
                {
                    var response = await writer.DeleteAsync($"/v1/projects/{ids[i]}");
                    writes.Add($"delete {(int)response.StatusCode}");
                }
                else
                {
                    var response = await writer.PutProjectAsync($"{run}-{i}", Body(i, random.Next()));
                    writes.Add($"update {(int)response.StatusCode}");
                }
            }
        })).ToList();

        var seen = new List<Guid>();
        var pages = 0;
        try
        {
            string? next = $"/v1/projects?theme={Theme}&publisher=pub-a&pageSize=4&{sort}";
            while (next is not null)
            {
                var page = await api.CreateClient().GetFromJsonAsync<JsonElement>(next);
                seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
                next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
                pages++;
                await Task.Delay(15);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(writes.Count > 20, $"only {writes.Count} writes happened during the walk of {pages} pages");
        Assert.DoesNotContain(writes, w => w.EndsWith(" 500", StringComparison.Ordinal));
        var repeated = seen.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"{repeated.Count} records came twice in {pages} pages ({writes.Count} writes meanwhile)");
        var missing = untouched.Except(seen).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} unchanged records were skipped in {pages} pages ({writes.Count} writes meanwhile)");
    }

    /// <summary>A record whose title, start date and text vary with <paramref name="seed"/>, so an update moves it in every sort.</summary>
    private static JsonObject Body(int index, int seed)
    {
        var random = new Random(seed);
        var start = new DateOnly(2010, 1, 1).AddDays(random.Next(5000));
        var repeats = 1 + random.Next(4);
        return new JsonObject
        {
            ["title"] = new JsonObject { ["pl"] = $"{(char)('A' + random.Next(26))}{random.Next(1000):D3} spacer {index}" },
            ["summary"] = new JsonObject { ["pl"] = string.Join(' ', Enumerable.Repeat("wspólny tekst", repeats)) },
            ["originalLanguage"] = "pl",
            ["startDate"] = random.Next(6) == 0 ? null : start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["themes"] = new JsonArray(Theme),
        };
    }
}
