using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.UnitTests.Domain;

public sealed class PartnerTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid PublisherId = Guid.CreateVersion7();

    [Theory]
    [InlineData("Zied zeme", "zied zeme")]
    [InlineData("ZIED ZĒME", "zied zeme")]
    [InlineData("Współpraca", "wspolpraca")]
    [InlineData("PPP biedrība \"Zied zeme\"", "ppp biedriba zied zeme")]
    [InlineData("PPP biedrība „Zied zeme”", "ppp biedriba zied zeme")]
    [InlineData("kaimo bendruomenė", "kaimo bendruomene")]
    [InlineData("  Zied,   zeme!  ", "zied zeme")]
    [InlineData("LAG-2023", "lag 2023")]
    public void Name_keys_fold_case_diacritics_quotes_and_punctuation(string name, string key)
    {
        var result = Partner.NameKey(name);

        Assert.Equal(key, result);
    }

    [Fact]
    public void Names_differing_only_in_case_and_diacritics_have_the_same_key()
    {
        var plain = Partner.NameKey("Zied zeme");

        var shouted = Partner.NameKey("ZIED ZĒME");

        Assert.Equal(plain, shouted);
    }

    [Fact]
    public void A_name_with_quotes_has_the_key_of_its_plain_form()
    {
        var quoted = Partner.NameKey("PPP biedrība \"Zied zeme\"");

        var plain = Partner.NameKey("ppp biedriba zied zeme");

        Assert.Equal(plain, quoted);
    }

    [Theory]
    [InlineData("МИГ Лясковец-Стражица", "миг лясковец стражица")]
    [InlineData("СДРУЖЕНИЕ МИГ", "сдружение миг")]
    public void Cyrillic_names_stay_Cyrillic_in_lowercase(string name, string key)
    {
        var result = Partner.NameKey(name);

        Assert.Equal(key, result);
        Assert.All(result.Where(c => c != ' '), c => Assert.InRange(c, '\u0400', '\u04FF'));
    }

    [Fact]
    public void Create_gives_a_version_7_id_and_equal_creation_and_update_times()
    {
        var details = Details();

        var partner = Partner.Create(PublisherId, details, Created);

        Assert.Equal(7, partner.Id.Version);
        Assert.Equal(PublisherId, partner.OwnerPublisherId);
        Assert.Equal(details, partner.Details);
        Assert.Equal(Created, partner.CreatedAt);
        Assert.Equal(Created, partner.UpdatedAt);
        Assert.False(partner.IsDeleted);
    }

    [Fact]
    public void Create_indexes_the_name_key_of_every_language_and_the_country()
    {
        var details = Details(name: Names(("lv", "PPP biedrība \"Zied zeme\""), ("en", "Zied zeme partnership"), ("bg", "Сдружение Зиед земе")));

        var partner = Partner.Create(PublisherId, details, Created);

        Assert.Equal(3, partner.NameKeys.Length);
        Assert.Contains("ppp biedriba zied zeme", partner.NameKeys);
        Assert.Contains("zied zeme partnership", partner.NameKeys);
        Assert.Contains("сдружение зиед земе", partner.NameKeys);
        Assert.Equal("LV", partner.CountryKey);
    }

    [Fact]
    public void Names_sharing_a_key_are_indexed_once()
    {
        var details = Details(name: Names(("lv", "Zied zeme"), ("en", "ZIED ZĒME")));

        var partner = Partner.Create(PublisherId, details, Created);

        Assert.Equal(["zied zeme"], partner.NameKeys);
    }

    [Theory]
    [InlineData("EL", "GR")]
    [InlineData("PL", "PL")]
    [InlineData(null, "")]
    public void The_country_key_is_the_stored_country_code(string? country, string key)
    {
        var details = Details() with { Country = country is null ? null : CountryCode.Create(country) };

        var partner = Partner.Create(null, details, Created);

        Assert.Equal(key, partner.CountryKey);
        Assert.Null(partner.OwnerPublisherId);
    }

    [Fact]
    public void Identifiers_become_identifier_rows_of_the_partner()
    {
        var details = Details(identifiers: [new Identifier("lv-reg", "40008123456"), new Identifier("vat", "LV40008123456")]);

        var partner = Partner.Create(PublisherId, details, Created);

        Assert.Equal(2, partner.IdentifierRows.Count);
        Assert.All(partner.IdentifierRows, row => Assert.Equal(partner.Id, row.PartnerId));
        Assert.Equal(
            [("lv-reg", "40008123456"), ("vat", "LV40008123456")],
            partner.IdentifierRows.Select(r => (r.Scheme, r.Value)).Order());
    }

    [Fact]
    public void Update_with_the_same_details_changes_nothing()
    {
        var partner = Partner.Create(PublisherId, Details(), Created);
        var detailsBefore = partner.Details;

        var changed = partner.Update(Details(), Created.AddHours(1));

        Assert.False(changed);
        Assert.Same(detailsBefore, partner.Details);
        Assert.Equal(Created, partner.UpdatedAt);
    }

    [Fact]
    public void Update_with_different_details_reindexes_names_and_identifiers()
    {
        var partner = Partner.Create(PublisherId, Details(identifiers: [new Identifier("lv-reg", "40008123456"), new Identifier("vat", "LV40008123456")]), Created);
        var newDetails = Details(name: Names(("lv", "Biedrība Zied zeme")), identifiers: [new Identifier("vat", "LV40008123456"), new Identifier("eu-pic", "123456789")]);

        var changed = partner.Update(newDetails, Created.AddHours(1));

        Assert.True(changed);
        Assert.Equal(newDetails, partner.Details);
        Assert.Equal(Created.AddHours(1), partner.UpdatedAt);
        Assert.Equal(["biedriba zied zeme"], partner.NameKeys);
        Assert.Equal(
            [("eu-pic", "123456789"), ("vat", "LV40008123456")],
            partner.IdentifierRows.Select(r => (r.Scheme, r.Value)).Order());
    }

    [Fact]
    public void Update_after_delete_brings_the_partner_and_its_identifiers_back()
    {
        var partner = Partner.Create(PublisherId, Details(), Created);
        partner.Delete(Created.AddDays(1));

        var rowsAfterDelete = partner.IdentifierRows.Count;
        var changed = partner.Update(Details(), Created.AddDays(2));

        Assert.Equal(0, rowsAfterDelete);
        Assert.True(changed);
        Assert.False(partner.IsDeleted);
        Assert.Single(partner.IdentifierRows);
    }

    private static LocalizedText Names(params (string Language, string Value)[] entries) =>
        LocalizedText.FromTrusted(entries.ToDictionary(e => e.Language, e => e.Value));

    /// <summary>Builds every member afresh on each call, so equality can only come from values.</summary>
    private static PartnerDetails Details(LocalizedText? name = null, Identifier[]? identifiers = null) => new(
        Name: name ?? Names(("lv", "PPP biedrība \"Zied zeme\""), ("en", "Zied zeme partnership")),
        Acronym: "ZZ",
        Kind: PartnerKind.Lag,
        Country: CountryCode.Create("LV"),
        Region: RegionCode.Create("LV006"),
        Website: "https://ziedzeme.lv",
        Email: "info@ziedzeme.lv",
        Identifiers: (identifiers ?? [new Identifier("lv-reg", "40008123456")]).ToValueList());
}
