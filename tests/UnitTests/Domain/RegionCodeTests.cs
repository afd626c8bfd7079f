using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class RegionCodeTests
{
    [Theory]
    [InlineData("PL91")]
    [InlineData("LV006")]
    [InlineData("EL30")]
    [InlineData("UKM")]
    [InlineData("PL-14")]
    [InlineData("GB-SCT")]
    [InlineData("BG-04")]
    public void NUTS_and_ISO_3166_2_codes_are_accepted_and_kept_as_given(string candidate)
    {
        var accepted = RegionCode.TryCreate(candidate, out var code, out var error);

        Assert.True(accepted);
        Assert.Equal(candidate, code.Value);
        Assert.Equal(candidate, code.ToString());
        Assert.Null(error);
    }

    [Theory]
    [InlineData("pl91")]
    [InlineData("Pl91")]
    [InlineData("gb-sct")]
    [InlineData("XX12")]
    [InlineData("XX-12")]
    [InlineData("PL-")]
    [InlineData("PL1234")]
    [InlineData("GB-SCOT")]
    [InlineData("PL")]
    [InlineData("PL 91")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_shapes_are_refused_with_a_message(string? candidate)
    {
        var accepted = RegionCode.TryCreate(candidate, out _, out var error);

        Assert.False(accepted);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("PL91\n")]
    [InlineData("GB-SCT\n")]
    public void A_trailing_line_break_is_refused(string candidate)
    {
        var accepted = RegionCode.TryCreate(candidate, out _, out _);

        Assert.False(accepted);
    }

    [Fact]
    public void Create_throws_a_domain_exception_for_a_refused_code()
    {
        Assert.Throws<DomainException>(() => RegionCode.Create("XX12"));
    }
}
