using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using RuralRegistry.Web.Problems;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// An example request and response for every operation. Records come from OpenApi/Examples/*.json, real
/// responses of the API loaded with the demo data (refreshed by tools/contract/capture-examples.py), named
/// after the schema they show; problems are written here, one per status.
/// </summary>
internal sealed class ContractExamples : IOperationFilter
{
    private static readonly Lazy<Dictionary<string, string>> Files = new(Load);

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            foreach (var (mediaType, content) in body.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                var name = mediaType == Http.MergePatch.MediaType
                    ? operation.Tags?.FirstOrDefault()?.Name?.TrimEnd('s') + "Patch"
                    : SchemaName(content);
                SetExample(content, name);
            }
        }

        var path = "/" + (context.ApiDescription.RelativePath ?? string.Empty);
        foreach (var (status, response) in operation.Responses ?? [])
        {
            foreach (var (mediaType, content) in (response as OpenApiResponse)?.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                if (mediaType == "application/problem+json" && content is OpenApiMediaType problem)
                {
                    problem.Example = Problem(int.Parse(status, CultureInfo.InvariantCulture), path);
                }
                else
                {
                    SetExample(content, SchemaName(content));
                }
            }
        }
    }

    /// <summary>The schema a body shows: a referenced schema by its name, an array of one by its name and <c>List</c>.</summary>
    private static string? SchemaName(IOpenApiMediaType content) => content.Schema switch
    {
        OpenApiSchemaReference reference => reference.Reference.Id,
        OpenApiSchema { Items: OpenApiSchemaReference items } => items.Reference.Id + "List",
        _ => null,
    };

    private static void SetExample(IOpenApiMediaType content, string? name)
    {
        if (content is OpenApiMediaType concrete && name is not null && Files.Value.TryGetValue(name, out var json))
        {
            concrete.Example = JsonNode.Parse(json);
        }
    }

    private static JsonObject Problem(int status, string path)
    {
        var title = status switch
        {
            400 => "The request is invalid.",
            401 => "Unauthorized",
            403 => "Forbidden.",
            404 => "Not found.",
            409 => "The request conflicts with the current state.",
            410 => "Gone.",
            412 => "Precondition failed.",
            413 => "Payload Too Large",
            415 => "Unsupported Media Type",
            500 => "An unexpected error occurred.",
            _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
        };
        var detail = status switch
        {
            400 => "Unknown query parameter 'pagesize'. This operation accepts: pageSize, pageToken, partner, publisher.",
            401 => "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.",
            403 => "The project belongs to the publisher pl-ksow; this key writes lt-kaimo-tinklas's records only.",
            404 => "No record has this id.",
            409 => "The publisher pl-ksow already has a project with externalId ksow-2022-wspolpraca-laczy-regiony.",
            410 => "The record was deleted.",
            412 => "The record is at version 1842, not 1841 as If-Match says; fetch it again and retry.",
            413 => "The body is larger than 1 MiB.",
            415 => "Send the body as application/json.",
            500 => "The server failed to complete the request. Quote the traceId when you report it.",
            _ => title,
        };
        var problem = new JsonObject
        {
            ["type"] = status == 400 ? ProblemTypes.Validation : ProblemTypes.ForStatus(status),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = path.Replace("{id}", "01a20472-0a42-7e63-9880-6fbe22bde5ab", StringComparison.Ordinal)
                .Replace("{code}", "pl-ksow", StringComparison.Ordinal)
                .Replace("{keyId}", "01a20472-1f8e-7d21-8a4b-3c5d6e7f8a9b", StringComparison.Ordinal)
                .Replace("{externalId}", "ksow-2022-wspolpraca-laczy-regiony", StringComparison.Ordinal),
            ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        };
        if (status == 400)
        {
            problem["errors"] = new JsonArray(new JsonObject { ["parameter"] = "pagesize", ["detail"] = detail });
        }

        return problem;
    }

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(ContractExamples).Assembly;
        var examples = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Examples.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            examples[resource["Examples.".Length..^".json".Length]] = reader.ReadToEnd();
        }

        return examples;
    }
}
