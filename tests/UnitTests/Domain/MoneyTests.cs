using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("PLN")]
    [InlineData("EUR")]
    [InlineData("BGN")]
    public void ISO_4217_currencies_are_accepted(string currency)
    {
        var errors = new List<DomainError>();

        var money = Money.Create("100", currency, errors);

        Assert.NotNull(money);
        Assert.Equal(currency, money.Currency);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("pln")]
    [InlineData("Eur")]
    [InlineData("ZZZ")]
    [InlineData("PL")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_or_lowercase_currencies_are_refused_at_the_currency_path(string? currency)
    {
        var errors = new List<DomainError>();

        var money = Money.Create("100", currency, errors);

        Assert.Null(money);
        var error = Assert.Single(errors);
        Assert.Equal("/currency", error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("176072.20")]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("10622115.00")]
    [InlineData("12.5")]
    [InlineData("0.0001")]
    [InlineData("999999999999999.9999")]
    public void Amounts_are_accepted_and_keep_the_decimal_places_they_were_given(string amount)
    {
        var errors = new List<DomainError>();

        var money = Money.Create(amount, "PLN", errors);

        Assert.NotNull(money);
        Assert.Equal(amount, money.AmountText);
        Assert.Empty(errors);
    }

    [Fact]
    public void The_amount_is_the_decimal_value_of_the_text()
    {
        var errors = new List<DomainError>();

        var money = Money.Create("176072.20", "PLN", errors);

        Assert.NotNull(money);
        Assert.Equal(176072.2m, money.Amount);
        Assert.Equal(2, money.Amount.Scale);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.01")]
    [InlineData("+1")]
    [InlineData("1e5")]
    [InlineData("12,50")]
    [InlineData("1 000")]
    [InlineData("abc")]
    [InlineData("1.23456")]
    [InlineData("1234567890123456")]
    [InlineData("01")]
    [InlineData("00.5")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData(" 1")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_amounts_are_refused_at_the_amount_path(string? amount)
    {
        var errors = new List<DomainError>();

        var money = Money.Create(amount, "PLN", errors);

        Assert.Null(money);
        var error = Assert.Single(errors);
        Assert.Equal("/amount", error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("1\n")]
    [InlineData("1.5\n")]
    [InlineData("1\u0662")]
    public void Amounts_with_a_trailing_line_break_or_non_ASCII_digits_are_refused_not_thrown(string amount)
    {
        var errors = new List<DomainError>();

        var money = Money.Create(amount, "PLN", errors);

        Assert.Null(money);
        var error = Assert.Single(errors);
        Assert.Equal("/amount", error.Path);
    }

    [Fact]
    public void A_bad_amount_and_a_bad_currency_are_reported_together()
    {
        var errors = new List<DomainError>();

        var money = Money.Create("-1", "pln", errors);

        Assert.Null(money);
        Assert.Equal(["/amount", "/currency"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Errors_already_in_the_collection_do_not_make_a_valid_amount_fail()
    {
        var errors = new List<DomainError> { new("/earlier", "Some other field.") };

        var money = Money.Create("10", "EUR", errors);

        Assert.NotNull(money);
        Assert.Single(errors);
    }

    [Fact]
    public void Budgets_with_equal_totals_and_contributions_are_equal()
    {
        var first = new Budget(Money.FromTrusted(100m, "EUR"), [new Contribution(FundingSource.Eu, Money.FromTrusted(80m, "EUR"))]);

        var second = new Budget(Money.FromTrusted(100m, "EUR"), [new Contribution(FundingSource.Eu, Money.FromTrusted(80m, "EUR"))]);

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, second with { Contributions = [new Contribution(FundingSource.Own, Money.FromTrusted(80m, "EUR"))] });
        Assert.NotEqual(first, second with { Total = Money.FromTrusted(100m, "PLN") });
    }
}
