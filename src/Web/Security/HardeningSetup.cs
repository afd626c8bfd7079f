using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RuralRegistry.Web.Security;

/// <summary>
/// What every response carries and what every connection may take: security headers, CORS (reads from
/// any origin, writes from no browser unless configured), HTTPS redirection and HSTS when behind TLS,
/// and Kestrel limits so slow or oversized clients cannot hold the server.
/// </summary>
internal static class HardeningSetup
{
    /// <summary>Swagger UI and ReDoc run scripts and styles of their own; everything else is data and may load nothing.</summary>
    private const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The front door at / runs its own script and style only, reads the API, and its search form opens the API.</summary>
    private const string FrontDoorPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private const string DataPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly string[] ExposedHeaders = ["ETag", "Location", "Link", "Registry-Change-Cursor", "Registry-Write-Status", "Retry-After"];

    public static IServiceCollection AddRegistryHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var writeOrigins = configuration.GetSection("Cors:WriteOrigins").Get<string[]>() ?? [];
        services.AddCors();
        services.AddSingleton<ICorsPolicyProvider>(new RegistryCorsPolicies(writeOrigins));

        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>Bounds on connections and requests; the body limit is <see cref="Http.RequestLimits"/>.</summary>
    public static void Limit(KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = Http.RequestLimits.MaxBodyBytes;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 64;
        limits.MaxRequestLineSize = 8 * 1024;
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
    }

    public static WebApplication UseRegistryHardening(this WebApplication app)
    {
        if (app.Configuration.GetValue("Https:Redirect", false))
        {
            app.UseHttpsRedirection();
        }

        if (app.Configuration.GetValue("Https:Hsts", false))
        {
            app.UseHsts();
        }

        app.Use((HttpContext context, RequestDelegate next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var path = context.Request.Path;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = path.StartsWithSegments("/swagger") || path.StartsWithSegments("/docs") ? DocsPolicy
                    : FrontDoor.FrontDoorPage.IsFrontDoor(path) ? FrontDoorPolicy : DataPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseCors();
        return app;
    }

    /// <summary>
    /// Any origin may read (portals embed the data); only the origins in <c>Cors:WriteOrigins</c> may
    /// write from a browser, and none may by default: a preflight for a write gets no permission.
    /// </summary>
    private sealed class RegistryCorsPolicies(string[] writeOrigins) : ICorsPolicyProvider
    {
        private readonly CorsPolicy _read = new CorsPolicyBuilder().AllowAnyOrigin().WithMethods("GET", "HEAD")
            .WithHeaders("If-None-Match", "Accept", "Accept-Encoding").WithExposedHeaders(ExposedHeaders).Build();

        private readonly CorsPolicy? _write = writeOrigins.Length == 0 ? null
            : new CorsPolicyBuilder().WithOrigins(writeOrigins).AllowAnyMethod()
                .WithHeaders("Authorization", "X-Api-Key", "Content-Type", "If-Match", "If-None-Match", "Accept")
                .WithExposedHeaders(ExposedHeaders).Build();

        public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
        {
            var origin = context.Request.Headers.Origin.ToString();
            return Task.FromResult<CorsPolicy?>(_write is not null && writeOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase) ? _write : _read);
        }
    }
}
