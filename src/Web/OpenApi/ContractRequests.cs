using Microsoft.OpenApi;
using RuralRegistry.Application.Projects;
using RuralRegistry.Web.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// What the request schemas require, as the validators do: the members a write must give are <c>required</c> and not
/// nullable, everything else may be left out (absent or null: not stated). Where operations differ, they get schemas
/// of their own: a create and an import need the <c>externalId</c> (<see cref="CreateProjectSchema"/>), a merge patch
/// requires nothing (<see cref="ProjectPatchSchema"/>, <see cref="PartnerPatchSchema"/>).
/// <c>ContractRequestsTests</c> checks every member of these tables against the server, in both directions.
/// </summary>
internal sealed class ContractRequests : IDocumentFilter
{
    public const string CreateProjectSchema = "CreateProjectRequest";
    public const string ProjectPatchSchema = "ProjectPatch";
    public const string PartnerPatchSchema = "PartnerPatch";

    /// <summary>The requests other than a project's: their validators' required members.</summary>
    private static readonly Dictionary<string, string[]> OtherRequired = new(StringComparer.Ordinal)
    {
        ["PartnerRequest"] = ["name"],
        ["FundingMeasureRequest"] = ["scheme", "code", "level", "name"],
        ["GoalRequest"] = ["scheme", "code", "level", "name"],
        ["CreatePublisherRequest"] = ["code", "name"],
        ["CreateApiKeyRequest"] = ["name"],
    };

    /// <summary>Operations whose project body must name its externalId (a create; every record of an import).</summary>
    private static readonly HashSet<string> KeyedByBody = new(StringComparer.Ordinal) { "createProject", "importProjects" };

    public static IEnumerable<KeyValuePair<string, string[]>> Required => ProjectRequestValidator.RequiredMembers.Concat(OtherRequired);

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var (schemaName, members) in Required)
        {
            if (schemas.TryGetValue(schemaName, out var found) && found is OpenApiSchema schema)
            {
                Require(schema, members);
            }
        }

        schemas[CreateProjectSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A project record as POST /v1/projects and every record of an import take it: a ProjectRequest that names its externalId.",
            AllOf = [new OpenApiSchemaReference(nameof(ProjectRequest), document)],
            Required = new HashSet<string> { "externalId" },
        };
        schemas[ProjectPatchSchema] = PatchOf(schemas[nameof(ProjectRequest)], "A JSON merge patch (RFC 7396) of a project's writable members: members given replace the current ones, null removes one. The result must be a valid ProjectRequest.");
        schemas[PartnerPatchSchema] = PatchOf(schemas["PartnerRequest"], "A JSON merge patch (RFC 7396) of a partner's writable members: members given replace the current ones, null removes one. The result must be a valid PartnerRequest.");

        foreach (var (_, path) in document.Paths)
        {
            foreach (var (_, operation) in path.Operations ?? [])
            {
                UseOperationSchemas(operation, document);
            }
        }
    }

    /// <summary>A required member is given and not null.</summary>
    private static void Require(OpenApiSchema schema, string[] members)
    {
        schema.Required ??= new HashSet<string>();
        foreach (var member in members)
        {
            if (schema.Properties?.TryGetValue(member, out var property) != true)
            {
                throw new InvalidOperationException($"The contract's rule names {member}, which the schema does not have.");
            }

            schema.Required.Add(member);
            if (property is OpenApiSchema concrete && concrete.Type is { } type)
            {
                concrete.Type = type & ~JsonSchemaType.Null;
            }
        }
    }

    private static OpenApiSchema PatchOf(IOpenApiSchema request, string description) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        AdditionalPropertiesAllowed = false,
        Properties = request.Properties!.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };

    private static void UseOperationSchemas(OpenApiOperation operation, OpenApiDocument document)
    {
        foreach (var (mediaType, content) in (operation.RequestBody as OpenApiRequestBody)?.Content ?? new Dictionary<string, IOpenApiMediaType>())
        {
            if (content is not OpenApiMediaType media)
            {
                continue;
            }

            if (mediaType == MergePatch.MediaType)
            {
                media.Schema = Refers(media.Schema, nameof(ProjectRequest)) ? new OpenApiSchemaReference(ProjectPatchSchema, document)
                    : Refers(media.Schema, "PartnerRequest") ? new OpenApiSchemaReference(PartnerPatchSchema, document)
                    : media.Schema;
            }
            else if (operation.OperationId is { } id && KeyedByBody.Contains(id))
            {
                if (media.Schema is OpenApiSchema { Items: { } items } batch && Refers(items, nameof(ProjectRequest)))
                {
                    batch.Items = new OpenApiSchemaReference(CreateProjectSchema, document);
                }
                else if (Refers(media.Schema, nameof(ProjectRequest)))
                {
                    media.Schema = new OpenApiSchemaReference(CreateProjectSchema, document);
                }
            }
        }
    }

    private static bool Refers(IOpenApiSchema? schema, string name) => schema switch
    {
        OpenApiSchemaReference reference => reference.Reference.Id == name,
        OpenApiSchema { AllOf: [OpenApiSchemaReference reference] } => reference.Reference.Id == name,
        _ => false,
    };
}
