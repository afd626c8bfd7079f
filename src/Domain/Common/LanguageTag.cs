using System.Text.RegularExpressions;

namespace RuralRegistry.Domain.Common;

/// <summary>A well-formed BCP 47 language tag (RFC 5646), in its canonical case: <c>pl</c>, <c>sr-Latn-RS</c>, <c>en-GB</c>.</summary>
public sealed partial record LanguageTag
{
    public const int MaxLength = 35;

    /// <summary>BCP 47's syntax (RFC 5646 language, script, region, variants, extensions, private use), unanchored; the contract's pattern is written from it.</summary>
    public const string Syntax = @"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?";

    private LanguageTag(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(string? candidate, out LanguageTag tag, out string? error)
    {
        tag = null!;
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxLength || !TagRegex().IsMatch(candidate))
        {
            error = $"'{Truncate(candidate)}' is not a BCP 47 language tag such as 'pl', 'lt', 'bg' or 'en-GB'.";
            return false;
        }

        tag = new LanguageTag(Canonical(candidate));
        error = null;
        return true;
    }

    public static LanguageTag Create(string candidate) =>
        TryCreate(candidate, out var tag, out var error) ? tag : throw new DomainException(error!);

    public override string ToString() => Value;

    /// <summary>Language lowercase, script title case, region uppercase, everything else lowercase (RFC 5646 §2.1.1).</summary>
    private static string Canonical(string tag)
    {
        // In place, by subtag; the tag as given when it is canonical already (the usual case: no allocation).
        Span<char> result = stackalloc char[tag.Length];
        var afterSingleton = false;
        var first = true;
        foreach (var range in tag.AsSpan().Split('-'))
        {
            var part = tag.AsSpan(range);
            var target = result[range];
            afterSingleton |= !first && part.Length == 1;
            if (!first && !afterSingleton && part.Length == 4 && char.IsAsciiLetter(part[0]))
            {
                part.ToLowerInvariant(target);
                target[0] = char.ToUpperInvariant(part[0]);
            }
            else if (!first && !afterSingleton && part.Length == 2)
            {
                part.ToUpperInvariant(target);
            }
            else
            {
                part.ToLowerInvariant(target);
            }

            if (range.End.Value < tag.Length)
            {
                result[range.End.Value] = '-';
            }

            first = false;
        }

        return result.SequenceEqual(tag) ? tag : new string(result);
    }

    private static string? Truncate(string? value) => value is { Length: > 40 } ? value[..40] + "…" : value;

    [GeneratedRegex("^" + Syntax + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();
}
