using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Web.Problems;

/// <summary>
/// Where the semantic outcomes of Application and Domain become HTTP status codes: the use cases' expected
/// failures (as problem details responses) and how a completed import ended.
/// </summary>
internal static class ResultProblems
{
    /// <summary>An import's answer, and its report's <c>resultStatus</c>.</summary>
    public static int StatusOf(ImportResult result) => result switch
    {
        ImportResult.Succeeded => StatusCodes.Status200OK,
        ImportResult.PartlyWritten => StatusCodes.Status207MultiStatus,
        ImportResult.RolledBack => StatusCodes.Status422UnprocessableEntity,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "Unknown import result."),
    };

    public static ImportResult? ImportResultOf(int status) =>
        Enum.GetValues<ImportResult>().Select(r => (ImportResult?)r).FirstOrDefault(r => StatusOf(r!.Value) == status);

    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var status = failure.Kind switch
        {
            FailureKind.Invalid => StatusCodes.Status400BadRequest,
            FailureKind.NotFound => StatusCodes.Status404NotFound,
            FailureKind.Conflict => StatusCodes.Status409Conflict,
            FailureKind.Forbidden => StatusCodes.Status403Forbidden,
            FailureKind.Gone => StatusCodes.Status410Gone,
            FailureKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
            _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Kind, "Unknown failure kind."),
        };
        var problem = new ProblemDetails
        {
            Status = status,
            Title = failure.Kind switch
            {
                FailureKind.Invalid => "The request is invalid.",
                FailureKind.NotFound => "Not found.",
                FailureKind.Forbidden => "Forbidden.",
                FailureKind.Gone => "Gone.",
                FailureKind.PreconditionFailed => "Precondition failed.",
                _ => "The request conflicts with the current state.",
            },
            Detail = failure.Detail,
        };
        if (failure.Kind == FailureKind.Invalid)
        {
            problem.Type = ProblemTypes.Validation;
            problem.Extensions["errors"] = failure.Errors
                .Select(e => e.Pointer is not null
                    ? (object)new { pointer = e.Pointer, detail = e.Detail }
                    : new { parameter = e.Parameter, detail = e.Detail })
                .ToArray();
        }

        return TypedResults.Problem(problem);
    }
}
