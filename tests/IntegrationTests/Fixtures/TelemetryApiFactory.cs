using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The API with its telemetry exported to memory as well (every finished span), the change feed sampled every second,
/// rate limits on with a write budget of one a minute (so anonymous writes are refused from the second on). Every
/// request is traced whole (<c>Telemetry:TraceSampleRatio=1</c>) unless a subclass says otherwise.
/// </summary>
public class TelemetryApiFactory : RegistryApiFactory
{
    /// <summary>The share of requests traced whole.</summary>
    protected virtual string TraceSampleRatio => "1";

    private readonly List<Activity> _spans = [];
    private readonly List<(string Category, string Message, Dictionary<string, object?> Scopes)> _logs = [];

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

    /// <summary>Every log message written so far, with the values of the scopes it was written in.</summary>
    public IReadOnlyList<(string Category, string Message, Dictionary<string, object?> Scopes)> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
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
        builder.UseSetting("Telemetry:TraceSampleRatio", TraceSampleRatio);
        builder.UseSetting("RateLimits:WritesPerWindow", "1");
        builder.UseSetting("RateLimits:WindowSeconds", "60");
        builder.UseSetting("Logging:LogLevel:RuralRegistry.Web.Problems", "Error");
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new LockedList(_spans)));
            services.AddSingleton<ILoggerProvider>(new ScopeCapturingProvider(_logs));
        });
    }

    /// <summary>Keeps each message with its scopes' values, as the console's formatters write them (IncludeScopes).</summary>
    private sealed class ScopeCapturingProvider(List<(string, string, Dictionary<string, object?>)> logs) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = new Dictionary<string, object?>(StringComparer.Ordinal);
                provider._scopes.ForEachScope(
                    (scope, into) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach (var (key, value) in pairs)
                            {
                                into[key] = value;
                            }
                        }
                    },
                    values);
                lock (provider.Logs)
                {
                    provider.Logs.Add((category, formatter(state, exception), values));
                }
            }
        }

        private List<(string, string, Dictionary<string, object?>)> Logs => logs;
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

/// <summary>The telemetry API with no request sampled (<c>Telemetry:TraceSampleRatio=0</c>): only problems' server spans, and callers' sampled traces, are exported.</summary>
public sealed class UnsampledTelemetryApiFactory : TelemetryApiFactory
{
    protected override string TraceSampleRatio => "0";
}
