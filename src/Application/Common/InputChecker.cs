using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Common;

/// <summary>
/// Turns request values into domain values, collecting every problem with the JSON pointer of the
/// value it concerns, so one answer lists all that is wrong.
/// </summary>
public sealed class InputChecker
{
    public List<FieldError> Errors { get; } = [];

    public bool IsValid => Errors.Count == 0;

    public void Fail(string pointer, string detail) => Errors.Add(FieldError.Body(pointer, detail));

    public LocalizedText? Text(Dictionary<string, string?>? value, string pointer, int maxLength, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Fail(pointer, "Required: give the text in at least one language, as {\"<language tag>\": \"<text>\"}.");
            }

            return null;
        }

        var errors = new List<DomainError>();
        var text = LocalizedText.Create(value, maxLength, errors);
        Add(errors, pointer);
        return text;
    }

    public LanguageTag? Language(string? value, string pointer)
    {
        if (value is null)
        {
            Fail(pointer, "Required: a BCP 47 language tag such as 'pl'.");
            return null;
        }

        if (!LanguageTag.TryCreate(value, out var tag, out var error))
        {
            Fail(pointer, error!);
            return null;
        }

        return tag;
    }

    public CountryCode? Country(string? value, string pointer)
    {
        if (value is null)
        {
            return null;
        }

        if (!CountryCode.TryCreate(value, out var code, out var error))
        {
            Fail(pointer, error!);
            return null;
        }

        return code;
    }

    public RegionCode? Region(string? value, string pointer)
    {
        if (value is null)
        {
            return null;
        }

        if (!RegionCode.TryCreate(value, out var code, out var error))
        {
            Fail(pointer, error!);
            return null;
        }

        return code;
    }

    public PartialDate? Date(string? value, string pointer)
    {
        if (value is null)
        {
            return null;
        }

        if (!PartialDate.TryParse(value, out var date, out var error))
        {
            Fail(pointer, error!);
            return null;
        }

        return date;
    }

    public void DateRange(PartialDate? start, PartialDate? end, string endPointer)
    {
        if (!PartialDate.IsValidRange(start, end))
        {
            Fail(endPointer, $"The end ({end}) is before the start ({start}).");
        }
    }

    public Money? Money(MoneyDto? value, string pointer)
    {
        if (value is null)
        {
            return null;
        }

        var errors = new List<DomainError>();
        var money = Domain.Common.Money.Create(value.Amount, value.Currency, errors);
        Add(errors, pointer);
        return money;
    }

    public string? Url(string? value, string pointer)
    {
        if (value is null)
        {
            return null;
        }

        if (!WebAddress.IsUrl(value))
        {
            Fail(pointer, $"Not an absolute http(s) URL of at most {WebAddress.MaxUrlLength} characters.");
            return null;
        }

        return value;
    }

    public string? Email(string? value, string pointer)
    {
        if (value is null)
        {
            return null;
        }

        if (!WebAddress.IsEmail(value))
        {
            Fail(pointer, "Not an e-mail address.");
            return null;
        }

        return value;
    }

    public string? Slug(string? value, string pointer, string what)
    {
        if (!Domain.Common.Slug.IsValid(value))
        {
            Fail(pointer, $"{what} is lowercase letters and digits in words joined by '-' or '.', up to {Domain.Common.Slug.MaxLength} characters, e.g. 'smart-villages'.");
            return null;
        }

        return value;
    }

    public string? PlainText(string? value, string pointer, int maxLength, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Fail(pointer, "Required.");
            }

            return null;
        }

        if (!Domain.Common.Text.IsAcceptable(value, maxLength, out var error))
        {
            Fail(pointer, error!);
            return null;
        }

        return value;
    }

    public T? Required<T>(T? value, string pointer, string allowed)
        where T : struct
    {
        if (value is null)
        {
            Fail(pointer, $"Required: one of {allowed}.");
        }

        return value;
    }

    /// <summary>Checks an array's length and each item; null items are refused, results of failed items dropped.</summary>
    public ValueList<TOut> List<TIn, TOut>(IReadOnlyList<TIn?>? items, string pointer, int maxItems, Func<TIn, string, TOut?> each)
    {
        if (items is null)
        {
            return ValueList<TOut>.Empty;
        }

        if (items.Count > maxItems)
        {
            Fail(pointer, $"At most {maxItems} items; {items.Count} were given.");
            return ValueList<TOut>.Empty;
        }

        var result = new List<TOut>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPointer = $"{pointer}/{i}";
            if (items[i] is not { } item)
            {
                Fail(itemPointer, "An item may not be null.");
                continue;
            }

            if (each(item, itemPointer) is { } output)
            {
                result.Add(output);
            }
        }

        return result.ToValueList();
    }

    public ValueList<Identifier> Identifiers(IReadOnlyList<IdentifierDto?>? items, string pointer) =>
        List(items, pointer, 20, (dto, at) =>
        {
            var scheme = Slug(dto.Scheme, $"{at}/scheme", "An identifier's scheme");
            var value = PlainText(dto.Value, $"{at}/value", 200, required: true);
            return scheme is null || value is null ? null : new Identifier(scheme, value);
        });

    private void Add(List<DomainError> errors, string pointer)
    {
        foreach (var error in errors)
        {
            Fail(pointer + error.Path, error.Message);
        }
    }
}
