using System.Diagnostics.Metrics;

namespace RuralRegistry.Application.Changes;

/// <summary>
/// The change feed's meter (<see cref="Name"/>): the newest change number a writer took and the newest one the feed hands
/// out (the <c>settled</c> gauge: every change up to it has committed or been abandoned), both as last seen by a feed
/// read or by the sampler (<c>Telemetry:ChangeFeedSampleSeconds</c>); their difference is how far every reader is held back
/// by open transactions. Each feed read also records how far behind the settled end its cursor was (the <c>read.lag</c> histogram).
/// </summary>
public static class ChangeFeedTelemetry
{
    public const string Name = "RuralRegistry.ChangeFeed";

    public const string NewestName = "registry_api.changes.newest";

    public const string SettledName = "registry_api.changes.settled";

    public const string ReadLagName = "registry_api.changes.read.lag";

    private static long _newest = -1;
    private static long _settled = -1;

    public static Meter Meter { get; } = new(Name);

    public static ObservableGauge<long> Newest { get; } = Meter.CreateObservableGauge(
        NewestName, () => Known(ref _newest), "{change}", "The newest change number taken by a writer (committed or not), as last seen.");

    public static ObservableGauge<long> Settled { get; } = Meter.CreateObservableGauge(
        SettledName, () => Known(ref _settled), "{change}",
        "The newest change number the feed hands out (every change up to it committed or was abandoned), as last seen; newest minus settled is how far open transactions hold readers back.");

    public static Histogram<long> ReadLag { get; } = Meter.CreateHistogram<long>(
        ReadLagName, "{change}", "Per feed read: how many changes lay between its cursor (after) and the settled end, i.e. how far that reader lagged.");

    /// <summary>A feed read at <paramref name="after"/> saw the settled bound <paramref name="bound"/> (the first number not yet handed out).</summary>
    public static void Read(long after, long bound)
    {
        Volatile.Write(ref _settled, bound - 1);
        if (ReadLag.Enabled)
        {
            ReadLag.Record(Math.Max(0, bound - 1 - after));
        }
    }

    /// <summary>The sampler's look at the feed: the newest number taken and the settled bound.</summary>
    public static void Sampled(long newest, long bound)
    {
        Volatile.Write(ref _newest, newest);
        Volatile.Write(ref _settled, bound - 1);
    }

    private static IEnumerable<Measurement<long>> Known(ref long value)
    {
        var seen = Volatile.Read(ref value);
        return seen < 0 ? [] : [new Measurement<long>(seen)];
    }
}
