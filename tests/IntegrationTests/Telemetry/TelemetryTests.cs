using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Telemetry;

/// <summary>
/// OpenTelemetry as an operator sees it: the problem's traceId is the exported span's, the database's share is in the
/// same trace, /metrics answers the admin in the Prometheus text format and refuses everyone else, and the registry's
/// meters move when an import, a feed read and a refused request happen.
/// </summary>
public sealed class TelemetryTests(TelemetryApiFactory api) : IClassFixture<TelemetryApiFactory>
{
    [Fact]
    public async Task A_problem_answers_with_the_trace_id_of_the_exported_server_span_and_its_database_spans_share_the_trace()
    {
        var response = await api.CreateAdminClient().GetAsync($"/v1/projects/{Guid.CreateVersion7()}");
        var problem = await response.AssertStatusAsync(HttpStatusCode.NotFound);
        var traceId = problem.GetProperty("traceId").GetString()!;

        var server = await api.SpanAsync(s => s.Kind == ActivityKind.Server && s.Id == traceId);

        Assert.Equal(server.Id, traceId);
        Assert.StartsWith($"00-{server.TraceId.ToHexString()}-{server.SpanId.ToHexString()}-", traceId, StringComparison.Ordinal);
        Assert.Contains("/v1/projects/{id", server.DisplayName, StringComparison.Ordinal);
        Assert.Equal(404, Convert.ToInt32(server.GetTagItem("http.response.status_code"), CultureInfo.InvariantCulture));
        var database = await api.SpanAsync(s => s.Source.Name == "Npgsql" && s.TraceId == server.TraceId);
        Assert.Equal(server.SpanId, database.ParentSpanId);
    }

    [Fact]
    public async Task A_caller_s_traceparent_is_continued_and_its_trace_id_is_the_problem_s()
    {
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/projects?pageSize=0");
        request.Headers.Add("traceparent", $"00-{callerTrace.ToHexString()}-{callerSpan.ToHexString()}-01");

        var problem = await (await api.CreateAdminClient().SendAsync(request)).AssertStatusAsync(HttpStatusCode.BadRequest);

        var server = await api.SpanAsync(s => s.Kind == ActivityKind.Server && s.TraceId == callerTrace);
        Assert.Equal(callerSpan, server.ParentSpanId);
        Assert.Equal(server.Id, problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task The_log_lines_of_a_request_carry_its_trace_id()
    {
        var problem = await (await api.CreateClient().GetAsync(RegistryApiFactory.ThrowPath)).AssertStatusAsync(HttpStatusCode.InternalServerError);
        var traceId = problem.GetProperty("traceId").GetString()!.Split('-')[1];

        var lines = api.Logs.Where(l => l.Category.StartsWith("RuralRegistry.Web.Problems", StringComparison.Ordinal) && l.Message.Contains(RegistryApiFactory.ThrowPath, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(traceId, line.Scopes.GetValueOrDefault("TraceId")?.ToString()));
    }

    [Fact]
    public async Task Metrics_answer_the_admin_in_the_prometheus_text_format_and_refuse_anyone_else()
    {
        var anonymous = await api.CreateClient().GetAsync("/metrics");
        var publisher = await api.CreatePublisherAsync("met");
        var byPublisher = await publisher.Client.GetAsync("/metrics");
        await api.CreateClient().GetAsync("/v1/projects");

        var scrape = await api.CreateAdminClient().GetAsync("/metrics");

        await anonymous.AssertStatusAsync(HttpStatusCode.Unauthorized);
        await byPublisher.AssertStatusAsync(HttpStatusCode.Forbidden);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.True(scrape.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v1/projects/\"", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE db_client_connection_count gauge", text, StringComparison.Ordinal);
        Assert.True(Sum(text, "db_client_connection_count") > 0, "the connection pool's usage is not reported");
        Assert.Contains("# TYPE db_client_operation_duration_seconds histogram", text, StringComparison.Ordinal);
        // Npgsql's per-command traffic counters are dropped unless Telemetry:Meters:NpgsqlTraffic asks for them.
        Assert.DoesNotContain("db_client_operation_npgsql_bytes_read", text, StringComparison.Ordinal);
        Assert.DoesNotContain("db_client_operation_npgsql_executing", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_s_meters_move_as_an_import_a_feed_read_and_a_refused_request_happen()
    {
        var publisher = await api.CreatePublisherAsync("mtr");
        var before = await ScrapeAsync();
        var records = new JsonArray(
            new JsonObject { ["externalId"] = "m-1", ["title"] = new JsonObject { ["en"] = "Meter one" }, ["originalLanguage"] = "en", ["countries"] = new JsonArray("PL") },
            new JsonObject { ["externalId"] = "m-2", ["title"] = new JsonObject { ["en"] = "Meter two" }, ["originalLanguage"] = "en", ["countries"] = new JsonArray("LT") },
            new JsonObject { ["externalId"] = "m-3", ["title"] = new JsonObject { ["en"] = "No country" }, ["originalLanguage"] = "en", ["countries"] = new JsonArray("XX") });

        await (await publisher.Client.PostAsync("/v1/imports/projects", RegistryClients.JsonBody(records))).AssertStatusAsync(HttpStatusCode.MultiStatus);
        var feed = await (await api.CreateClient().GetAsync("/v1/changes?after=0")).AssertStatusAsync(HttpStatusCode.OK);
        var refused = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            refused.Add((await api.CreateClient().PostAsync("/v1/projects", RegistryClients.JsonBody("{}"))).StatusCode);
        }

        var resumeAfter = feed.GetProperty("resumeAfter").GetInt64();
        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "registry_api_imports_records_total", "outcome=\"created\"") >= 2, after);
        Assert.True(Delta(before, after, "registry_api_imports_records_total", "outcome=\"failed\"") >= 1, after);
        Assert.True(Delta(before, after, "registry_api_imports_batches_total") >= 1, after);
        Assert.True(Delta(before, after, "registry_api_imports_duration_seconds_count", "state=\"completed\"") >= 1, after);
        Assert.True(Delta(before, after, "registry_api_changes_read_lag_count") >= 1, after);
        Assert.Contains(HttpStatusCode.TooManyRequests, refused);
        Assert.True(Delta(before, after, "registry_api_rate_limit_rejections_total", "budget=\"write\"") >= 1, after);

        // The sampler looks at the feed every second: this database's newest change is at least what the feed handed out.
        var sampled = await WaitForAsync(text => Sum(text, "registry_api_changes_newest") >= resumeAfter && Sum(text, "registry_api_changes_settled") >= 0);
        Assert.Contains("# TYPE registry_api_changes_settled gauge", sampled, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await api.CreateAdminClient().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    private async Task<string> WaitForAsync(Func<string, bool> condition)
    {
        var text = string.Empty;
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(200))
        {
            if (condition(text = await ScrapeAsync()))
            {
                return text;
            }
        }

        throw new Xunit.Sdk.XunitException($"The metrics never got there:\n{text}");
    }

    private static double Delta(string before, string after, string name, string? label = null) => Sum(after, name, label) - Sum(before, name, label);

    /// <summary>The sum of a metric's samples (those with the label, when given) in a Prometheus text scrape.</summary>
    private static double Sum(string scrape, string name, string? label = null) => scrape
        .Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
        .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.Contains('}') ? line.LastIndexOf('}') + 1 : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
