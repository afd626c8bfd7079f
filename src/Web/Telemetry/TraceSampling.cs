using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace RuralRegistry.Web.Telemetry;

/// <summary>
/// Which traces are kept. A share of the requests (<c>Telemetry:TraceSampleRatio</c>, by trace id, 0.1 by default;
/// 1 keeps all) is traced whole: the server span, its Npgsql and HTTP child spans. Every other request still gets a
/// server span that is recorded but not sampled (<see cref="SamplingResult"/> RecordOnly), with no child spans, and
/// <see cref="ProblemSpans"/> exports it when its answer is a problem (status 400 or more), so the <c>traceId</c> of every
/// problem details answer names an exported trace. A caller's <c>traceparent</c> that says sampled is traced whole.
/// </summary>
internal static class TraceSampling
{
    public const string RatioKey = "Telemetry:TraceSampleRatio";

    public const double DefaultRatio = 0.1;

    public static Sampler For(IConfiguration configuration)
    {
        var ratio = configuration.GetValue(RatioKey, DefaultRatio);
        if (ratio is < 0 or > 1 || double.IsNaN(ratio))
        {
            throw new InvalidOperationException($"{RatioKey} is a share of the requests to trace, from 0 to 1, not {ratio}.");
        }

        var recordOnly = new RecordOnlySampler();
        Sampler root = ratio >= 1 ? new AlwaysOnSampler() : new KeptOrRecorded(new TraceIdRatioBasedSampler(ratio));
        return new ParentBasedSampler(root, remoteParentSampled: new AlwaysOnSampler(), remoteParentNotSampled: recordOnly);
    }

    /// <summary>The inner sampler's traces are sampled; the others recorded only, so a problem can still export its span.</summary>
    private sealed class KeptOrRecorded(Sampler inner) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            inner.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample
                ? new SamplingResult(SamplingDecision.RecordAndSample)
                : new SamplingResult(SamplingDecision.RecordOnly);
    }

    private sealed class RecordOnlySampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) => new(SamplingDecision.RecordOnly);
    }
}

/// <summary>
/// Marks a recorded-only server span sampled when its answer was a problem (HTTP status 400 or more), so the exporters
/// after it send it. Registered before the exporters: processors see a span's end in the order they were added.
/// </summary>
internal sealed class ProblemSpans : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Recorded || data.Kind != ActivityKind.Server)
        {
            return;
        }

        if (data.GetTagItem("http.response.status_code") is int status && status >= 400)
        {
            data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
