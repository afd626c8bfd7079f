using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Telemetry;

/// <summary>
/// How many statements a read sends, counted from the database spans Npgsql exports under the request's trace: a
/// project by id one, a list page one (its snapshot, keys and bodies together), a search page two (the words and
/// their near words, then the page), a later page of a walk one, a feed page with its records two (the bound, then
/// the page); no read opens a transaction.
/// </summary>
public sealed class ReadStatementsTests(TelemetryApiFactory api) : IClassFixture<TelemetryApiFactory>
{
    [Fact]
    public async Task A_project_by_id_and_a_list_page_are_one_statement_and_a_search_page_and_a_feed_page_two()
    {
        var publisher = await api.CreatePublisherAsync("statements");
        var word = $"countedword{Guid.NewGuid():N}"[..22];
        // One import (this factory's write budget is one request a minute), then every id by its external id.
        var records = ImportScenario.Records(word, 3);
        await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(new JsonArray([.. records]))))
            .AssertStatusAsync(HttpStatusCode.OK);
        var everyone = await api.CreateClient().ReadAllAsync($"/v1/projects?publisher={publisher.Code}&pageSize=500");
        var ids = everyone.Select(p => p.GetProperty("id").GetString()!).ToList();
        Assert.Equal(3, ids.Count);

        var (byId, _) = await CountAsync($"/v1/projects/{ids[0]}");
        Assert.Equal(1, byId);

        var (listed, first) = await CountAsync($"/v1/projects?publisher={publisher.Code}&pageSize=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(2, listed); // the publisher's code to its id, then the page

        var (country, _) = await CountAsync("/v1/projects?country=PL&pageSize=2");
        Assert.Equal(1, country);

        var (searched, found) = await CountAsync($"/v1/projects?q={word}&pageSize=2");
        Assert.Equal(2, found.GetProperty("items").GetArrayLength());
        Assert.Equal(2, searched);

        var next = found.GetProperty("next").GetString()!;
        var (later, rest) = await CountAsync(next[next.IndexOf("/v1/", StringComparison.Ordinal)..]);
        Assert.Single(rest.GetProperty("items").EnumerateArray());
        Assert.Equal(2, later);
        var walked = found.GetProperty("items").EnumerateArray().Concat(rest.GetProperty("items").EnumerateArray())
            .Select(p => p.GetProperty("id").GetString()!).Order();
        Assert.Equal(ids.Order(), walked);

        // The feed: its bound, then the page with the projects' stored representations.
        var (fed, feed) = await CountAsync("/v1/changes?type=project&include=record&pageSize=500");
        var entries = feed.GetProperty("items").EnumerateArray().Where(e => ids.Contains(e.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(JsonValueKind.Object, e.GetProperty("record").ValueKind));
        Assert.Equal(2, fed);
    }

    /// <summary>The request's database spans (none may be a transaction's BEGIN or COMMIT) and its answer.</summary>
    private async Task<(int Statements, JsonElement Answer)> CountAsync(string path)
    {
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var answer = await (await api.CreateClient().SendAsync(request)).AssertStatusAsync(HttpStatusCode.OK);
        await api.SpanAsync(s => s.Kind == ActivityKind.Server && s.TraceId == trace);
        var statements = api.Spans.Where(s => s.Source.Name == "Npgsql" && s.TraceId == trace).ToList();
        Assert.DoesNotContain(statements, s => s.DisplayName.Contains("BEGIN", StringComparison.OrdinalIgnoreCase)
            || (s.GetTagItem("db.statement") ?? s.GetTagItem("db.query.text")) is string text && text.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase));
        return (statements.Count, answer);
    }
}
