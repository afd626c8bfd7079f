using System.Text.RegularExpressions;

namespace RuralRegistry.Domain.Common;

/// <summary>A lowercase kebab-case tag such as <c>smart-villages</c>: themes, kinds of activities, identifier schemes.</summary>
public static partial class Slug
{
    public const int MaxLength = 64;

    /// <summary>The tag's syntax, unanchored; the contract's pattern is written from it.</summary>
    public const string Syntax = "[a-z0-9]+(?:[-.][a-z0-9]+)*";

    public static bool IsValid(string? candidate) =>
        candidate is { Length: > 0 and <= MaxLength } && SlugRegex().IsMatch(candidate);

    [GeneratedRegex("^" + Syntax + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlugRegex();
}

/// <summary>Absolute http(s) URLs and e-mail addresses, bounded.</summary>
public static partial class WebAddress
{
    public const int MaxUrlLength = 2000;
    public const int MaxEmailLength = 254;

    public static bool IsUrl(string? candidate) =>
        candidate is { Length: > 0 and <= MaxUrlLength }
        && Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    public static bool IsEmail(string? candidate) =>
        candidate is { Length: > 0 and <= MaxEmailLength } && EmailRegex().IsMatch(candidate);

    [GeneratedRegex(@"^[^@\s""<>()\[\],;:]+@[^@\s""<>()\[\],;:]+\.[^@\s""<>()\[\],;:]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();
}
