using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Web.Problems;

/// <summary>
/// The one place unexpected exceptions and the framework's request-reading failures become problem
/// details. A client's mistake (unreadable JSON, wrong content type, oversized body) keeps its 4xx
/// status and a detail that says what to fix; the database unavailable for now (refused or dropped
/// connections, a restart, too many connections, a pool or connect timeout) is a 503 with Retry-After;
/// anything else is a 500 whose body shows no internals outside Development.
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    IDatabaseOutages outages,
    IHostEnvironment environment,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before retrying while the database is unavailable.</summary>
    public const string UnavailableRetryAfter = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (outages.IsUnavailable(exception))
        {
            logger.LogWarning("The database is unavailable for {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = UnavailableRetryAfter;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "The database is unavailable.",
                    Detail = $"The registry's database cannot serve requests just now (it may be restarting). Nothing of this request was half-done; send it again after {UnavailableRetryAfter} seconds (a write with the same Idempotency-Key or If-Match is safe to repeat).",
                },
                Exception = exception,
            });
        }

        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => MalformedJson(json),
            BadHttpRequestException badRequest => new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = ReasonPhrase(badRequest.StatusCode),
                Detail = badRequest.Message,
            },
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception while serving {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The server failed to complete the request. Quote the traceId when you report it.",
            };
            if (environment.IsDevelopment())
            {
                problem.Extensions["exception"] = exception.ToString();
            }
        }
        else
        {
            logger.LogInformation("Refused {Method} {Path}: {Detail}", httpContext.Request.Method, httpContext.Request.Path, problem.Detail);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails MalformedJson(JsonException json)
    {
        var pointer = JsonPath.ToPointer(json.Path);
        var detail = JsonPath.Describe(json);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.MalformedJson,
            Title = "The request body is not acceptable JSON.",
            Detail = detail,
        };
        problem.Extensions["errors"] = new[] { new { pointer, detail } };
        return problem;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad Request";
}
