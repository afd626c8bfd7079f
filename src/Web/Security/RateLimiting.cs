using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace RuralRegistry.Web.Security;

/// <summary>Budgets per window, per caller: an API key's, or else the client address's.</summary>
internal sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    public int WindowSeconds { get; set; } = 60;

    public int ReadsPerWindow { get; set; } = 1200;

    public int WritesPerWindow { get; set; } = 300;

    public int ImportsPerWindow { get; set; } = 30;
}

/// <summary>
/// Rate limits with separate budgets for reads, writes and imports (writes under /v1/imports), per API key (or per client address when no
/// key is sent); the admin key is not limited. Over budget: 429 with Retry-After and RateLimit headers. A conditional GET that ends in
/// 304 costs nothing: it is counted only when it does not.
/// </summary>
internal static class RateLimiting
{
    public const string LimitHeader = "RateLimit-Limit";
    public const string RemainingHeader = "RateLimit-Remaining";
    public const string ResetHeader = "RateLimit-Reset";

    public static IServiceCollection AddRegistryRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(options);
        services.AddSingleton(PartitionedRateLimiter.Create<(string Budget, string Caller), string>(partition =>
            RateLimitPartition.GetFixedWindowLimiter($"{partition.Budget}:{partition.Caller}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = partition.Budget switch
                {
                    "import" => options.ImportsPerWindow,
                    "write" => options.WritesPerWindow,
                    _ => options.ReadsPerWindow,
                },
                Window = TimeSpan.FromSeconds(options.WindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            })));
        return services;
    }

    public static IApplicationBuilder UseRegistryRateLimits(this IApplicationBuilder app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var options = context.RequestServices.GetRequiredService<RateLimitOptions>();
            // The operator's admin key and the health probes are not budgeted.
            if (!options.Enabled || context.Request.Path.StartsWithSegments("/health") || context.User.IsInRole(ApiKeyAuthenticationHandler.AdminRole))
            {
                await next(context);
                return;
            }

            var limiter = context.RequestServices.GetRequiredService<PartitionedRateLimiter<(string, string)>>();
            var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            var budget = read ? "read" : context.Request.Path.StartsWithSegments("/v1/imports") ? "import" : "write";
            var partition = (budget, CallerOf(context));
            var limit = budget switch { "import" => options.ImportsPerWindow, "write" => options.WritesPerWindow, _ => options.ReadsPerWindow };

            if (read && context.Request.Headers.IfNoneMatch.Count > 0)
            {
                // Counted afterwards, and only when the answer is not a 304.
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode != StatusCodes.Status304NotModified)
                    {
                        using var late = limiter.AttemptAcquire(partition);
                    }

                    return Task.CompletedTask;
                });
                await next(context);
                return;
            }

            using var lease = limiter.AttemptAcquire(partition);
            var remaining = limiter.GetStatistics(partition)?.CurrentAvailablePermits ?? 0;
            context.Response.Headers[LimitHeader] = limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[RemainingHeader] = remaining.ToString(CultureInfo.InvariantCulture);
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : options.WindowSeconds;
            Telemetry.RegistryMeters.RateLimited(budget);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[ResetHeader] = retryAfter.ToString(CultureInfo.InvariantCulture);
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests.",
                    Detail = $"This caller's {budget} budget of {limit} requests per {options.WindowSeconds} s is spent; retry after {retryAfter} s. Conditional GETs answered 304 are free.",
                },
            });
        });

    /// <summary>The API key when one was accepted, else the client's address.</summary>
    private static string CallerOf(HttpContext context) =>
        context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is { } key
            ? $"key:{key}"
            : $"ip:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
