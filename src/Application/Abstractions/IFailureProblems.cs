using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Abstractions;

/// <summary>
/// How an expected failure is described as a problem (RFC 9457) where it is reported inside a body rather than
/// answered, as a failed record of an import is: the status code a single write of it would have answered, with that
/// status's type and title. Web implements it (<c>Problems/ResultProblems</c>), so Application names no status code.
/// </summary>
public interface IFailureProblems
{
    FailureProblem Describe(FailureKind kind);
}

/// <summary>A failure's problem type (a URI), title and status code.</summary>
public sealed record FailureProblem(string Type, string Title, int Status);
