using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using RuralRegistry.Web.Security;
using Swashbuckle.AspNetCore.Swagger;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace RuralRegistry.Web.OpenApi;

internal static class SwaggerSetup
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "bearerKey";
    public const string HeaderScheme = "headerKey";

    public static IServiceCollection AddRegistrySwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            // Written as the status code of the import's answer (Imports/ImportResultJson).
            options.MapType<Domain.Imports.ImportResult>(() => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" });
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Rural Network Projects Registry",
                Version = "v1",
                Description = "Records of rural-development projects across the EU's languages: LEADER cooperation projects of local action groups, national rural network projects and projects of local-government unions. Reading needs no key; writing needs an API key of the publisher that owns the record.",
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key sent as 'Authorization: Bearer <key>'.",
            });
            options.AddSecurityDefinition(HeaderScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = $"An API key sent as '{ApiKeyAuthenticationHandler.HeaderName}: <key>'.",
            });
            options.OperationFilter<ApiKeySecurityOperationFilter>();
            options.OperationFilter<ContractOperations>();
            options.OperationFilter<ContractExamples>();
            options.DocumentFilter<ContractDocument>();
            options.DocumentFilter<ContractSchemaLimits>();
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            options.IncludeXmlComments(typeof(Application.DependencyInjection).Assembly);
            options.IncludeXmlComments(typeof(SwaggerSetup).Assembly);
        });
        services.Configure<SwaggerOptions>(options => options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0);
        return services;
    }

    /// <summary>ReDoc at <c>/docs</c>: a read-only reference of the same contract. Its script is embedded in the package, so the page needs no CDN.</summary>
    public static IApplicationBuilder UseRegistryReDoc(this IApplicationBuilder app) =>
        app.UseReDoc(options =>
        {
            options.RoutePrefix = "docs";
            options.DocumentTitle = "Rural Network Projects Registry API reference";
            options.SpecUrl = $"/swagger/{DocumentName}/swagger.json";
        });

    /// <summary>Operations that need an API key say so, with either way of sending it.</summary>
    private sealed class ApiKeySecurityOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var needsKey = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any();
            if (!needsKey)
            {
                return;
            }

            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, context.Document)] = [] },
            ];
        }
    }
}
