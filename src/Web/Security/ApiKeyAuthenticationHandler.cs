using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Publishers;

namespace RuralRegistry.Web.Security;

internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>SHA-256 of the admin key given by REGISTRY_ADMIN_KEY, or null when there is none.</summary>
    public byte[]? AdminKeyHash { get; set; }
}

/// <summary>
/// Reads an API key from <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>. Requests without
/// one stay anonymous (reading needs no key); a key that is given but not known is refused at once.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IProblemDetailsService problemDetails) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AdminRole = "admin";
    public const string KeyIdClaim = "key_id";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length == 0 || key.Length > 200)
        {
            return AuthenticateResult.Fail("The API key is malformed: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        if (Options.AdminKeyHash is { } admin && CryptographicOperations.FixedTimeEquals(hash, admin))
        {
            return Success([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, AdminRole), new Claim(KeyIdClaim, "admin")]);
        }

        var holder = await Context.RequestServices.GetRequiredService<ApiKeys>().AuthenticateAsync(key, Context.RequestAborted);
        if (holder is null)
        {
            return AuthenticateResult.Fail("The API key is not valid: it is unknown, revoked or expired.");
        }

        var caller = holder.Caller;
        return Success(
        [
            new Claim(ClaimTypes.Name, caller.PublisherCode!),
            new Claim(KeyIdClaim, holder.KeyId.ToString()),
            new Claim(CallerExtensions.PublisherCodeClaim, caller.PublisherCode!),
            new Claim(CallerExtensions.PublisherIdClaim, caller.PublisherId!.Value.ToString()),
            .. holder.Scopes.Select(scope => new Claim(ScopeClaim, scope)),
            .. holder.Scopes.Contains(AdminRole) ? [new Claim(ClaimTypes.Role, AdminRole)] : Array.Empty<Claim>(),
        ]);
    }

    private static AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Unauthorized.",
            Detail = result.Failure?.Message
                ?? $"This operation needs an API key: send it as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'.",
        });
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden.",
            Detail = "The API key is valid but may not perform this operation: it lacks the scope the operation needs, or only an admin may.",
        });
    }

    private async Task WriteProblemAsync(ProblemDetails problem) =>
        await problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem });

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var apiKey))
        {
            return apiKey.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[bearer.Length..].Trim();
        }

        return authorization.Length > 0 ? string.Empty : null;
    }
}
