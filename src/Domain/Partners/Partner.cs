using System.Globalization;
using System.Text;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Domain.Partners;

public enum PartnerKind
{
    Lag,
    Ngo,
    Municipality,
    County,
    Region,
    Ministry,
    Union,
    University,
    Company,
    Other,
}

/// <summary>What a publisher says about an organisation; compared by value so an unchanged write is no change.</summary>
public sealed record PartnerDetails(
    LocalizedText Name,
    string? Acronym,
    PartnerKind Kind,
    CountryCode? Country,
    RegionCode? Region,
    string? Website,
    string? Email,
    ValueList<Identifier> Identifiers)
{
    /// <summary>Whether the projects that name the partner show the same of it either way (their summary: name, acronym, kind, country).</summary>
    public bool ShowsInProjectsAs(PartnerDetails other) =>
        Name.Equals(other.Name) && Acronym == other.Acronym && Kind == other.Kind && Country == other.Country;
}

/// <summary>
/// An organisation that takes part in projects. It is owned by the publisher that registered it:
/// other publishers' projects may name it, but only its owner (or an admin) may change it.
/// </summary>
public sealed class Partner
{
    public const int NameMaxLength = 500;
    public const int AcronymMaxLength = 50;

    /// <summary>Letters with a stroke or ligature that Unicode does not decompose into a base letter and a mark.</summary>
    private static readonly Dictionary<char, string> Undecomposable = new()
    {
        ['ł'] = "l", ['đ'] = "d", ['ø'] = "o", ['æ'] = "ae", ['œ'] = "oe", ['ß'] = "ss", ['ħ'] = "h", ['ı'] = "i", ['þ'] = "th", ['ŧ'] = "t",
    };

    private readonly List<PartnerIdentifier> _identifiers = [];

    private Partner(Guid id, Guid? ownerPublisherId, PartnerDetails details)
    {
        Id = id;
        OwnerPublisherId = ownerPublisherId;
        Details = details;
    }

    public Guid Id { get; private set; }

    /// <summary>The publisher that registered the partner; null for partners registered by an admin.</summary>
    public Guid? OwnerPublisherId { get; private set; }

    public PartnerDetails Details { get; private set; }

    /// <summary>Normalised names (case and diacritics folded) used to recognise the organisation by name and country.</summary>
    public string[] NameKeys { get; private set; } = [];

    public string CountryKey { get; private set; } = string.Empty;

    public IReadOnlyList<PartnerIdentifier> IdentifierRows => _identifiers;

    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    public static Partner Create(Guid? ownerPublisherId, PartnerDetails details, DateTimeOffset now)
    {
        var partner = new Partner(Guid.CreateVersion7(now), ownerPublisherId, details) { CreatedAt = now, UpdatedAt = now };
        partner.Index();
        return partner;
    }

    public bool Update(PartnerDetails details, DateTimeOffset now)
    {
        if (!IsDeleted && details == Details)
        {
            return false;
        }

        Details = details;
        DeletedAt = null;
        UpdatedAt = now;
        Index();
        return true;
    }

    public void Delete(DateTimeOffset now)
    {
        DeletedAt = now;
        UpdatedAt = now;
        _identifiers.Clear();
    }

    public void Stamp(long version) => Version = version;

    /// <summary>The key a name is matched by: lowercase, without diacritics, quotes or punctuation, spaces collapsed.</summary>
    public static string NameKey(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && key.Length > 0)
                {
                    key.Append(' ');
                }

                var lower = char.ToLowerInvariant(c);
                if (Undecomposable.TryGetValue(lower, out var folded))
                {
                    key.Append(folded);
                }
                else
                {
                    key.Append(lower);
                }

                space = false;
            }
            else
            {
                space = true;
            }
        }

        return key.ToString().Normalize(NormalizationForm.FormC);
    }

    public static string KeyOf(CountryCode? country) => country?.Value ?? string.Empty;

    private void Index()
    {
        NameKeys = [.. Details.Name.Values.Select(NameKey).Where(k => k.Length > 0).Distinct().Order(StringComparer.Ordinal)];
        CountryKey = KeyOf(Details.Country);
        var wanted = Details.Identifiers.ToHashSet();
        _identifiers.RemoveAll(r => !wanted.Contains(new Identifier(r.Scheme, r.Value)));
        foreach (var identifier in wanted.Where(w => !_identifiers.Exists(r => r.Scheme == w.Scheme && r.Value == w.Value)))
        {
            _identifiers.Add(new PartnerIdentifier(Id, identifier.Scheme, identifier.Value));
        }
    }
}

/// <summary>One identifier of a partner; an identifier names one organisation only.</summary>
public sealed class PartnerIdentifier
{
    internal PartnerIdentifier(Guid partnerId, string scheme, string value)
    {
        PartnerId = partnerId;
        Scheme = scheme;
        Value = value;
    }

    private PartnerIdentifier()
    {
        Scheme = string.Empty;
        Value = string.Empty;
    }

    public Guid PartnerId { get; private set; }

    public string Scheme { get; private set; }

    public string Value { get; private set; }
}
