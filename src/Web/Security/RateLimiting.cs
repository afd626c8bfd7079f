using System.Globalization;
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

    /// <summary>
    /// A StackExchange.Redis configuration (<c>127.0.0.1:6379</c>) of the Redis that keeps the budgets every API process
    /// shares; unset, each process keeps its own.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Prefixes the budgets' Redis keys, so registries sharing a Redis keep their budgets apart.</summary>
    public string RedisKeyPrefix { get; set; } = "registry";

    public int PermitsOf(string budget) => budget switch
    {
        "import" => ImportsPerWindow,
        "write" => WritesPerWindow,
        _ => ReadsPerWindow,
    };
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
        services.AddSingleton<RateBudgets>();
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

            var budgets = context.RequestServices.GetRequiredService<RateBudgets>();
            var read = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            var budget = read ? "read" : context.Request.Path.StartsWithSegments("/v1/imports") ? "import" : "write";
            var partition = (budget, CallerOf(context));
            var limit = options.PermitsOf(budget);

            if (read && context.Request.Headers.IfNoneMatch.Count > 0)
            {
                // Counted afterwards, and only when the answer is not a 304.
                context.Response.OnStarting(async () =>
                {
                    if (context.Response.StatusCode != StatusCodes.Status304NotModified)
                    {
                        await budgets.TakeAsync(partition, CancellationToken.None);
                    }
                });
                await next(context);
                return;
            }

            var taken = await budgets.TakeAsync(partition, context.RequestAborted);
            context.Response.Headers[LimitHeader] = limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[RemainingHeader] = taken.Remaining.ToString(CultureInfo.InvariantCulture);
            if (taken.Acquired)
            {
                await next(context);
                return;
            }

            var retryAfter = taken.RetryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : options.WindowSeconds;
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
