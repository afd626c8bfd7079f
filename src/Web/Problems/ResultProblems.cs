using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Abstractions;
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

    /// <summary>The status code a request failing this way is answered with.</summary>
    public static int StatusOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.Gone => StatusCodes.Status410Gone,
        FailureKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown failure kind."),
    };

    /// <summary>
    /// A failed import record's problem: the status a single write of the record would have answered (400, 403 or
    /// 409: a record is refused as invalid, as not the caller's to write, or as conflicting with another).
    /// </summary>
    public static FailureProblem ImportRecordProblem(FailureKind kind) => kind switch
    {
        FailureKind.Forbidden => new("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4", "Forbidden.", StatusOf(kind)),
        FailureKind.Conflict => new("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10", "The record conflicts with another.", StatusOf(kind)),
        _ => new("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1", "The record is invalid.", StatusOf(FailureKind.Invalid)),
    };

    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        var status = StatusOf(failure.Kind);
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

/// <summary>Failed import records described by <see cref="ResultProblems.ImportRecordProblem"/>.</summary>
internal sealed class ImportRecordProblems : IFailureProblems
{
    public FailureProblem Describe(FailureKind kind) => ResultProblems.ImportRecordProblem(kind);
}
