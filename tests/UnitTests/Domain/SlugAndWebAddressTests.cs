using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class SlugAndWebAddressTests
{
    [Theory]
    [InlineData("smart-villages", true)]
    [InlineData("rural.youth", true)]
    [InlineData("leader2027", true)]
    [InlineData("a", true)]
    [InlineData("Smart-villages", false)]
    [InlineData("smart_villages", false)]
    [InlineData("smart--villages", false)]
    [InlineData("-smart", false)]
    [InlineData("smart-", false)]
    [InlineData("wieś", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Slugs_are_lowercase_kebab_case(string? candidate, bool valid)
    {
        var result = Slug.IsValid(candidate);

        Assert.Equal(valid, result);
    }

    [Fact]
    public void Slugs_longer_than_64_characters_are_refused()
    {
        Assert.True(Slug.IsValid(new string('a', Slug.MaxLength)));
        Assert.False(Slug.IsValid(new string('a', Slug.MaxLength + 1)));
    }

    [Theory]
    [InlineData("https://ziedzeme.lv", true)]
    [InlineData("http://example.pl/projekt?id=1", true)]
    [InlineData("https://миг-лясковец.bg/", true)]
    [InlineData("ftp://example.pl", false)]
    [InlineData("mailto:biuro@example.pl", false)]
    [InlineData("example.pl", false)]
    [InlineData("/projekt", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Urls_are_absolute_http_or_https(string? candidate, bool valid)
    {
        var result = WebAddress.IsUrl(candidate);

        Assert.Equal(valid, result);
    }

    [Theory]
    [InlineData("biuro@example.pl", true)]
    [InlineData("info@ziedzeme.lv", true)]
    [InlineData("biuro@example", false)]
    [InlineData("biuro example.pl", false)]
    [InlineData("biuro@@example.pl", false)]
    [InlineData("@example.pl", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Emails_have_one_at_sign_and_a_dotted_domain(string? candidate, bool valid)
    {
        var result = WebAddress.IsEmail(candidate);

        Assert.Equal(valid, result);
    }
}
