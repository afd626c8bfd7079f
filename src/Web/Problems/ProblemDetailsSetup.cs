using System.Diagnostics;

namespace RuralRegistry.Web.Problems;

internal static class ProblemDetailsSetup
{
    /// <summary>Every problem the host writes carries the request's path as <c>instance</c> and a <c>traceId</c> to quote in a support request.</summary>
    public static IServiceCollection AddRegistryProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Customize)
            .AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();

    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Instance ??= http.Request.Path.Value;
        problem.Status ??= http.Response.StatusCode;
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            problem.Type = ProblemTypes.ForStatus(problem.Status.Value);
        }
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
        if (problem.Status is StatusCodes.Status405MethodNotAllowed && string.IsNullOrEmpty(problem.Detail))
        {
            problem.Detail = $"{http.Request.Method} is not allowed on {http.Request.Path}; the Allow header lists what is.";
        }
        else if (problem.Status is StatusCodes.Status404NotFound && string.IsNullOrEmpty(problem.Detail)
            && http.GetEndpoint() is null)
        {
            problem.Detail = $"No resource lives at {http.Request.Path}. The API's operations are listed at /swagger.";
        }

        if (string.IsNullOrEmpty(problem.Detail))
        {
            problem.Detail = problem.Title ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        }
    }
}
