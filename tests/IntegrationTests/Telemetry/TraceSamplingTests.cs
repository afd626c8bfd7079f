using System.Diagnostics;
using System.Net;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Telemetry;

/// <summary>
/// Sampling as shipped: a request that is not sampled (ratio 0 here, and a caller's traceparent saying not sampled)
/// still exports its server span under the problem's traceId when its answer is a problem (without child spans), an
/// answer that is no problem exports nothing, and a caller's sampled traceparent is traced whole, database spans included.
/// </summary>
public sealed class TraceSamplingTests(UnsampledTelemetryApiFactory api) : IClassFixture<UnsampledTelemetryApiFactory>
{
    [Fact]
    public async Task An_unsampled_problem_still_exports_its_server_span_under_the_problem_s_trace_id()
    {
        // A caller's traceparent that says not sampled: every tracer provider in this test process (each factory has
        // one, and they all hear the same activity sources) then records the request without sampling it.
        var trace = ActivityTraceId.CreateRandom();
        using var request = Traced(trace, sampled: false, $"/v1/projects/{Guid.CreateVersion7()}");
        var problem = await (await api.CreateAdminClient().SendAsync(request)).AssertStatusAsync(HttpStatusCode.NotFound);
        var traceId = problem.GetProperty("traceId").GetString()!;
        Assert.Contains(trace.ToHexString(), traceId, StringComparison.Ordinal);

        var server = await api.SpanAsync(s => s.Kind == ActivityKind.Server && s.Id == traceId);
        Assert.Equal(404, Convert.ToInt32(server.GetTagItem("http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(api.Spans, s => s.TraceId == server.TraceId && s.Kind != ActivityKind.Server);
    }

    [Fact]
    public async Task An_unsampled_answer_that_is_no_problem_exports_nothing_and_a_caller_s_sampled_trace_is_exported_whole()
    {
        var unsampled = ActivityTraceId.CreateRandom();
        using (var request = Traced(unsampled, sampled: false))
        {
            await (await api.CreateClient().SendAsync(request)).AssertStatusAsync(HttpStatusCode.OK);
        }

        var sampled = ActivityTraceId.CreateRandom();
        using (var request = Traced(sampled, sampled: true))
        {
            await (await api.CreateClient().SendAsync(request)).AssertStatusAsync(HttpStatusCode.OK);
        }

        // The sampled request came second: once its spans are in, the first one's would be too.
        var server = await api.SpanAsync(s => s.Kind == ActivityKind.Server && s.TraceId == sampled);
        var database = await api.SpanAsync(s => s.Source.Name == "Npgsql" && s.TraceId == sampled);
        Assert.Equal(server.SpanId, database.ParentSpanId);
        Assert.DoesNotContain(api.Spans, s => s.TraceId == unsampled);
    }

    private static HttpRequestMessage Traced(ActivityTraceId trace, bool sampled, string path = "/v1/projects?pageSize=1")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{(sampled ? "01" : "00")}");
        return request;
    }
}
