using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// What every operation of the contract says beyond its endpoint metadata: its parameters described with
/// their bounds, the problems any operation can answer (400 for an unknown query parameter, 413 for a body
/// too large, 500), the headers it sends, and that public reads need no key.
/// </summary>
internal sealed class ContractOperations : IOperationFilter
{
    private sealed record ParameterRule(
        string Description, int? MaxLength = null, string? Pattern = null, long? Minimum = null, long? Maximum = null, int? Default = null, string[]? Enum = null, int? MaxItems = null, string? EnumSchema = null);

    private static readonly Dictionary<string, ParameterRule> Parameters = new(StringComparer.Ordinal)
    {
        [PageSize.ParameterName] = new($"How many items a page holds: {PageSize.Default} by default, at most {PageSize.Maximum} (larger values are clamped to {PageSize.Maximum}; below 1 is 400).", Minimum: 1, Maximum: PageSize.Maximum, Default: PageSize.Default),
        [PageToken.ParameterName] = new("The opaque token of the page to fetch, as the previous page's nextPageToken gave it; send the same filters with it (other filters: 400).", MaxLength: 2048, Pattern: ContractPatterns.PageToken),
        ["publisher"] = new("Only the records of the publisher with this code, e.g. pl-ksow (on project lists repeatable: any of them).", MaxLength: PublisherCode.MaxLength, Pattern: ContractPatterns.PublisherCode, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["partner"] = new("Only the projects in which a partner with this id takes part (repeatable: any of them).", MaxLength: 36, Pattern: ContractPatterns.Uuid, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["q"] = new("Words to search for, in any language and script, ignoring case and diacritics: every word must match.", MaxLength: ProjectSearch.MaxLength),
        ["country"] = new("Only records of this country, ISO 3166-1 alpha-2 (EL and UK are read as GR and GB); repeatable: any of them.", MaxLength: 2, Pattern: ContractPatterns.Country, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["region"] = new("Only projects in this region: a NUTS code (which also matches the regions inside it: PL8 matches PL81 and PL811) or an ISO 3166-2 code such as GB-SCT; repeatable.", MaxLength: 6, Pattern: ContractPatterns.Region, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["status"] = new("Only projects with this status, as the record shows it (stamped with its version; the daily status job restamps those the dates changed); repeatable.", Enum: ["planned", "ongoing", "completed", "cancelled", "unknown"], MaxItems: 5, EnumSchema: "ProjectStatus"),
        ["fundingMeasure"] = new("Only projects financed from this funding measure or any measure under it: its id, or scheme:code such as lv-rdp-2014-2020:19.3; repeatable.", MaxLength: 130, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["goal"] = new("Only projects serving this goal or any goal under it: its id, or scheme:code such as eu-rdp-2014-2020:6B; repeatable.", MaxLength: 130, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["partnerCountry"] = new("Only projects with a partner from this country (ISO 3166-1 alpha-2); repeatable.", MaxLength: 2, Pattern: ContractPatterns.Country, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["theme"] = new("Only projects with this theme, e.g. smart-villages; repeatable.", MaxLength: 64, Pattern: ContractPatterns.Slug, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["language"] = new("Only projects whose title, summary or description is written in this language (BCP 47, e.g. lt); repeatable.", MaxLength: 35, MaxItems: ProjectFilter.MaxValuesPerParameter),
        ["activeOn"] = new("Only projects whose period (start to end date, both known) includes this day, or overlaps this month or year (2024-05-31, 2024-05, 2024).", MaxLength: 10, Pattern: ContractPatterns.PartialDate),
        ["startFrom"] = new("Only projects starting on or after this date (a month or a year counts from its first day; a project's partial start date counts as the whole month or year).", MaxLength: 10, Pattern: ContractPatterns.PartialDate),
        ["startTo"] = new("Only projects starting on or before this date (a month or a year counts to its last day).", MaxLength: 10, Pattern: ContractPatterns.PartialDate),
        ["endFrom"] = new("Only projects ending on or after this date.", MaxLength: 10, Pattern: ContractPatterns.PartialDate),
        ["endTo"] = new("Only projects ending on or before this date.", MaxLength: 10, Pattern: ContractPatterns.PartialDate),
        ["updatedSince"] = new("Only projects changed at or after this time (ISO 8601 with an offset, e.g. 2026-01-31T12:00:00Z).", MaxLength: 40),
        ["budgetMin"] = new("Only projects whose total budget in the given currency is at least this amount (needs currency).", MaxLength: 20, Pattern: ContractPatterns.QueryAmount),
        ["budgetMax"] = new("Only projects whose total budget in the given currency is at most this amount (needs currency).", MaxLength: 20, Pattern: ContractPatterns.QueryAmount),
        ["currency"] = new("Only projects whose total budget is in this ISO 4217 currency; the currency budgetMin and budgetMax are in (never converted).", MaxLength: 3, Pattern: ContractPatterns.Currency),
        ["sort"] = new("The order: relevance (the default with q; title matches first), -updatedAt (the default otherwise), startDate, -startDate or title.", Enum: ListProjects.Sorts, EnumSchema: "ProjectSort"),
        ["groupBy"] = new("What to group the projects by.", Enum: ProjectStatistics.Groupings, EnumSchema: "ProjectGrouping"),
        ["kind"] = new("Only partners of this kind; repeatable.", Enum: ["lag", "ngo", "municipality", "county", "region", "ministry", "union", "university", "company", "other"], MaxItems: 10, EnumSchema: "PartnerKind"),
        ["scheme"] = new("Only the nodes of this scheme, e.g. lv-rdp-2014-2020.", MaxLength: 64, Pattern: ContractPatterns.Slug),
        ["parent"] = new("Only the children of this node: its id, or scheme:code such as lv-rdp-2014-2020:19.", MaxLength: 130),
        ["level"] = new("Only the nodes of this level, e.g. measure.", MaxLength: 64, Pattern: ContractPatterns.Slug),
        ["id"] = new("The record's id (a UUID).", MaxLength: 36, Pattern: ContractPatterns.Uuid),
        ["keyId"] = new("The API key's id, as its creation answered it.", MaxLength: 36, Pattern: ContractPatterns.Uuid),
        ["code"] = new("The publisher's code, e.g. pl-ksow.", MaxLength: PublisherCode.MaxLength, Pattern: ContractPatterns.PublisherCode),
        ["actor"] = new("Only the entries of this actor: a publisher's code, or admin.", MaxLength: 64),
        ["after"] = new("Resume after this change number: the previous page's resumeAfter (0, or left out, starts from the oldest change kept).", Minimum: 0, Maximum: long.MaxValue),
        ["type"] = new("Only changes of records of these types (repeat the parameter for several).", Enum: ["project", "partner", "funding-measure", "goal"], MaxItems: 4, EnumSchema: "RecordType"),
        ["include"] = new("record: embed each changed record's current representation (null once deleted).", Enum: ["record"], EnumSchema: "ChangeInclude"),
        ["listImportRecords.status"] = new("Only the records with this outcome.", Enum: ["created", "updated", "unchanged", "failed", "deleted"], EnumSchema: "ImportRecordStatus"),
        ["atomic"] = new("true: all or nothing; when any record fails nothing is written and the answer is 422 with the report."),
        ["dryRun"] = new("true: every check, nothing written; the same report as a real import."),
        ["prune"] = new("true: the body is the publisher's complete catalogue; its live projects the body does not name are deleted (only when every record succeeded)."),
        ["externalId"] = new($"The publisher's own id of the project (1 to {Project.ExternalIdMaxLength} characters; URL-encode reserved characters).", MaxLength: Project.ExternalIdMaxLength),
    };

    private static readonly HashSet<string> VersionedResources = new(StringComparer.Ordinal) { "Projects", "Partners", "Funding measures", "Goals" };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            Describe(parameter, operation.OperationId, context);
        }

        var method = context.ApiDescription.HttpMethod ?? "GET";
        var needsKey = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any();
        if (!needsKey)
        {
            // Reading published records needs no key: say so explicitly.
            operation.Security = [];
        }

        operation.Responses ??= [];
        AddProblem(operation, context, StatusCodes.Status400BadRequest, "The request is invalid: an unknown query parameter, a parameter out of bounds, a malformed header or body. The errors member names each failing input.");
        if (operation.RequestBody is not null)
        {
            AddProblem(operation, context, StatusCodes.Status413PayloadTooLarge, "The body is larger than 1 MiB.");
            AddProblem(operation, context, StatusCodes.Status415UnsupportedMediaType, "The body is not sent with the media type this operation takes.");
        }

        AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "The caller's budget of reads or writes for the current window is spent (per API key, else per client address); retry after Retry-After seconds. Conditional GETs answered 304 are free.");
        if (operation.Responses[StatusCodes.Status429TooManyRequests.ToString(CultureInfo.InvariantCulture)] is OpenApiResponse tooMany)
        {
            tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>();
            tooMany.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds until the budget is renewed.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "86400" },
            };
        }

        AddProblem(operation, context, StatusCodes.Status500InternalServerError, "The server failed; quote the traceId when reporting it.");

        DescribeResponses(operation, method, context);
        DescribeDownloads(operation);
        DescribeBatches(operation, context);
    }

    /// <summary>
    /// A batch of records in one body (an import): as many as an import takes, NDJSON one per line; its answers are
    /// reports, and its 422 is either the report of an atomic import that failed or a problem (a reused Idempotency-Key).
    /// </summary>
    private static void DescribeBatches(OpenApiOperation operation, OperationFilterContext context)
    {
        var batches = false;
        foreach (var (mediaType, content) in (operation.RequestBody as OpenApiRequestBody)?.Content ?? new Dictionary<string, IOpenApiMediaType>())
        {
            if (content is OpenApiMediaType concrete && concrete.Schema is OpenApiSchema { Type: JsonSchemaType.Array } batch)
            {
                batches = true;
                batch.MaxItems = new Application.Imports.ImportSettings().MaxRecords;
                if (mediaType == Application.Imports.ImportBody.NdjsonMediaType)
                {
                    concrete.Schema = batch.Items;
                }
            }
        }

        if (!batches)
        {
            return;
        }

        var location = new OpenApiHeader
        {
            Description = "The import's own URL, /v1/imports/{id}.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100, Pattern = "^/v1/imports/" },
        };
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Description = status switch
            {
                "200" => "Every record succeeded (created, updated or unchanged); the report lists each in the body's order.",
                "202" => "Accepted (Prefer: respond-async): the body is received and the import queued; GET the Location for its progress and outcome.",
                "207" => "Some records failed; the others are written, each whole. The report lists each, the failures with their problems.",
                "409" => "The import did not finish: a concurrent write collided with an atomic or dry-run import (nothing was written), or the server stopped it.",
                "413" => "The body has more bytes or records than one import takes (Imports:MaxBodyBytes, Imports:MaxRecords); the problem says how to split it.",
                "422" => "atomic=true and some records failed: nothing was written, and the report (application/json) says why; or the Idempotency-Key was used before with another request (application/problem+json).",
                _ => concrete.Description,
            };
            if (status is "200" or "202" or "207" or "422")
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["Location"] = location;
            }

            if (status == "422" && concrete.Content is { } media && !media.ContainsKey("application/problem+json"))
            {
                media["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ContractDocument.ProblemSchema, context.Document) };
            }
        }
    }

    /// <summary>Streamed exports: a CSV file is one string as large as the collection; an NDJSON line is one record.</summary>
    private static void DescribeDownloads(OpenApiOperation operation)
    {
        foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
        {
            foreach (var (mediaType, content) in response.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                if (mediaType == "text/csv" && content.Schema is OpenApiSchema csv)
                {
                    csv.MaxLength = int.MaxValue;
                    csv.Description = "The CSV file: a header row, then one row per project (RFC 4180, UTF-8 with a byte-order mark).";
                }
                else if (mediaType == "application/x-ndjson")
                {
                    response.Description = "One record per line (NDJSON); each line follows this schema.";
                }
            }
        }
    }

    /// <summary>A rule named operationId.parameter wins over one named by the parameter alone.</summary>
    private static void Describe(OpenApiParameter parameter, string? operationId, OperationFilterContext context)
    {
        if (parameter.Name is null
            || !(Parameters.TryGetValue($"{operationId}.{parameter.Name}", out var rule) || Parameters.TryGetValue(parameter.Name, out rule)))
        {
            return;
        }

        parameter.Description ??= rule.Description;
        if (parameter.Schema is OpenApiSchema schema)
        {
            // A repeatable parameter's rules of length and pattern are those of each of its values.
            var each = schema.Items as OpenApiSchema ?? schema;
            if (rule.MaxLength is { } maxLength)
            {
                each.MaxLength = maxLength;
            }

            each.Pattern ??= rule.Pattern;
            if (rule.Minimum is { } minimum)
            {
                schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
            }

            if (rule.Maximum is { } maximum)
            {
                schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
            }

            if (rule.Default is { } value)
            {
                schema.Default = value;
            }

            var target = schema.Items as OpenApiSchema ?? schema;
            if (rule.Enum is { } values)
            {
                target.Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))];
                if (rule.EnumSchema is { } name)
                {
                    // A named enum schema, so generators make one type of it rather than an anonymous one per parameter.
                    var named = Named(name, values, context);
                    if (schema.Items is not null)
                    {
                        schema.Items = named;
                    }
                    else
                    {
                        parameter.Schema = named;
                    }
                }
            }

            if (rule.MaxItems is { } maxItems)
            {
                schema.MaxItems = maxItems;
            }
        }
    }

    /// <summary>A string enum under components/schemas, made once.</summary>
    private static OpenApiSchemaReference Named(string name, string[] values, OperationFilterContext context)
    {
        if (!context.SchemaRepository.Schemas.ContainsKey(name))
        {
            context.SchemaRepository.AddDefinition(name, new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))],
            });
        }

        return new OpenApiSchemaReference(name, context.Document);
    }

    private static void AddProblem(OpenApiOperation operation, OperationFilterContext context, int status, string description)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ContractDocument.ProblemSchema, context.Document) },
            },
        };
    }

    private static void DescribeResponses(OpenApiOperation operation, string method, OperationFilterContext context)
    {
        var tag = operation.Tags?.FirstOrDefault()?.Name;
        var single = context.ApiDescription.RelativePath?.EndsWith('}') == true || method != "GET";
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Description = status switch
            {
                "200" when method == "GET" => concrete.Description,
                "200" => "The record was already as asked (Registry-Write-Status: unchanged) or was changed (updated).",
                "201" => "The record was created.",
                "204" => "Done; no content.",
                "304" => "Not modified: the record's version is the one If-None-Match names. No body.",
                "401" => "No API key, or an unknown or revoked one.",
                "403" => "The key may not do this: another publisher's record, or an admin-only operation.",
                "404" => "No such record.",
                "409" => "The request conflicts with the current state, e.g. a duplicate natural key.",
                "410" => "The record was deleted.",
                "412" => "A precondition failed: If-Match names another version, or If-None-Match: * found a record.",
                _ => concrete.Description,
            };

            if (tag is not null && VersionedResources.Contains(tag) && single && status is "200" or "201")
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "The record's version as a strong ETag, e.g. \"1842\": send it back in If-None-Match or If-Match.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 22, Pattern = "^\"[0-9]+\"$" },
                };
                if (method != "GET")
                {
                    concrete.Headers[Http.RecordResults.WriteStatusHeader] = new OpenApiHeader
                    {
                        Description = "What the write did: created, updated, or unchanged (the same content again changes nothing and keeps the version).",
                        Schema = Named("WriteStatus", ["created", "updated", "unchanged"], context),
                    };
                }
            }
        }
    }
}
