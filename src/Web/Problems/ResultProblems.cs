using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Web.Problems;

/// <summary>Turns the use cases' expected failures into problem details responses.</summary>
internal static class ResultProblems
{
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
