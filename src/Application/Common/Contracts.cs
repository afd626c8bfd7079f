using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RuralRegistry.Domain.Common;

namespace RuralRegistry.Application.Common;

/// <summary>An amount of money.</summary>
/// <param name="Amount">Non-negative decimal amount as a string, e.g. <c>"176072.20"</c> (a JSON number is accepted on input).</param>
/// <param name="Currency">ISO 4217 currency code, e.g. <c>PLN</c>.</param>
public sealed record MoneyDto([property: JsonConverter(typeof(DecimalTextConverter))] string? Amount, string? Currency);

/// <summary>One source's contribution to a budget, in its own currency.</summary>
/// <param name="Source">Where the money comes from; left out or null when the page does not name the source.</param>
/// <param name="Amount">The contribution.</param>
public sealed record ContributionDto(FundingSource? Source, MoneyDto? Amount);

/// <summary>A budget: a total and, optionally, contributions by source. Amounts stay in their own currency.</summary>
/// <param name="Total">The total budget.</param>
/// <param name="Contributions">Contributions by source.</param>
public sealed record BudgetDto(MoneyDto? Total, IReadOnlyList<ContributionDto?>? Contributions);

/// <summary>An identifier some scheme gives a record, e.g. a national register number or a LAG code.</summary>
/// <param name="Scheme">The identifier's scheme: lowercase kebab-case, e.g. <c>pl-krs</c> or <c>lv-lad-project-number</c>.</param>
/// <param name="Value">The identifier, up to 200 characters.</param>
public sealed record IdentifierDto(string? Scheme, string? Value);

/// <summary>
/// Reads a decimal amount given either as a JSON string or as a JSON number, keeping its text exactly
/// (so <c>176072.20</c> keeps its two decimals); writes it as a string.
/// </summary>
public sealed class DecimalTextConverter : JsonConverter<string?>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
        _ => throw new JsonException("An amount is a decimal string such as \"176072.20\" or a JSON number."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
