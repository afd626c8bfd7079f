namespace RuralRegistry.Application.Common;

/// <summary>What kind of expected failure a use case ran into; the web layer turns each into its status code.</summary>
public enum FailureKind
{
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>An expected failure: invalid input, a missing record, a conflict. Never thrown, always returned.</summary>
public sealed record Failure(FailureKind Kind, string Detail, IReadOnlyList<FieldError> Errors)
{
    public static Failure Invalid(IReadOnlyList<FieldError> errors) =>
        new(FailureKind.Invalid, "The request has invalid values; see errors.", errors);

    public static Failure NotFound(string detail) => new(FailureKind.NotFound, detail, []);

    public static Failure Conflict(string detail) => new(FailureKind.Conflict, detail, []);
}

/// <summary>The outcome of a use case: a value, or the expected failure that stopped it.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);

    public static implicit operator Result<T>(List<FieldError> errors) => new(default, Failure.Invalid(errors));
}
