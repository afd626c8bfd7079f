using System.Text.RegularExpressions;

namespace RuralRegistry.Domain.Common;

/// <summary>
/// A region: a NUTS code (<c>PL91</c>, <c>LV006</c>, <c>EL30</c>; NUTS keeps the EU's own EL and UK)
/// or an ISO 3166-2 subdivision code (<c>GB-SCT</c>, <c>PL-14</c>). Kept as given.
/// </summary>
public sealed partial record RegionCode
{
    /// <summary>The code's syntax, unanchored (its first two letters a country or alias); the contract's pattern is written from it.</summary>
    public const string Syntax = "[A-Z]{2}(?:[0-9A-Z]{1,3}|-[0-9A-Z]{1,3})";

    private RegionCode(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(string? candidate, out RegionCode code, out string? error)
    {
        code = null!;
        if (candidate is null || !RegionRegex().IsMatch(candidate) || !CountryCode.IsCountryOrAlias(candidate[..2]))
        {
            error = $"'{candidate}' is neither a NUTS code (such as 'PL91' or 'LV006') nor an ISO 3166-2 code (such as 'GB-SCT'), in uppercase.";
            return false;
        }

        code = new RegionCode(candidate!);
        error = null;
        return true;
    }

    public static RegionCode Create(string candidate) =>
        TryCreate(candidate, out var code, out var error) ? code : throw new DomainException(error!);

    public override string ToString() => Value;

    [GeneratedRegex("^" + Syntax + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionRegex();
}
