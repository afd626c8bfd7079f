using System.Globalization;

namespace RuralRegistry.Domain.Common;

public enum DatePrecision
{
    Year,
    Month,
    Day,
}

/// <summary>
/// An ISO 8601 calendar date at the precision the publisher knows: <c>2024</c>, <c>2024-02</c> or
/// <c>2024-02-29</c>. The precision is kept as given; comparisons treat a partial date as the whole
/// month or year it names (<see cref="FirstDay"/> to <see cref="LastDay"/>).
/// </summary>
public sealed record PartialDate
{
    public const int MinYear = 1900;
    public const int MaxYear = 2200;

    /// <summary>
    /// The syntax <see cref="TryParse"/> reads, unanchored, for the contract: years 1900 to 2200, months 01 to 12, and the
    /// days each month has (31 in January, 30 in April, 29 at most in February). Whether February has its 29th in that
    /// year is checked by <see cref="TryParse"/> alone.
    /// </summary>
    public const string Syntax = "(?:19[0-9]{2}|2[01][0-9]{2}|2200)(?:-(?:(?:0[13578]|1[02])(?:-(?:0[1-9]|[12][0-9]|3[01]))?|(?:0[469]|11)(?:-(?:0[1-9]|[12][0-9]|30))?|02(?:-(?:0[1-9]|1[0-9]|2[0-9]))?))?";

    private PartialDate(int year, int? month, int? day)
    {
        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }

    public int? Month { get; }

    public int? Day { get; }

    public DatePrecision Precision => Day is not null ? DatePrecision.Day : Month is not null ? DatePrecision.Month : DatePrecision.Year;

    public DateOnly FirstDay => new(Year, Month ?? 1, Day ?? 1);

    public DateOnly LastDay => Day is not null
        ? FirstDay
        : Month is not null ? new DateOnly(Year, Month.Value, DateTime.DaysInMonth(Year, Month.Value)) : new DateOnly(Year, 12, 31);

    public static bool TryParse(string? candidate, out PartialDate date, out string? error)
    {
        date = null!;
        // YYYY, YYYY-MM or YYYY-MM-DD, read by position (this runs for every date of every record imported).
        if (candidate is not { Length: 4 or 7 or 10 }
            || !TryDigits(candidate, 0, 4, out var year)
            || (candidate.Length > 4 && (candidate[4] != '-' || !TryDigits(candidate, 5, 2, out _)))
            || (candidate.Length > 7 && (candidate[7] != '-' || !TryDigits(candidate, 8, 2, out _))))
        {
            error = $"'{candidate}' is not a date as 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'.";
            return false;
        }

        int? month = candidate.Length > 4 && TryDigits(candidate, 5, 2, out var m) ? m : null;
        int? day = candidate.Length > 7 && TryDigits(candidate, 8, 2, out var d) ? d : null;
        if (year is < MinYear or > MaxYear)
        {
            error = $"The year {year} is outside {MinYear}–{MaxYear}.";
            return false;
        }

        if (month is < 1 or > 12 || (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value))))
        {
            error = $"'{candidate}' is not a calendar date.";
            return false;
        }

        date = new PartialDate(year, month, day);
        error = null;
        return true;
    }

    public static PartialDate Parse(string candidate) =>
        TryParse(candidate, out var date, out var error) ? date : throw new DomainException(error!);

    /// <summary>The rule for a period: the end may not lie wholly before the start.</summary>
    public static bool IsValidRange(PartialDate? start, PartialDate? end) =>
        start is null || end is null || end.LastDay >= start.FirstDay;

    public override string ToString() => Precision switch
    {
        DatePrecision.Day => FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DatePrecision.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    private static bool TryDigits(string text, int start, int length, out int value)
    {
        value = 0;
        foreach (var c in text.AsSpan(start, length))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
