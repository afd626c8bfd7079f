using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace RuralRegistry.Web.Http;

/// <summary>Bounds on every request, so no input can exhaust the server (OWASP API4:2023).</summary>
internal static class RequestLimits
{
    /// <summary>1 MiB: a project record with every field at its maximum stays well below it.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public const int MaxJsonDepth = 32;

    /// <summary>
    /// Refuses a body whose declared length is over the limit before reading it, with a problem that
    /// says so. Bodies sent without a length are cut off by Kestrel's own limit at the same size.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1/imports"))
            {
                // Imports have bounds of their own (Imports:MaxBodyBytes), which their endpoint enforces while it receives the body.
                var settings = context.RequestServices.GetRequiredService<Application.Imports.ImportSettings>();
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = settings.MaxBodyBytes + 1;
                }

                await next(context);
                return;
            }

            if (context.Request.ContentLength is { } length && length > MaxBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "The request body is too large.",
                        Detail = $"The body has {length} bytes; at most {MaxBodyBytes} are accepted.",
                    },
                });
                return;
            }

            await next(context);
        });
}
