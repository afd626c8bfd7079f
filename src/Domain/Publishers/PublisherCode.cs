using System.Text.RegularExpressions;

namespace RuralRegistry.Domain.Publishers;

/// <summary>
/// The stable, human-readable key of a publisher, such as <c>pl-ksow</c> or <c>lv-lad</c>:
/// lowercase ASCII letters and digits in dash-separated words, 2 to 64 characters.
/// </summary>
public readonly partial record struct PublisherCode
{
    public const int MinLength = 2;
    public const int MaxLength = 64;
    /// <summary>The code's syntax, unanchored; the contract's pattern is written from it.</summary>
    public const string Syntax = "[a-z0-9]+(?:-[a-z0-9]+)*";

    private PublisherCode(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(string? candidate, out PublisherCode code, out string? error)
    {
        code = default;
        if (string.IsNullOrEmpty(candidate))
        {
            error = "A publisher code is required.";
            return false;
        }

        if (candidate.Length is < MinLength or > MaxLength)
        {
            error = $"A publisher code has {MinLength} to {MaxLength} characters.";
            return false;
        }

        if (!CodeRegex().IsMatch(candidate))
        {
            error = "A publisher code is lowercase letters a-z and digits in words joined by single dashes, such as 'pl-ksow'.";
            return false;
        }

        code = new PublisherCode(candidate);
        error = null;
        return true;
    }

    public static PublisherCode Create(string candidate) =>
        TryCreate(candidate, out var code, out var error) ? code : throw new Common.DomainException(error!);

    public override string ToString() => Value;

    [GeneratedRegex("^" + Syntax + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodeRegex();
}
