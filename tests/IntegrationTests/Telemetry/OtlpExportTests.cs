using System.Net;
using System.Text.Json;
using RuralRegistry.IntegrationTests.Cluster;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Telemetry;

/// <summary>
/// The telemetry a real process exports when an operator points it at a collector as the README says
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, OTLP over HTTP), read back from an OTLP receiver over real HTTP, and the
/// container log format (<c>Logging__Console__FormatterName=json</c>) read from the process's own console.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OtlpExportTests(ClusterDatabase database) : IClassFixture<ClusterDatabase>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_process_pointed_at_a_collector_exports_the_problem_s_trace_its_metrics_and_its_logs_and_writes_json_log_lines_with_the_trace_id()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var api = await ApiProcess.StartReadyAsync(database.ConnectionString, new Dictionary<string, string>
        {
            ["Database:MigrateOnStartup"] = "false",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            // As shipped but with no request sampled: what reaches the collector is the problem's server span.
            ["Telemetry:TraceSampleRatio"] = "0",
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        }, TimeSpan.FromSeconds(120));

        var response = await api.Client().GetAsync($"/v1/projects/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var w3c = problem.GetProperty("traceId").GetString()!.Split('-');
        var (traceId, spanId) = (w3c[1], w3c[2]);

        // Traces: the server span of the problem, under the problem's trace and span ids, from the service named.
        var resourceSpans = await collector.WaitForAsync(
            "traces", export => export.Messages(1), resource => resource.Path(2, 2).Any(span => span.Hex(1) == traceId), Within);
        Assert.Contains("rural-registry", ServiceNames(resourceSpans));
        var server = resourceSpans.Path(2, 2).Single(span => span.Hex(1) == traceId && span.Hex(2) == spanId);
        Assert.Equal(2UL, server.Number(6)); // SPAN_KIND_SERVER
        Assert.Equal("GET /v1/projects/{id:guid}", server.String(5)); // the route template
        Assert.Contains(server.Messages(9), attribute => attribute.String(1) == "http.response.status_code" && attribute.Messages(2).Single().Number(3) == 404UL);

        // Metrics: the request's duration, the database pool's and the registry's own meters, by name.
        var metricNames = new HashSet<string>();
        await collector.WaitForAsync("metrics", export => export.Path(1, 2, 2), metric =>
        {
            metricNames.Add(metric.String(1)!);
            return metricNames.IsSupersetOf(["http.server.request.duration", "db.client.connection.count", "registry_api.changes.newest"]);
        }, Within);

        // Logs: the request's log record carries its trace and span ids.
        var record = await collector.WaitForAsync("logs", export => export.Path(1, 2, 2), log => log.Hex(9) == traceId, Within);
        Assert.Equal(spanId, record.Hex(10));
        Assert.All(collector.Received, export => Assert.Equal("application/x-protobuf", export.ContentType));

        // The console: one JSON object a line, each with its timestamp, level and category; the request's carry its trace id.
        var lines = api.Output.Where(line => line.Length > 0).ToList();
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(entries, entry =>
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.GetProperty("Timestamp").GetString());
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("LogLevel").GetString()));
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("Category").GetString()));
        });
        var requestLines = entries.Where(entry => entry.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Hosting.Diagnostics"
            && entry.GetProperty("Message").GetString()!.Contains("/v1/projects/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, requestLines.Count); // "Request starting" and "Request finished"
        Assert.All(requestLines, entry => Assert.Contains(
            entry.GetProperty("Scopes").EnumerateArray(),
            scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId));
    }

    /// <summary>The <c>service.name</c> attributes of a ResourceSpans' resource.</summary>
    private static IEnumerable<string?> ServiceNames(OtlpCollector.Protobuf resourceSpans) =>
        resourceSpans.Path(1, 1).Where(attribute => attribute.String(1) == "service.name").Select(attribute => attribute.Messages(2).Single().String(1));
}
