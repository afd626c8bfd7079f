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
    public const string MoneyRequestSchema = "MoneyRequest";
    public const string ContributionRequestSchema = "ContributionRequest";
    public const string BudgetRequestSchema = "BudgetRequest";

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

        AcceptAmountsAsNumbers(document);
        schemas[CreateProjectSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A project record as POST /v1/projects and every record of an import take it: a ProjectRequest that names its externalId.",
            // The requirement sits in an allOf part of its own, rather than beside the lone reference (for which Kiota
            // warned "Discriminator ProjectRequest is not inherited from CreateProjectRequest"), and says the member is a
            // string: ProjectRequest's externalId may be null (PUT by externalId takes it from the URL), a create's not.
            AllOf =
            [
                new OpenApiSchemaReference(nameof(ProjectRequest), document),
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "externalId" },
                    Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                    {
                        ["externalId"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            MaxLength = Domain.Projects.Project.ExternalIdMaxLength,
                            Pattern = ContractPatterns.ExternalId,
                            Description = "The publisher's own id of the project, never null here.",
                        },
                    },
                },
            ],
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

    /// <summary>
    /// A write takes an amount as decimal text or as a JSON number (read as its text, so the same rule applies), while
    /// a read always sends text: the requests' money gets schemas of its own (MoneyRequest, ContributionRequest,
    /// BudgetRequest), so the responses' amount stays a plain string for clients.
    /// </summary>
    private static void AcceptAmountsAsNumbers(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        var money = Copy((OpenApiSchema)schemas["MoneyDto"], "An amount of money as a write takes it: the amount as decimal text or as a JSON number.");
        var text = (OpenApiSchema)money.Properties!["amount"];
        // oneOf, not anyOf (the same here: no value is both a string and a number): NSwag reads a oneOf of primitives
        // as its first type (a string property), while of an anyOf it made an empty class no amount could be set in.
        money.Properties["amount"] = new OpenApiSchema
        {
            Description = text.Description,
            OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = text.MaxLength, Pattern = text.Pattern },
                new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "999999999999999", MultipleOf = 0.0001m, Description = "In plain decimal notation (no exponent)." },
            ],
        };
        var contribution = Copy((OpenApiSchema)schemas["ContributionDto"], "One source's contribution to a budget, as a write takes it.");
        contribution.Properties!["amount"] = Refer(contribution.Properties["amount"], MoneyRequestSchema, document);
        var budget = Copy((OpenApiSchema)schemas["BudgetDto"], "A budget as a write takes it.");
        budget.Properties!["total"] = Refer(budget.Properties["total"], MoneyRequestSchema, document);
        var contributions = (OpenApiSchema)budget.Properties["contributions"];
        budget.Properties["contributions"] = new OpenApiSchema
        {
            Type = contributions.Type,
            Description = contributions.Description,
            MaxItems = contributions.MaxItems,
            Items = new OpenApiSchemaReference(ContributionRequestSchema, document),
        };
        schemas[MoneyRequestSchema] = money;
        schemas[ContributionRequestSchema] = contribution;
        schemas[BudgetRequestSchema] = budget;

        var project = (OpenApiSchema)schemas[nameof(ProjectRequest)];
        project.Properties!["budget"] = Refer(project.Properties["budget"], BudgetRequestSchema, document);
        var participation = (OpenApiSchema)schemas["ParticipationRequest"];
        participation.Properties!["budgetShare"] = Refer(participation.Properties["budgetShare"], MoneyRequestSchema, document);
    }

    private static OpenApiSchema Copy(OpenApiSchema schema, string description) => new()
    {
        Type = schema.Type,
        Description = description,
        AdditionalPropertiesAllowed = schema.AdditionalPropertiesAllowed,
        Required = new HashSet<string>(schema.Required ?? new HashSet<string>(), StringComparer.Ordinal),
        Properties = schema.Properties!.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };

    /// <summary>The same member (description, nullability), referring to another schema.</summary>
    private static OpenApiSchema Refer(IOpenApiSchema member, string schema, OpenApiDocument document) => new()
    {
        Type = member.Type,
        Description = member.Description,
        AllOf = [new OpenApiSchemaReference(schema, document)],
    };

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
