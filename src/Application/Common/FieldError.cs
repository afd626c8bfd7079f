namespace RuralRegistry.Application.Common;

/// <summary>
/// One reason a request was refused: where the bad value sits (a JSON pointer into the body, or the
/// name of a query parameter or header) and what is wrong with it.
/// </summary>
public sealed record FieldError
{
    private FieldError(string? pointer, string? parameter, string detail)
    {
        Pointer = pointer;
        Parameter = parameter;
        Detail = detail;
    }

    /// <summary>RFC 6901 JSON pointer to the offending member of the request body, e.g. <c>/budget/total/currency</c>.</summary>
    public string? Pointer { get; }

    /// <summary>Name of the offending query parameter or header.</summary>
    public string? Parameter { get; }

    public string Detail { get; }

    public static FieldError Body(string pointer, string detail) => new(pointer, null, detail);

    public static FieldError Query(string parameter, string detail) => new(null, parameter, detail);
}
