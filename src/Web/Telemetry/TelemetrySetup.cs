using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RuralRegistry.Application.Changes;
using RuralRegistry.Application.Imports;
using RuralRegistry.Web.Security;

namespace RuralRegistry.Web.Telemetry;

/// <summary>
/// OpenTelemetry for the API: traces of ASP.NET Core, outgoing HTTP, Npgsql and the imports (a share of the requests
/// whole, and the server span of every problem answer: <see cref="TraceSampling"/>); metrics of the same, the
/// runtime and the registry's own meters (<see cref="MeterNames"/>). Exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (the other <c>OTEL_*</c> variables apply), and scraped in the Prometheus text format at <see cref="MetricsPath"/>,
/// which only the admin key may read. <c>Telemetry:Enabled=false</c> turns all of it off (no spans, no /metrics).
/// </summary>
internal static class TelemetrySetup
{
    public const string ServiceName = "rural-registry";

    public const string MetricsPath = "/metrics";

    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";

    /// <summary>The registry's meters, then Npgsql's (connection pool, commands) and the runtime's.</summary>
    public static readonly string[] MeterNames = [ImportTelemetry.Name, ChangeFeedTelemetry.Name, RegistryMeters.Name, "System.Runtime"];

    /// <summary>
    /// Npgsql's per-command traffic counters (bytes each way, commands executing), dropped unless
    /// <c>Telemetry:Meters:NpgsqlTraffic</c> is true: three more measurements on every statement, on the fastest reads a
    /// measurable share of the request, for figures the operation durations and the pool's counts already tell.
    /// </summary>
    public static readonly string[] NpgsqlTrafficInstruments =
        ["db.client.operation.npgsql.bytes_read", "db.client.operation.npgsql.bytes_written", "db.client.operation.npgsql.executing"];

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Telemetry:Enabled", true);

    public static IServiceCollection AddRegistryTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
        {
            return services;
        }

        services.AddHostedService<ChangeFeedSampler>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperational(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource(ImportTelemetry.Name)
                    .AddProcessor(new ProblemSpans());
                // The standard OTEL_TRACES_SAMPLER (with OTEL_TRACES_SAMPLER_ARG), when set, is the SDK's to apply.
                if (string.IsNullOrWhiteSpace(configuration[SamplerVariable]))
                {
                    tracing.SetSampler(TraceSampling.For(configuration));
                }
            })
            .WithMetrics(metrics =>
            {
                var meters = configuration.GetSection("Telemetry:Meters");
                if (meters.GetValue("AspNetCore", true))
                {
                    metrics.AddAspNetCoreInstrumentation();
                }

                if (meters.GetValue("HttpClient", true))
                {
                    metrics.AddHttpClientInstrumentation();
                }

                if (meters.GetValue("Npgsql", true))
                {
                    metrics.AddNpgsqlInstrumentation();
                    if (!meters.GetValue("NpgsqlTraffic", false))
                    {
                        foreach (var instrument in NpgsqlTrafficInstruments)
                        {
                            metrics.AddView(instrument, MetricStreamConfiguration.Drop);
                        }
                    }
                }

                metrics.AddMeter(MeterNames);
                if (meters.GetValue("Prometheus", true))
                {
                    metrics.AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary><c>/metrics</c> in the Prometheus text format, for the admin key only (401 without a key, 403 with a publisher's).</summary>
    public static IEndpointRouteBuilder MapRegistryTelemetry(this IEndpointRouteBuilder routes)
    {
        var configuration = routes.ServiceProvider.GetRequiredService<IConfiguration>();
        if (IsEnabled(configuration) && configuration.GetValue("Telemetry:Meters:Prometheus", true))
        {
            routes.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(SecuritySetup.AdminPolicy).ExcludeFromDescription();
        }

        return routes;
    }

    /// <summary>Scrapes and probes are not traced: they would drown the requests that matter.</summary>
    private static bool IsOperational(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
