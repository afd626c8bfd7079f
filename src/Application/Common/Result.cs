namespace RuralRegistry.Application.Common;

/// <summary>What kind of expected failure a use case ran into; the web layer turns each into its status code.</summary>
public enum FailureKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
    Gone,
    PreconditionFailed,
}

/// <summary>An expected failure: invalid input, a missing record, a conflict. Never thrown, always returned.</summary>
public sealed record Failure(FailureKind Kind, string Detail, IReadOnlyList<FieldError> Errors)
{
    public static Failure Invalid(IReadOnlyList<FieldError> errors) =>
        new(FailureKind.Invalid, errors.Count == 1 ? errors[0].Detail : $"The request has {errors.Count} invalid values; see errors.", errors);

    public static Failure NotFound(string detail) => new(FailureKind.NotFound, detail, []);

    public static Failure Conflict(string detail) => new(FailureKind.Conflict, detail, []);

    public static Failure Forbidden(string detail) => new(FailureKind.Forbidden, detail, []);

    public static Failure Gone(string detail) => new(FailureKind.Gone, detail, []);

    public static Failure PreconditionFailed(string detail) => new(FailureKind.PreconditionFailed, detail, []);
}

/// <summary>Any use case's outcome, seen without its value's type (a retry policy looks at the failure only).</summary>
public interface IHasFailure
{
    Failure? Failure { get; }
}

/// <summary>The outcome of a use case: a value, or the expected failure that stopped it.</summary>
public readonly record struct Result<T> : IHasFailure
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>For values whose type is an interface, which implicit conversions cannot take.</summary>
    public static Result<T> Of(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);

    public static implicit operator Result<T>(List<FieldError> errors) => new(default, Failure.Invalid(errors));
}

/// <summary>What a write did: made a record, changed it, or found it already as asked.</summary>
public enum WriteStatus
{
    Created,
    Updated,
    Unchanged,
}

public sealed record Written<T>(T Value, WriteStatus Status);

/// <summary>The caller's conditions on a write (RFC 9110 §13): <c>If-Match</c> with a version, or <c>If-None-Match: *</c>.</summary>
public sealed record Preconditions(long? IfMatchVersion, bool IfNoneMatchAny, bool IfMatchAny = false)
{
    public static Preconditions None { get; } = new(null, false);

    public Failure? Check(long? currentVersion)
    {
        if (IfMatchAny && currentVersion is null)
        {
            return Failure.PreconditionFailed("If-Match: * asked to replace an existing record, but there is none.");
        }

        if (IfNoneMatchAny && currentVersion is not null)
        {
            return Failure.PreconditionFailed("The record exists already, and If-None-Match: * asked to create it only.");
        }

        if (IfMatchVersion is not null && IfMatchVersion != currentVersion)
        {
            return Failure.PreconditionFailed(currentVersion is null
                ? "If-Match names a version, but the record does not exist."
                : $"The record is at version {currentVersion}, not {IfMatchVersion} as If-Match says; fetch it again and retry.");
        }

        return null;
    }
}
