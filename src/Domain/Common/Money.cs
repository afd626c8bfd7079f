using System.Globalization;
using System.Text.RegularExpressions;

namespace RuralRegistry.Domain.Common;

/// <summary>
/// A non-negative amount in an ISO 4217 currency. The amount keeps the decimal places it was given
/// (<c>176072.20</c> stays <c>176072.20</c>); amounts in different currencies are never added up.
/// </summary>
public sealed partial record Money
{
    public const int MaxIntegerDigits = 15;
    public const int MaxDecimals = 4;

    /// <summary>The amount's syntax, unanchored; the contract's pattern is written from it.</summary>
    public const string AmountSyntax = @"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,4})?";

    private Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }

    /// <summary>Accepts the amount as decimal text (<c>"176072.20"</c>); numbers on the wire are read as their text.</summary>
    public static Money? Create(string? amount, string? currency, ICollection<DomainError> errors)
    {
        var before = errors.Count;
        decimal value = 0;
        if (amount is null || !AmountRegex().IsMatch(amount))
        {
            errors.Add(new DomainError("/amount", $"'{amount}' is not a non-negative decimal amount such as \"176072.20\" (at most {MaxIntegerDigits} digits before the point and {MaxDecimals} after)."));
        }
        else
        {
            value = decimal.Parse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        if (currency is null || !IsoCodes.Currencies.Contains(currency))
        {
            errors.Add(new DomainError("/currency", $"'{currency}' is not an ISO 4217 currency code such as 'PLN', 'EUR' or 'BGN'."));
        }

        return errors.Count == before ? new Money(value, currency!) : null;
    }

    public static Money FromTrusted(decimal amount, string currency) => new(amount, currency);

    public string AmountText => Amount.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equal when the same text would be shown: 176072.2 and 176072.20 differ, so a change of written precision is a change.</summary>
    public bool Equals(Money? other) => other is not null && Currency == other.Currency && AmountText == other.AmountText;

    public override int GetHashCode() => HashCode.Combine(Currency, AmountText);

    [GeneratedRegex("^" + AmountSyntax + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex AmountRegex();
}

public enum FundingSource
{
    Eu,
    National,
    Regional,
    Own,
    Private,
    Other,
}

/// <summary>One source's share of a budget, in its own currency; the source null when the page does not name it.</summary>
public sealed record Contribution(FundingSource? Source, Money Amount);

/// <summary>A project's budget: a total and, optionally, contributions by source, each in its own currency.</summary>
public sealed record Budget(Money? Total, IReadOnlyList<Contribution> Contributions)
{
    public const int MaxContributions = 20;

    public bool Equals(Budget? other) =>
        other is not null && Equals(Total, other.Total) && Contributions.SequenceEqual(other.Contributions);

    public override int GetHashCode() => HashCode.Combine(Total, Contributions.Count);
}
