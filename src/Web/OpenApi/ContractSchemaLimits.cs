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
    /// <summary>String limits: maxLength, and pattern or format.</summary>
    private static readonly Dictionary<string, (int MaxLength, string? Pattern, string? Format)> Strings = new(StringComparer.Ordinal)
    {
        ["country"] = (2, ContractPatterns.Country, null),
        ["countries"] = (2, ContractPatterns.Country, null),
        ["region"] = (6, ContractPatterns.Region, null),
        ["regions"] = (6, ContractPatterns.Region, null),
        ["themes"] = (Slug.MaxLength, ContractPatterns.Slug, null),
        ["startDate"] = (10, ContractPatterns.PartialDate, null),
        ["endDate"] = (10, ContractPatterns.PartialDate, null),
        ["periodStart"] = (10, ContractPatterns.PartialDate, null),
        ["periodEnd"] = (10, ContractPatterns.PartialDate, null),
        ["originalLanguage"] = (LanguageTag.MaxLength, ContractPatterns.LanguageTag, null),
        ["amount"] = (20, ContractPatterns.Amount, null),
        ["currency"] = (3, ContractPatterns.Currency, null),
        ["email"] = (WebAddress.MaxEmailLength, null, "email"),
        ["website"] = (WebAddress.MaxUrlLength, ContractPatterns.WebUrl, "uri"),
        ["url"] = (WebAddress.MaxUrlLength, ContractPatterns.WebUrl, "uri"),
        ["links"] = (WebAddress.MaxUrlLength, ContractPatterns.WebUrl, "uri"),
        ["next"] = (4096, ContractPatterns.WebUrl, "uri"),
        ["phone"] = (ProjectRequestValidator.PhoneMaxLength, ContractPatterns.NotBlank, null),
        ["externalId"] = (Project.ExternalIdMaxLength, ContractPatterns.ExternalId, null),
        ["publisher"] = (PublisherCode.MaxLength, ContractPatterns.PublisherCode, null),
        ["owner"] = (PublisherCode.MaxLength, ContractPatterns.PublisherCode, null),
        ["acronym"] = (Partner.AcronymMaxLength, ContractPatterns.NotBlank, null),
        ["scheme"] = (HierarchyNode<object>.SchemeMaxLength, ContractPatterns.Slug, null),
        ["code"] = (HierarchyNode<object>.CodeMaxLength, ContractPatterns.NotBlank, null),
        ["level"] = (Slug.MaxLength, ContractPatterns.Slug, null),
        ["fund"] = (Application.FundingMeasures.FundingMeasureService.FundMaxLength, ContractPatterns.NotBlank, null),
        ["value"] = (200, ContractPatterns.NotBlank, null),
        ["nextPageToken"] = (2048, ContractPatterns.PageToken, null),
        ["CreatePublisherRequest.code"] = (PublisherCode.MaxLength, ContractPatterns.PublisherCode, null),
        ["PublisherResponse.code"] = (PublisherCode.MaxLength, ContractPatterns.PublisherCode, null),
        ["CreatePublisherRequest.name"] = (Publisher.NameMaxLength, null, null),
        ["PublisherResponse.name"] = (Publisher.NameMaxLength, null, null),
        ["CreateApiKeyRequest.name"] = (ApiKey.NameMaxLength, ContractPatterns.NotBlank, null),
        ["ApiKeyCreatedResponse.name"] = (ApiKey.NameMaxLength, null, null),
        ["ApiKeyCreatedResponse.secret"] = (200, "^rrk_[0-9a-f]{32}_[A-Za-z0-9_-]+$", null),
        ["IdentifierDto.scheme"] = (Slug.MaxLength, ContractPatterns.Slug, null),
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
        // The process holding the lease (ImportLeases.Owner: host name, process id, a per-start suffix), not a publisher code.
        ["ImportLeaseResponse.owner"] = (Domain.Imports.Import.LeaseOwnerMaxLength, null, null),
        ["ImportResponse.records"] = (4096, ContractPatterns.WebUrl, "uri"),
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
        ["countries"] = ProjectRequestValidator.MaxCountries,
        ["regions"] = ProjectRequestValidator.MaxRegions,
        ["themes"] = ProjectRequestValidator.MaxThemes,
        ["targetGroups"] = ProjectRequestValidator.MaxTargetGroups,
        ["objectives"] = ProjectRequestValidator.MaxObjectives,
        ["activities"] = ProjectRequestValidator.MaxActivities,
        ["links"] = ProjectRequestValidator.MaxLinks,
        ["fundingMeasures"] = ProjectRequestValidator.MaxFundingMeasures,
        ["goals"] = ProjectRequestValidator.MaxGoals,
        ["partners"] = ProjectRequestValidator.MaxPartners,
        ["identifiers"] = 20,
        ["contributions"] = Budget.MaxContributions,
        ["items"] = PageSize.Maximum,
        ["errors"] = 1000,
        ["ActivityDto.links"] = ProjectRequestValidator.MaxActivityLinks,
        ["columns"] = 200,
        ["scopes"] = 3,
        ["budgets"] = 200,
        ["groups"] = 100_000,
        ["ImportReportResponse.records"] = 10_000_000,
    };

    /// <summary>Integer ranges.</summary>
    private static readonly Dictionary<string, (long Minimum, long Maximum)> Integers = new(StringComparer.Ordinal)
    {
        ["participants"] = (0, ProjectRequestValidator.MaxParticipants),
        ["version"] = (1, long.MaxValue),
        ["status"] = (100, 599),
        ["sequence"] = (1, long.MaxValue),
        ["resumeAfter"] = (0, long.MaxValue),
        ["AuditEntryResponse.id"] = (1, long.MaxValue),
        ["projects"] = (0, long.MaxValue),
        ["ImportCountsResponse.total"] = (0, int.MaxValue),
        ["ImportCountsResponse.processed"] = (0, int.MaxValue),
        ["ImportResponse.attempts"] = (0, int.MaxValue),
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
    /// A nullable reference in the form every mainstream generator reads (NSwag, Kiota, openapi-typescript):
    /// OpenAPI 3.0's <c>nullable: true</c> beside <c>allOf: [$ref]</c>, with the referenced schema's type beside it
    /// (3.0 gives <c>nullable</c> no meaning without a <c>type</c>).
    /// </summary>
    private static void TypeNullableReference(OpenApiSchema property, OpenApiDocument document)
    {
        if (property.AllOf is [OpenApiSchemaReference reference] && property.Type is { } type && type.HasFlag(JsonSchemaType.Null)
            && document.Components?.Schemas?.TryGetValue(reference.Reference.Id ?? string.Empty, out var target) == true
            && target.Type is { } targetType)
        {
            property.Type = targetType | JsonSchemaType.Null;
            if (targetType.HasFlag(JsonSchemaType.String))
            {
                // The referenced enum bounds it; the string's own bound is for linters that look no further.
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
                // The validators refuse a null item of any list.
                items.Type &= ~JsonSchemaType.Null;
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
                value.Pattern ??= ContractPatterns.Uuid;
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
            // At least one language, and no language without its text (LocalizedText.Create).
            value.MinProperties = 1;
            value.MaxProperties = Domain.Common.LocalizedText.MaxLanguages;
            text.Type = JsonSchemaType.String;
            text.MinLength = 1;
            text.Pattern = ContractPatterns.NotBlank;
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
