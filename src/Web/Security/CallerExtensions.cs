using System.Security.Claims;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Web.Security;

internal static class CallerExtensions
{
    public const string PublisherIdClaim = "publisher_id";
    public const string PublisherCodeClaim = "publisher";

    /// <summary>The writer behind an authenticated request: an admin, or the publisher whose key it is.</summary>
    public static Caller Caller(this ClaimsPrincipal user)
    {
        if (user.IsInRole(ApiKeyAuthenticationHandler.AdminRole))
        {
            return Application.Common.Caller.Admin;
        }

        var id = user.FindFirstValue(PublisherIdClaim);
        var code = user.FindFirstValue(PublisherCodeClaim);
        return id is not null && code is not null
            ? Application.Common.Caller.ForPublisher(Guid.Parse(id), code)
            : throw new InvalidOperationException("An authenticated request carries neither the admin role nor a publisher.");
    }
}
