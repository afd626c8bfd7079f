using System.Security.Cryptography;
using System.Text;

namespace RuralRegistry.Web.Security;

internal static class SecuritySetup
{
    public const string AdminPolicy = "admin";
    public const string AdminKeyVariable = "REGISTRY_ADMIN_KEY";

    public static IServiceCollection AddRegistrySecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var adminKey = configuration[AdminKeyVariable];
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
                options.AdminKeyHash = string.IsNullOrWhiteSpace(adminKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(adminKey.Trim())));
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(ApiKeyAuthenticationHandler.AdminRole));
        return services;
    }
}
