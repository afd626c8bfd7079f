using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class CountryCodeTests
{
    [Theory]
    [InlineData("PL")]
    [InlineData("LT")]
    [InlineData("BG")]
    [InlineData("LV")]
    [InlineData("GR")]
    [InlineData("GB")]
    [InlineData("FI")]
    [InlineData("KZ")]
    public void ISO_3166_1_alpha_2_codes_are_accepted_as_given(string candidate)
    {
        var accepted = CountryCode.TryCreate(candidate, out var code, out var error);

        Assert.True(accepted);
        Assert.Equal(candidate, code.Value);
        Assert.Equal(candidate, code.ToString());
        Assert.Null(error);
    }

    [Theory]
    [InlineData("EL", "GR")]
    [InlineData("UK", "GB")]
    public void EU_aliases_are_accepted_and_stored_as_the_ISO_code(string alias, string stored)
    {
        var accepted = CountryCode.TryCreate(alias, out var code, out var error);

        Assert.True(accepted);
        Assert.Equal(stored, code.Value);
        Assert.Null(error);
    }

    [Fact]
    public void An_alias_and_its_ISO_code_are_the_same_country()
    {
        var fromAlias = CountryCode.Create("EL");

        var fromIso = CountryCode.Create("GR");

        Assert.Equal(fromIso, fromAlias);
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("Pl")]
    [InlineData("el")]
    [InlineData("uk")]
    [InlineData("XX")]
    [InlineData("POL")]
    [InlineData("P")]
    [InlineData(" PL")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused_with_a_message(string? candidate)
    {
        var accepted = CountryCode.TryCreate(candidate, out _, out var error);

        Assert.False(accepted);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Create_throws_a_domain_exception_for_a_refused_code()
    {
        var exception = Assert.Throws<DomainException>(() => CountryCode.Create("pl"));

        Assert.Contains("'pl'", exception.Message, StringComparison.Ordinal);
    }
}
