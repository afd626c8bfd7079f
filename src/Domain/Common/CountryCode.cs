namespace RuralRegistry.Domain.Common;

/// <summary>
/// An ISO 3166-1 alpha-2 country code. The EU's own abbreviations <c>EL</c> (Greece) and <c>UK</c>
/// (United Kingdom) are accepted and stored as <c>GR</c> and <c>GB</c>.
/// </summary>
public sealed record CountryCode
{
    private static readonly Dictionary<string, string> EuAliases = new(StringComparer.Ordinal) { ["EL"] = "GR", ["UK"] = "GB" };

    private CountryCode(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(string? candidate, out CountryCode code, out string? error)
    {
        code = null!;
        if (candidate is null || candidate.Length != 2)
        {
            error = $"'{candidate}' is not an ISO 3166-1 alpha-2 country code such as 'PL', 'LT', 'BG' or 'LV'.";
            return false;
        }

        var value = EuAliases.GetValueOrDefault(candidate, candidate);
        if (!IsoCodes.Countries.Contains(value))
        {
            error = $"'{candidate}' is not an ISO 3166-1 alpha-2 country code (uppercase, such as 'PL'; 'EL' and 'UK' are accepted for Greece and the United Kingdom).";
            return false;
        }

        code = new CountryCode(value);
        error = null;
        return true;
    }

    public static CountryCode Create(string candidate) =>
        TryCreate(candidate, out var code, out var error) ? code : throw new DomainException(error!);

    /// <summary>True for the country codes and the EU aliases that may open a NUTS code.</summary>
    internal static bool IsCountryOrAlias(string twoLetters) =>
        IsoCodes.Countries.Contains(twoLetters) || EuAliases.ContainsKey(twoLetters);

    public override string ToString() => Value;
}
