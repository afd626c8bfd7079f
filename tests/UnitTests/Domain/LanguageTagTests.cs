using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class LanguageTagTests
{
    [Theory]
    [InlineData("pl")]
    [InlineData("lt")]
    [InlineData("bg")]
    [InlineData("lv")]
    [InlineData("en-GB")]
    [InlineData("sr-Latn-RS")]
    [InlineData("zh-Hant")]
    [InlineData("es-419")]
    [InlineData("de-CH-1996")]
    public void Well_formed_tags_are_accepted(string candidate)
    {
        var accepted = LanguageTag.TryCreate(candidate, out var tag, out var error);

        Assert.True(accepted);
        Assert.Equal(candidate, tag.Value);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("EN-gb", "en-GB")]
    [InlineData("sr-latn-rs", "sr-Latn-RS")]
    [InlineData("SR-LATN-RS", "sr-Latn-RS")]
    [InlineData("PL", "pl")]
    [InlineData("zh-HANT", "zh-Hant")]
    [InlineData("ES-419", "es-419")]
    [InlineData("DE-ch-1996", "de-CH-1996")]
    [InlineData("en-X-PRIVATE", "en-x-private")]
    public void Tags_are_stored_in_canonical_case(string candidate, string canonical)
    {
        var accepted = LanguageTag.TryCreate(candidate, out var tag, out _);

        Assert.True(accepted);
        Assert.Equal(canonical, tag.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("english")]
    [InlineData("e")]
    [InlineData("en_GB")]
    [InlineData("en GB")]
    [InlineData("123")]
    [InlineData("en-")]
    [InlineData("-en")]
    [InlineData("en--GB")]
    public void Malformed_tags_are_refused_with_a_message(string? candidate)
    {
        var accepted = LanguageTag.TryCreate(candidate, out _, out var error);

        Assert.False(accepted);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("pl\n")]
    [InlineData("en-GB\n")]
    public void A_trailing_line_break_is_refused(string candidate)
    {
        var accepted = LanguageTag.TryCreate(candidate, out _, out _);

        Assert.False(accepted);
    }

    [Fact]
    public void Tags_longer_than_35_characters_are_refused()
    {
        const string longest = "de-abcdefgh-bcdefghi-cdefghij-x-abc";
        const string tooLong = "de-abcdefgh-bcdefghi-cdefghij-x-abcd";

        var longestAccepted = LanguageTag.TryCreate(longest, out _, out _);
        var tooLongAccepted = LanguageTag.TryCreate(tooLong, out _, out var error);

        Assert.Equal(LanguageTag.MaxLength, longest.Length);
        Assert.True(longestAccepted);
        Assert.Equal(LanguageTag.MaxLength + 1, tooLong.Length);
        Assert.False(tooLongAccepted);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Tags_differing_only_in_case_are_equal()
    {
        var first = LanguageTag.Create("en-gb");

        var second = LanguageTag.Create("EN-GB");

        Assert.Equal(first, second);
    }

    [Fact]
    public void Create_throws_a_domain_exception_for_a_malformed_tag()
    {
        Assert.Throws<DomainException>(() => LanguageTag.Create("en_GB"));
    }
}
