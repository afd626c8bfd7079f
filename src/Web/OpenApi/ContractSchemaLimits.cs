using System.Globalization;
using Microsoft.OpenApi;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// The bounds and formats the validators enforce, written into the contract's schemas: every string has a
/// maxLength (and a pattern or format where it has a syntax), every array a maxItems, every integer its
/// range, every map of localized text its number of languages. Keyed by property name, with a schema's own
/// entry (<c>Schema.property</c>) winning over the name alone.
/// </summary>
internal sealed class ContractSchemaLimits : IDocumentFilter
{
    private const string PartialDatePattern = @"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";
    private const string CountryPattern = "^[A-Z]{2}$";
    private const string RegionPattern = "^[A-Z]{2}-?[0-9A-Z]{1,3}$";
    private const string SlugPattern = "^[a-z0-9]+([-.][a-z0-9]+)*$";
    private const string PublisherCodePattern = "^[a-z0-9]+(-[a-z0-9]+)*$";
    private const string LanguageTagPattern = "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$";
    private const string AmountPattern = @"^[0-9]{1,15}(\.[0-9]{1,4})?$";
    private const string UuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    /// <summary>String limits: maxLength, and pattern or format.</summary>
    private static readonly Dictionary<string, (int MaxLength, string? Pattern, string? Format)> Strings = new(StringComparer.Ordinal)
    {
        ["country"] = (2, CountryPattern, null),
        ["countries"] = (2, CountryPattern, null),
        ["region"] = (6, RegionPattern, null),
        ["regions"] = (6, RegionPattern, null),
        ["themes"] = (Slug.MaxLength, SlugPattern, null),
        ["startDate"] = (10, PartialDatePattern, null),
        ["endDate"] = (10, PartialDatePattern, null),
        ["periodStart"] = (10, PartialDatePattern, null),
        ["periodEnd"] = (10, PartialDatePattern, null),
        ["originalLanguage"] = (LanguageTag.MaxLength, LanguageTagPattern, null),
        ["amount"] = (20, AmountPattern, null),
        ["currency"] = (3, "^[A-Z]{3}$", null),
        ["email"] = (WebAddress.MaxEmailLength, null, "email"),
        ["website"] = (WebAddress.MaxUrlLength, "^https?://", "uri"),
        ["url"] = (WebAddress.MaxUrlLength, "^https?://", "uri"),
        ["links"] = (WebAddress.MaxUrlLength, "^https?://", "uri"),
        ["next"] = (4096, "^https?://", "uri"),
        ["phone"] = (50, null, null),
        ["externalId"] = (Project.ExternalIdMaxLength, null, null),
        ["publisher"] = (PublisherCode.MaxLength, PublisherCodePattern, null),
        ["owner"] = (PublisherCode.MaxLength, PublisherCodePattern, null),
        ["acronym"] = (Partner.AcronymMaxLength, null, null),
        ["scheme"] = (HierarchyNode<object>.SchemeMaxLength, SlugPattern, null),
        ["code"] = (HierarchyNode<object>.CodeMaxLength, null, null),
        ["level"] = (Slug.MaxLength, SlugPattern, null),
        ["fund"] = (Slug.MaxLength, null, null),
        ["value"] = (200, null, null),
        ["nextPageToken"] = (2048, "^[A-Za-z0-9_-]+$", null),
        ["CreatePublisherRequest.code"] = (PublisherCode.MaxLength, PublisherCodePattern, null),
        ["PublisherResponse.code"] = (PublisherCode.MaxLength, PublisherCodePattern, null),
        ["CreatePublisherRequest.name"] = (Publisher.NameMaxLength, null, null),
        ["PublisherResponse.name"] = (Publisher.NameMaxLength, null, null),
        ["CreateApiKeyRequest.name"] = (ApiKey.NameMaxLength, null, null),
        ["ApiKeyCreatedResponse.name"] = (ApiKey.NameMaxLength, null, null),
        ["ApiKeyCreatedResponse.secret"] = (200, "^rrk_[0-9a-f]{32}_[A-Za-z0-9_-]+$", null),
        ["IdentifierDto.scheme"] = (Slug.MaxLength, SlugPattern, null),
        ["ProblemDetails.type"] = (2000, null, "uri"),
        ["ProblemDetails.title"] = (500, null, null),
        ["ProblemDetails.detail"] = (20_000, null, null),
        ["ProblemDetails.instance"] = (2000, null, null),
        ["ProblemDetails.traceId"] = (200, null, null),
        ["ProblemDetails.exception"] = (100_000, null, null),
        ["ProblemFieldError.pointer"] = (2000, null, null),
        ["ProblemFieldError.parameter"] = (200, null, null),
        ["ProblemFieldError.detail"] = (2000, null, null),
        ["CsvColumnDescription.name"] = (100, null, null),
        ["AuditEntryResponse.actor"] = (64, null, null),
        ["AuditEntryResponse.keyId"] = (64, null, null),
        ["AuditEntryResponse.method"] = (10, "^[A-Z]+$", null),
        ["AuditEntryResponse.path"] = (2000, null, null),
        ["AuditEntryResponse.traceId"] = (200, null, null),
        ["scopes"] = (20, "^[a-z]+:[a-z]+$", null),
        ["CsvColumnDescription.description"] = (500, null, null),
        ["ProjectGroup.key"] = (200, null, null),
        ["ProjectStatisticsResponse.groupBy"] = (20, null, null),
        ["CurrencySum.amount"] = (40, @"^[0-9]+(\.[0-9]+)?$", null),
        ["ImportFieldError.pointer"] = (2000, null, null),
        ["ImportFieldError.detail"] = (2000, null, null),
        ["ImportRecordProblem.type"] = (2000, null, "uri"),
        ["ImportRecordProblem.title"] = (500, null, null),
        ["ImportRecordProblem.detail"] = (20_000, null, null),
        ["ImportResponse.actor"] = (PublisherCode.MaxLength, null, null),
        ["ImportResponse.note"] = (Domain.Imports.Import.ErrorMaxLength, null, null),
        ["ImportResponse.records"] = (100, "^/v1/imports/", null),
    };

