using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// Streamed bodies typed as streams: an NDJSON body (an export, an import's lines) and a CSV file are binary strings,
/// which generated clients read and send as streams (NSwag's FileResponse, Kiota's Stream, openapi-typescript's
/// Blob) instead of parsing the whole stream as one JSON value. What each NDJSON line holds is the schema named by
/// <c>x-ndjson-line</c>.
/// </summary>
internal sealed class ContractStreams : IDocumentFilter
{
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string LineExtension = "x-ndjson-line";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            var bodies = ((operation.RequestBody as OpenApiRequestBody)?.Content ?? new Dictionary<string, IOpenApiMediaType>())
                .Concat((operation.Responses ?? []).Values.SelectMany(r => r.Content?.AsEnumerable() ?? []));
            foreach (var (mediaType, content) in bodies)
            {
                if (content is not OpenApiMediaType media)
                {
                    continue;
                }

                if (mediaType == NdjsonMediaType && media.Schema is OpenApiSchemaReference line)
                {
                    media.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Format = "binary",
                        MaxLength = int.MaxValue,
                        Description = $"NDJSON: one {line.Reference.Id} per line, each line a JSON object followed by a line feed.",
                        Extensions = new Dictionary<string, IOpenApiExtension>
                        {
                            [LineExtension] = new JsonNodeExtension(new JsonObject { ["$ref"] = $"#/components/schemas/{line.Reference.Id}" }),
                        },
                    };
                }
                else if (mediaType == "text/csv" && media.Schema is OpenApiSchema csv)
                {
                    csv.Format = "binary";
                }
            }
        }
    }
}
