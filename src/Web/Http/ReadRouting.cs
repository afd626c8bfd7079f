using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Web.Security;

namespace RuralRegistry.Web.Http;

/// <summary>
/// Sends anonymous reads to the read replicas (when <c>ConnectionStrings:RegistryReplicas</c> is set) and says in
/// <see cref="Header"/> which server answered a read. Everything else stays on the primary: writes; keyed requests, so
/// a publisher always reads its own writes; imports; the audit log; and the change feed, whose pages must hold
/// every change below the bound the primary gives (a lagging standby could miss some). Exports are read on a
/// standby once it has replayed what the primary had committed when the export's cursor was taken.
/// </summary>
internal static class ReadRouting
{
    public const string Header = "Registry-Read-From";
    public const string Standby = "standby";
    public const string Primary = "primary";

    /// <summary>The paths whose anonymous reads a replica may serve.</summary>
    public static readonly string[] ReplicaPaths =
        ["/v1/projects", "/v1/partners", "/v1/funding-measures", "/v1/goals", "/v1/stats", "/v1/exports", "/v1/publishers"];

    /// <summary>Before any middleware that may use the database: the route is fixed by the request's first database use.</summary>
    public static IApplicationBuilder UseReadRouting(this IApplicationBuilder app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var request = context.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !request.Path.StartsWithSegments("/v1"))
            {
                await next(context);
                return;
            }

            var route = context.RequestServices.GetRequiredService<ReadRoute>();
            if (Anonymous(request) && ReplicaPaths.Any(path => request.Path.StartsWithSegments(path)))
            {
                route.UseReplicas();
            }

            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = route.ServedByStandby ? Standby : Primary;
                return Task.CompletedTask;
            });
            await next(context);
        });

    /// <summary>No key is sent (a key, even a wrong one, makes the request the key holder's: primary).</summary>
    private static bool Anonymous(HttpRequest request) =>
        request.Headers.Authorization.Count == 0 && !request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName);
}
