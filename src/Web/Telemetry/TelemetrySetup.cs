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
/// OpenTelemetry for the API: traces of ASP.NET Core, outgoing HTTP, Npgsql and the imports; metrics of the same, the
/// runtime and the registry's own meters (<see cref="MeterNames"/>). Exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (the other <c>OTEL_*</c> variables apply), and scraped in the Prometheus text format at <see cref="MetricsPath"/>,
/// which only the admin key may read. <c>Telemetry:Enabled=false</c> turns all of it off (no spans, no /metrics).
/// </summary>
internal static class TelemetrySetup
{
    public const string ServiceName = "rural-registry";

    public const string MetricsPath = "/metrics";

    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The registry's meters, then Npgsql's (connection pool, commands) and the runtime's.</summary>
    public static readonly string[] MeterNames = [ImportTelemetry.Name, ChangeFeedTelemetry.Name, RegistryMeters.Name, "System.Runtime"];

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
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperational(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(ImportTelemetry.Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(MeterNames)
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary><c>/metrics</c> in the Prometheus text format, for the admin key only (401 without a key, 403 with a publisher's).</summary>
    public static IEndpointRouteBuilder MapRegistryTelemetry(this IEndpointRouteBuilder routes)
    {
        if (IsEnabled(routes.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            routes.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(SecuritySetup.AdminPolicy).ExcludeFromDescription();
        }

        return routes;
    }

    /// <summary>Scrapes and probes are not traced: they would drown the requests that matter.</summary>
    private static bool IsOperational(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