    /// <summary>Maps of localized text: the most characters per language.</summary>
    private static readonly Dictionary<string, int> LocalizedText = new(StringComparer.Ordinal)
    {
        ["title"] = ProjectRequestValidator.TitleMaxLength,
        ["summary"] = ProjectRequestValidator.SummaryMaxLength,
        ["description"] = ProjectRequestValidator.DescriptionMaxLength,
        ["name"] = Partner.NameMaxLength,
        ["text"] = ProjectRequestValidator.LongTextMaxLength,
        ["targetGroups"] = ProjectRequestValidator.ShortTextMaxLength,
        ["ActivityDto.title"] = ProjectRequestValidator.ShortTextMaxLength,
        ["ActivityDto.description"] = ProjectRequestValidator.LongTextMaxLength,
        ["LinkDto.title"] = ProjectRequestValidator.ShortTextMaxLength,
    };

    /// <summary>Array lengths, as the validators bound them.</summary>
    private static readonly Dictionary<string, int> Arrays = new(StringComparer.Ordinal)
    {
        ["countries"] = 60,
        ["regions"] = 100,
        ["themes"] = 30,
        ["targetGroups"] = 30,
        ["objectives"] = 50,
        ["activities"] = 100,
        ["links"] = 50,
        ["fundingMeasures"] = 50,
        ["goals"] = 50,
        ["partners"] = 200,
        ["identifiers"] = 20,
        ["contributions"] = Budget.MaxContributions,
        ["items"] = PageSize.Maximum,
        ["errors"] = 1000,
        ["ActivityDto.links"] = 20,
        ["columns"] = 200,
        ["scopes"] = 3,
        ["budgets"] = 200,
        ["groups"] = 100_000,
        ["ImportReportResponse.records"] = 10_000_000,
    };

