using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

/// <summary>The document-wide parts of the contract: who runs it, where it is served, its tags and the problem details schema.</summary>
internal sealed class ContractDocument : IDocumentFilter
{
    public const string ProblemSchema = "ProblemDetails";
    public const string FieldErrorSchema = "ProblemFieldError";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Projects"] = "Project records, owned by their publisher. Reading needs no key; writing needs the owning publisher's key. CI scripts create or replace them idempotently by their own externalId.",
        ["Partners"] = "Organisations that take part in projects. Any publisher's project may name a partner; only the publisher that registered it may change it.",
        ["Funding measures"] = "Reference data: the hierarchy of funding programmes, priorities, measures and actions a project is financed from. Admins write it.",
        ["Goals"] = "Reference data: the policy goals (EU and national network objectives) a project serves. Admins write it.",
        ["Publishers"] = "The organisations that publish project records, and their API keys. Admins register publishers and issue keys.",
        ["Changes"] = "The change feed: every create, update and delete in sequence order, never skipping one, for mirrors that keep a copy in sync.",
        ["Audit"] = "The audit log of write requests, for admins.",
        ["Statistics"] = "Counts and budget sums of projects per country, publisher, funding measure, goal, status or start year, under the same filters as the project list.",
        ["Imports"] = "Batch imports for publishers' CI jobs: a whole catalogue in one request (JSON array or NDJSON), each record created, updated, left unchanged or refused, with a report kept per import.",
        ["Exports"] = "Whole collections in one streamed download (NDJSON, CSV), each stating the change-feed cursor to follow on from.",
    };

    /// <summary>The order in which Swagger UI and ReDoc list the tags.</summary>
    public static readonly string[] TagOrder =
        ["Projects", "Partners", "Funding measures", "Goals", "Changes", "Exports", "Statistics", "Imports", "Publishers", "Audit"];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        // The project has published no contact address or licence yet: the contact names the maintainers only,
        // and the licence is left out (openapi/redocly.yaml switches its rule off, saying why).
        document.Info.Contact = new OpenApiContact { Name = "Rural Network Projects Registry maintainers" };
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "The production deployment serving this document (same origin); a local one under deploy/local/run.sh serves the same contract.",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(false) },
            },
            new OpenApiServer
            {
                // An absolute URL for client generators (Kiota takes the first absolute one as its base URL); set the
                // client's base address to the deployment it talks to.
                Url = "http://127.0.0.1:8080",
                Description = "A local deployment: deploy/local/run.sh serves the API and the demo data here.",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(false) },
            },
        ];

        // Swagger UI and ReDoc list the tags in this order: what a reader needs first, the admin's last.
        document.Tags = new HashSet<OpenApiTag>(
            TagOrder.Select(name => new OpenApiTag { Name = name, Description = TagDescriptions[name] }));

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[FieldErrorSchema] = FieldError();
        document.Components.Schemas[ProblemSchema] = Problem(document);
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema FieldError() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "One failing input: a body member named by a JSON pointer, or a query parameter or header named by its name.",
        AdditionalPropertiesAllowed = false,
        Required = new HashSet<string> { "detail" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["pointer"] = Text("JSON pointer (RFC 6901) to the failing member of the body, e.g. /budget/total/currency; empty for the body as a whole."),
            ["parameter"] = Text("The failing query parameter or header, e.g. pageSize or If-Match."),
            ["detail"] = Text("What is wrong with it, and what is accepted."),
        },
    };

    private static OpenApiSchema Problem(OpenApiDocument document) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem details object, sent as application/problem+json for every error.",
        AdditionalPropertiesAllowed = false,
        Required = new HashSet<string> { "type", "title", "status", "detail", "instance", "traceId" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the kind of problem: the defining section of the status code's RFC unless the problem has a type of its own."),
            ["title"] = Text("A short, human-readable summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong with this request, in words."),
            ["instance"] = Text("The request's path."),
            ["traceId"] = Text("The request's trace id: quote it when reporting a problem."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Validation problems (400) only: each failing field or parameter with its message.",
                Items = new OpenApiSchemaReference(FieldErrorSchema, document),
            },
            ["exception"] = Text("Development environment only, on 500: the exception as text. Never sent in production."),
            ["importId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "Imports only (409 in progress, 500 and 503 for one stopped before its end): the import the problem is about." },
            ["processed"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Format = "int32",
                Minimum = "0",
                Maximum = "2147483647",
                Description = "An import stopped before its end only (500, 503): how many of its records had their outcome in batches committed before it stopped (0 for atomic and dry-run imports).",
            },
        },
    };
}
