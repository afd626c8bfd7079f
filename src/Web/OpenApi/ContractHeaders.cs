using Microsoft.OpenApi;
using RuralRegistry.Web.Exports;
using RuralRegistry.Web.Http;
using RuralRegistry.Web.Imports;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// Every header the API reads or sends, on the operations that read or send it: the conditional headers of single
/// records, an import's Idempotency-Key and Prefer, and the headers of answers (ETag, Location, Registry-Write-Status,
/// Registry-Change-Cursor, Link, Idempotent-Replayed, Preference-Applied). A header the answer always carries is
/// <c>required</c>; the contract tests check those are sent.
/// </summary>
internal sealed class ContractHeaders : IOperationFilter
{
    private static readonly HashSet<string> VersionedResources = new(StringComparer.Ordinal) { "Projects", "Partners", "Funding measures", "Goals" };

    private static readonly OpenApiSchema ETagValue = new() { Type = JsonSchemaType.String, MaxLength = 22, Pattern = "^(\"[0-9]+\"|\\*)$" };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var method = context.ApiDescription.HttpMethod ?? "GET";
        var single = context.ApiDescription.RelativePath?.EndsWith('}') == true;
        var tag = operation.Tags?.FirstOrDefault()?.Name;
        var versioned = tag is not null && VersionedResources.Contains(tag) && single;

        if (versioned && method == "GET")
        {
            AddParameter(operation, "If-None-Match", "The ETag of the version the client holds, e.g. \"1842\": answered 304 without a body while it is current.", ETagValue);
        }

        if (versioned && method is "PUT" or "PATCH" or "DELETE")
        {
            AddParameter(operation, "If-Match", "Write only if the record is at this version (its ETag, e.g. \"1842\", or * for any existing record); else 412.", ETagValue);
            if (method == "PUT")
            {
                AddParameter(operation, "If-None-Match", "* : create only, never replace (412 when the record exists).", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1, Pattern = "^\\*$" });
            }
        }

        if (operation.OperationId == "importProjects")
        {
            AddParameter(operation, ImportsApi.IdempotencyKeyHeader, $"Makes a retry safe: the same key with the same body and options gets the first answer (Idempotent-Replayed: true) without writing again; the same key with another request is 422. 1 to {Domain.Imports.Import.IdempotencyKeyMaxLength} printable ASCII characters. A nightly job derives it from the file and the run (e.g. the SHA-256 of the file and the job's run id), so a retry of one run replays and the next night's run imports again.", new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Domain.Imports.Import.IdempotencyKeyMaxLength, Pattern = "^[ -~]+$" });
            AddParameter(operation, "Prefer", "respond-async: answer 202 as soon as the body is received; GET the Location for progress and outcome.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 });
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse answer)
            {
                continue;
            }

            if (answer.Headers is { } headers)
            {
                foreach (var name in new[] { "ETag", RecordResults.WriteStatusHeader, "Location" })
                {
                    if (headers.TryGetValue(name, out var header) && header is OpenApiHeader concrete)
                    {
                        concrete.Required = true;
                    }
                }
            }

            if (status == "200" && (answer.Content?.ContainsKey(ContractStreams.NdjsonMediaType) == true || answer.Content?.ContainsKey("text/csv") == true))
            {
                AddHeader(answer, ExportsApi.CursorHeader, "The change-feed cursor the export is consistent with: every change up to it is in the export; follow the feed with after = this cursor.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Maximum = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) }, required: true);
                if (answer.Content.ContainsKey("text/csv"))
                {
                    AddHeader(answer, "Link", "</v1/exports/projects.columns.json>; rel=\"describedby\": the description of every column.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 }, required: true);
                }
            }

            if (method == "GET" && context.ApiDescription.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true && status.StartsWith('2'))
            {
                AddHeader(answer, ReadRouting.Header, $"Which server answered: {ReadRouting.Standby} (a read replica, which may lag the primary by a moment: anonymous reads) or {ReadRouting.Primary} (requests with a key, the change feed, imports; and every read when no replica is configured or none answers).", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 7, Enum = [ReadRouting.Standby, ReadRouting.Primary] }, required: false);
            }

            if (operation.OperationId == "importProjects" && status is "200" or "202" or "207" or "422")
            {
                AddHeader(answer, "Idempotent-Replayed", "true when this is the stored answer of an earlier request with the same Idempotency-Key (nothing was written again).", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 4, Pattern = "^true$" }, required: false);
            }

            if (operation.OperationId == "importProjects" && status == "202")
            {
                AddHeader(answer, "Preference-Applied", "respond-async: the Prefer header was honoured.", new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 13, Pattern = "^respond-async$" }, required: true);
            }
        }
    }

    private static void AddParameter(OpenApiOperation operation, string name, string description, OpenApiSchema schema)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Header))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Header, Description = description, Schema = schema });
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, OpenApiSchema schema, bool required)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = schema, Required = required };
    }
}
