namespace RuralRegistry.Domain.Common;

/// <summary>
/// Why a value was refused. <see cref="Path"/> is a JSON pointer relative to the value itself
/// (empty for the value as a whole, <c>/en</c> for one entry of a localized text), so callers can
/// prefix it with where the value sits in their request.
/// </summary>
public sealed record DomainError(string Path, string Message)
{
    public static DomainError Here(string message) => new(string.Empty, message);

    public DomainError Under(string prefix) => this with { Path = prefix + Path };
}
