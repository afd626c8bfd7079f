using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Primitives;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Web.Http;

/// <summary>
/// Runs a request again, within about a second and a half, when it failed because the database was unavailable for a
/// moment (a restart, a dropped pooled connection), before the client gets a 503. Only where repeating is safe: reads
/// (GET, HEAD), and writes conditional on If-Match (a repeat after a write that did commit answers 412, never
/// writes twice). Never a write without a condition, and never once the answer has begun.
/// </summary>
internal static class OutageRetry
{
    public static IApplicationBuilder UseOutageRetry(this IApplicationBuilder app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var request = context.Request;
            var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            if (!read && request.Headers.IfMatch.Count == 0)
            {
                await next(context);
                return;
            }

            if (!read)
            {
                request.EnableBuffering();
            }

            // The first attempt runs plainly (no retry pipeline, no closure); only a failure by an outage, before the
            // answer began, goes on to the retries, from the headers as they were.
            var headers = Snapshot(context.Response.Headers);
            var outages = context.RequestServices.GetRequiredService<IDatabaseOutages>();
            try
            {
                await next(context);
                return;
            }
            catch (Exception exception) when (!context.Response.HasStarted && outages.IsUnavailable(exception))
            {
            }

            ExceptionDispatchInfo? begun = null;
            await outages.RetryAsync(OutageBudget.Request, async _ =>
            {
                Reset(context, headers);
                try
                {
                    await next(context);
                }
                catch (Exception exception) when (context.Response.HasStarted)
                {
                    begun = ExceptionDispatchInfo.Capture(exception);
                }
            }, context.RequestAborted);
            begun?.Throw();
        });

    /// <summary>The state the failed attempt left: its tracked entities, headers, status, and the body read so far.</summary>
    private static KeyValuePair<string, StringValues>[] Snapshot(IHeaderDictionary headers)
    {
        if (headers.Count == 0)
        {
            return [];
        }

        var copy = new KeyValuePair<string, StringValues>[headers.Count];
        headers.CopyTo(copy, 0);
        return copy;
    }

    private static void Reset(HttpContext context, KeyValuePair<string, StringValues>[] headers)
    {
        context.RequestServices.GetRequiredService<IRegistryDbContext>().ChangeTracker.Clear();
        context.Response.Headers.Clear();
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        if (context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
        }
    }
}
