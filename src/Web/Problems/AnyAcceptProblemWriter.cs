using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace RuralRegistry.Web.Problems;

/// <summary>
/// Writes a problem as application/problem+json when the default writer declines because the request's
/// Accept header names only other media types (e.g. <c>Accept: application/xml</c>): the client still learns
/// what went wrong, with a traceId, instead of an empty 500 from a problem nobody could write.
/// </summary>
internal sealed class AnyAcceptProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        problem.Status ??= response.StatusCode;
        problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var typeInfo = json.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(response.WriteAsJsonAsync(problem, typeInfo, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
