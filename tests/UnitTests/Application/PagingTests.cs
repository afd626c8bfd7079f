using System.Text;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;

namespace RuralRegistry.UnitTests.Application;

public sealed class PagingTests
{
    private static readonly string Scope = PageToken.Scope("projects", [new("sort", "-updatedAt"), new("country", "PL")]);

    [Theory]
    [InlineData(null, PageSize.Default)]
    [InlineData(1, 1)]
    [InlineData(500, 500)]
    [InlineData(501, PageSize.Maximum)]
    [InlineData(int.MaxValue, PageSize.Maximum)]
    public void Page_size_defaults_and_clamps(int? requested, int expected)
    {
        var errors = new List<FieldError>();

        Assert.Equal(expected, PageSize.Resolve(requested, errors));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Page_size_below_one_is_refused(int requested)
    {
        var errors = new List<FieldError>();

        PageSize.Resolve(requested, errors);

        Assert.Equal("pageSize", Assert.Single(errors).Parameter);
    }

    [Fact]
    public void A_token_round_trips_within_its_scope()
    {
        var encoded = new PageToken(["2026-11-22T10:00:00Z", "0193"]).Encode(Scope);
        var errors = new List<FieldError>();

        var decoded = PageToken.Decode(encoded, Scope, keyLength: 2, errors);

        Assert.Empty(errors);
        Assert.Equal(["2026-11-22T10:00:00Z", "0193"], decoded!.Key);
    }

    [Fact]
    public void A_token_is_url_safe()
    {
        var encoded = new PageToken(["ąčęėįšųūž Лясковец ?&=/+"]).Encode(Scope);

        Assert.DoesNotContain(encoded, c => c is '+' or '/' or '=' or '&' or '?');
    }

    [Fact]
    public void Scope_does_not_depend_on_filter_order_but_on_values()
    {
        var reordered = PageToken.Scope("projects", [new("country", "PL"), new("sort", "-updatedAt")]);
        var other = PageToken.Scope("projects", [new("country", "LT"), new("sort", "-updatedAt")]);

        Assert.Equal(Scope, reordered);
        Assert.NotEqual(Scope, other);
    }

    [Fact]
    public void A_token_replayed_with_other_filters_is_refused()
    {
        var encoded = new PageToken(["x"]).Encode(Scope);
        var otherScope = PageToken.Scope("projects", [new("sort", "-updatedAt"), new("country", "LT")]);
        var errors = new List<FieldError>();

        Assert.Null(PageToken.Decode(encoded, otherScope, keyLength: 1, errors));
        Assert.Contains("other filters", Assert.Single(errors).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("bm90LWpzb24")]
    [InlineData("eyJWIjoyLCJTIjoieCIsIksiOlsiYSJdfQ")]
    [InlineData("W10")]
    [InlineData("bnVsbA")]
    public void Garbage_tokens_are_refused(string encoded)
    {
        var errors = new List<FieldError>();

        Assert.Null(PageToken.Decode(encoded, Scope, keyLength: 1, errors));
        Assert.Equal("pageToken", Assert.Single(errors).Parameter);
    }

    [Fact]
    public void A_token_with_the_wrong_key_shape_is_refused()
    {
        var encoded = new PageToken(["a", "b"]).Encode(Scope);
        var errors = new List<FieldError>();

        Assert.Null(PageToken.Decode(encoded, Scope, keyLength: 1, errors));
        Assert.Single(errors);
    }

    [Fact]
    public void Oversized_tokens_are_refused_without_decoding()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('a', 5000)));
        var errors = new List<FieldError>();

        Assert.Null(PageToken.Decode(encoded, Scope, keyLength: 1, errors));
        Assert.Single(errors);
    }
}
