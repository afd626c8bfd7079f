using System.Globalization;
using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class PartialDateTests
{
    [Theory]
    [InlineData("2022-07-01")]
    [InlineData("2024-02-29")]
    [InlineData("2024-02")]
    [InlineData("2024")]
    [InlineData("1900")]
    [InlineData("2200-12-31")]
    public void Dates_are_kept_at_the_precision_given(string candidate)
    {
        var accepted = PartialDate.TryParse(candidate, out var date, out var error);

        Assert.True(accepted);
        Assert.Equal(candidate, date.ToString());
        Assert.Null(error);
    }

    [Theory]
    [InlineData("2022-07-01", DatePrecision.Day)]
    [InlineData("2024-02", DatePrecision.Month)]
    [InlineData("2024", DatePrecision.Year)]
    public void The_precision_is_that_of_the_text(string candidate, DatePrecision precision)
    {
        var date = PartialDate.Parse(candidate);

        Assert.Equal(precision, date.Precision);
    }

    [Theory]
    [InlineData("2024-02", "2024-02-01", "2024-02-29")]
    [InlineData("2023-02", "2023-02-01", "2023-02-28")]
    [InlineData("2024", "2024-01-01", "2024-12-31")]
    [InlineData("2023-04", "2023-04-01", "2023-04-30")]
    [InlineData("2022-07-01", "2022-07-01", "2022-07-01")]
    public void A_partial_date_spans_the_whole_period_it_names(string candidate, string firstDay, string lastDay)
    {
        var date = PartialDate.Parse(candidate);

        Assert.Equal(Day(firstDay), date.FirstDay);
        Assert.Equal(Day(lastDay), date.LastDay);
    }

    [Theory]
    [InlineData("2024-13")]
    [InlineData("2024-00")]
    [InlineData("2023-02-29")]
    [InlineData("2024-04-31")]
    [InlineData("2024-01-00")]
    [InlineData("2024-2")]
    [InlineData("2024-02-1")]
    [InlineData("24")]
    [InlineData("2024/02/01")]
    [InlineData("2024-02-01T00:00:00")]
    [InlineData("1899")]
    [InlineData("1899-12-31")]
    [InlineData("2201")]
    [InlineData("2201-01")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_dates_and_years_out_of_range_are_refused_with_a_message(string? candidate)
    {
        var accepted = PartialDate.TryParse(candidate, out _, out var error);

        Assert.False(accepted);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("2024\n")]
    [InlineData("2024-02\n")]
    [InlineData("\u0662\u0660\u0662\u0664")]
    public void A_trailing_line_break_or_non_ASCII_digits_are_refused_not_thrown(string candidate)
    {
        var accepted = PartialDate.TryParse(candidate, out _, out var error);

        Assert.False(accepted);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Parse_throws_a_domain_exception_for_a_refused_date()
    {
        Assert.Throws<DomainException>(() => PartialDate.Parse("2023-02-29"));
    }

    [Fact]
    public void Dates_of_different_precision_are_different_values()
    {
        var month = PartialDate.Parse("2024-02");

        var day = PartialDate.Parse("2024-02-01");

        Assert.Equal(PartialDate.Parse("2024-02"), month);
        Assert.NotEqual(month, day);
    }

    [Theory]
    [InlineData("2024-05-01", "2024-04-30", false)]
    [InlineData("2024-05-02", "2024-05-01", false)]
    [InlineData("2024", "2023-12-31", false)]
    [InlineData("2024-05", "2024-04", false)]
    [InlineData("2024-05-01", "2024", true)]
    [InlineData("2024-05-01", "2024-05", true)]
    [InlineData("2024", "2024-01-01", true)]
    [InlineData("2024-05-01", "2024-05-01", true)]
    [InlineData("2024-05-01", "2025-01-01", true)]
    [InlineData(null, "2024", true)]
    [InlineData("2024", null, true)]
    [InlineData(null, null, true)]
    public void An_end_may_not_lie_wholly_before_the_start(string? start, string? end, bool valid)
    {
        var startDate = start is null ? null : PartialDate.Parse(start);
        var endDate = end is null ? null : PartialDate.Parse(end);

        var result = PartialDate.IsValidRange(startDate, endDate);

        Assert.Equal(valid, result);
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