    /// <summary>Integer ranges.</summary>
    private static readonly Dictionary<string, (long Minimum, long Maximum)> Integers = new(StringComparer.Ordinal)
    {
        ["participants"] = (0, 10_000_000),
        ["version"] = (1, long.MaxValue),
        ["status"] = (100, 599),
        ["sequence"] = (1, long.MaxValue),
        ["resumeAfter"] = (0, long.MaxValue),
        ["AuditEntryResponse.id"] = (1, long.MaxValue),
        ["projects"] = (0, long.MaxValue),
        ["ImportCountsResponse.total"] = (0, int.MaxValue),
        ["ImportCountsResponse.processed"] = (0, int.MaxValue),
        ["ImportCountsResponse.created"] = (0, int.MaxValue),
        ["ImportCountsResponse.updated"] = (0, int.MaxValue),
        ["ImportCountsResponse.unchanged"] = (0, int.MaxValue),
        ["ImportCountsResponse.failed"] = (0, int.MaxValue),
        ["ImportCountsResponse.deleted"] = (0, int.MaxValue),
        ["ImportRecordResponse.index"] = (0, int.MaxValue),
        ["ImportResponse.resultStatus"] = (200, 422),
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var (schemaName, schema) in document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (schema is not OpenApiSchema concrete)
            {
                continue;
            }

            if (concrete.Enum is { Count: > 0 })
            {
                concrete.Description ??= $"One of: {string.Join(", ", concrete.Enum.Select(e => e?.ToString()))}.";
            }

            foreach (var (propertyName, property) in concrete.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (property is OpenApiSchema p)
                {
                    TypeNullableReference(p, document);
                    Limit(schemaName, propertyName, p);
                }
            }

            MarkAlwaysPresent(schemaName, concrete);
        }
    }

    /// <summary>
    /// OpenAPI 3.0 cannot put <c>nullable</c> beside a <c>$ref</c>; a nullable reference is an <c>allOf</c> of it,
    /// which validators only read as nullable when it also names the referenced schema's type.
    /// </summary>
    private static void TypeNullableReference(OpenApiSchema property, OpenApiDocument document)
    {
        if (property.AllOf is [OpenApiSchemaReference reference] && property.Type is { } type && type.HasFlag(JsonSchemaType.Null)
            && document.Components?.Schemas?.TryGetValue(reference.Reference.Id ?? string.Empty, out var target) == true
            && target.Type is { } targetType)
        {
            // nullable beside allOf does not let null through the referenced schema; anyOf of it and null does.
            property.Type = targetType | JsonSchemaType.Null;
            property.AllOf = null;
            property.AnyOf = [reference, new OpenApiSchema { Type = targetType | JsonSchemaType.Null, Enum = [null!] }];
            if (target.Enum is { Count: > 0 } values)
            {
                property.Enum = [.. values, null!];
            }
            else if (targetType.HasFlag(JsonSchemaType.String))
            {
                property.MaxLength = 200;
            }
        }
    }

    /// <summary>
    /// A response always carries every member (null where the value is unknown), so all are required; the
    /// paging members are the exception: left out on the last page, never null.
    /// </summary>
    private static void MarkAlwaysPresent(string schemaName, OpenApiSchema schema)
    {
        if (schema.Properties is not { Count: > 0 } properties
            || !(schemaName.EndsWith("Response", StringComparison.Ordinal) || schemaName.EndsWith("Summary", StringComparison.Ordinal)))
        {
            return;
        }

        schema.Required ??= new HashSet<string>();
        foreach (var (name, property) in properties)
        {
            if (name is "nextPageToken" or "next")
            {
                if (property is OpenApiSchema optional && optional.Type is { } type)
                {
                    optional.Type = type & ~JsonSchemaType.Null;
                }

                continue;
            }

            schema.Required.Add(name);
        }
    }

    private static void Limit(string schemaName, string propertyName, OpenApiSchema property)
    {
        var key = $"{schemaName}.{propertyName}";
        if (Is(property, JsonSchemaType.Array))
        {
            if (Find(Arrays, key, propertyName) is { } maxItems)
            {
                property.MaxItems = maxItems;
            }

            if (property.Items is OpenApiSchema items)
            {
                LimitValue(key, propertyName, items);
            }

            return;
        }

        LimitValue(key, propertyName, property);
    }

    private static void LimitValue(string key, string propertyName, OpenApiSchema value)
    {
        if (Is(value, JsonSchemaType.String))
        {
            if (value.Format == "uuid")
            {
                value.MaxLength = 36;
                value.Pattern ??= UuidPattern;
            }
            else if (value.Format == "date-time")
            {
                value.MaxLength = 40;
            }
            else if (Find(Strings, key, propertyName) is { } limit)
            {
                value.MaxLength = limit.MaxLength;
                value.Pattern ??= limit.Pattern;
                value.Format ??= limit.Format;
            }
        }
        else if (Is(value, JsonSchemaType.Object) && value.AdditionalProperties is OpenApiSchema text && Is(text, JsonSchemaType.String))
        {
            value.MaxProperties = Domain.Common.LocalizedText.MaxLanguages;
            text.MaxLength = Find(LocalizedText, key, propertyName) ?? ProjectRequestValidator.LongTextMaxLength;
            value.Description ??= "Text by BCP 47 language tag, e.g. {\"pl\": \"…\", \"en\": \"…\"}.";
        }
        else if (Is(value, JsonSchemaType.Integer) && Find(Integers, key, propertyName) is { } range)
        {
            value.Minimum = range.Minimum.ToString(CultureInfo.InvariantCulture);
            value.Maximum = range.Maximum.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static bool Is(OpenApiSchema schema, JsonSchemaType type) => schema.Type is { } t && t.HasFlag(type);

    private static T? Find<T>(Dictionary<string, T> table, string key, string propertyName)
        where T : struct =>
        table.TryGetValue(key, out var own) ? own : table.TryGetValue(propertyName, out var shared) ? shared : null;
}
