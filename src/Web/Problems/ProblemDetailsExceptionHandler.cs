using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace RuralRegistry.Web.Problems;

/// <summary>
/// The one place unexpected exceptions and the framework's request-reading failures become problem
/// details. A client's mistake (unreadable JSON, wrong content type, oversized body) keeps its 4xx
/// status and a detail that says what to fix; anything else is a 500 whose body shows no internals
/// outside Development.
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails,
    IHostEnvironment environment,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
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
