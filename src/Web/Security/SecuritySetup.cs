using System.Security.Cryptography;
using System.Text;

namespace RuralRegistry.Web.Security;

internal static class SecuritySetup
{
    public const string AdminPolicy = "admin";
    public const string ProjectsWritePolicy = "projects:write";
    public const string PartnersWritePolicy = "partners:write";
    public const string ReferenceWritePolicy = "reference:write";
    public const string ImportsWritePolicy = "imports:write";
    public const string AdminKeyVariable = "REGISTRY_ADMIN_KEY";

    public static IServiceCollection AddRegistrySecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var adminKey = configuration[AdminKeyVariable];
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
                options.AdminKeyHash = string.IsNullOrWhiteSpace(adminKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(adminKey.Trim())));
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(ApiKeyAuthenticationHandler.AdminRole))
            .AddPolicy(ProjectsWritePolicy, policy => policy.RequireAssertion(context => HasScope(context.User, ProjectsWritePolicy)))
            .AddPolicy(PartnersWritePolicy, policy => policy.RequireAssertion(context => HasScope(context.User, PartnersWritePolicy)))
            .AddPolicy(ReferenceWritePolicy, policy => policy.RequireAssertion(context => HasScope(context.User, ReferenceWritePolicy)))
            .AddPolicy(ImportsWritePolicy, policy => policy.RequireAssertion(context => HasScope(context.User, ImportsWritePolicy)));
        return services;
    }

    /// <summary>The admin may do everything; a publisher's key what its scopes say.</summary>
    private static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope) =>
        user.IsInRole(ApiKeyAuthenticationHandler.AdminRole) || user.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope);
}
