using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The API with its telemetry exported to memory as well (every finished span), the change feed sampled every second,
/// rate limits on with a write budget of one a minute (so anonymous writes are refused from the second on).
/// </summary>
public sealed class TelemetryApiFactory : RegistryApiFactory
{
    private readonly List<Activity> _spans = [];

    protected override bool RateLimited => true;

    /// <summary>The spans exported so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Waits (up to 10 s) for an exported span that matches: a server span ends just after its response is sent.</summary>
    public async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(50))
        {
            if (Spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }
        }

        throw new Xunit.Sdk.XunitException($"No such span was exported; spans: {string.Join(", ", Spans.Select(s => $"{s.Source.Name}/{s.DisplayName}/{s.TraceId}"))}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:ChangeFeedSampleSeconds", "1");
        builder.UseSetting("RateLimits:WritesPerWindow", "1");
        builder.UseSetting("RateLimits:WindowSeconds", "60");
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new LockedList(_spans))));
    }

    /// <summary>The exporter adds from the threads that end spans; the tests read meanwhile.</summary>
    private sealed class LockedList(List<Activity> spans) : ICollection<Activity>
    {
        public int Count
        {
            get
            {
                lock (spans)
                {
                    return spans.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (spans)
            {
                spans.Add(item);
            }
        }

        public void Clear()
        {
            lock (spans)
            {
                spans.Clear();
            }
        }

        public bool Contains(Activity item)
        {
            lock (spans)
            {
                return spans.Contains(item);
            }
        }

        public void CopyTo(Activity[] array, int arrayIndex)
        {
            lock (spans)
            {
                spans.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(Activity item)
        {
            lock (spans)
            {
                return spans.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator()
        {
            lock (spans)
            {
                return spans.ToList().GetEnumerator();
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
