using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using RuralRegistry.Application.Audit;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Domain.Audit;
using RuralRegistry.Web.Paging;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Security;

namespace RuralRegistry.Web.Audit;

internal static class AuditApi
{
    /// <summary>Every write request by a known caller (accepted or refused) goes into the audit log once it is answered.</summary>
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app) =>
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            await next(context);
            var method = context.Request.Method;
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
                || context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value is not { } keyId)
            {
                return;
            }

            var entry = new AuditEntry(
                DateTimeOffset.UtcNow,
                context.User.Identity?.Name ?? "unknown",
                keyId,
                method,
                context.Request.Path + context.Request.QueryString,
                context.Response.StatusCode,
                Activity.Current?.Id ?? context.TraceIdentifier);
            try
            {
                await context.RequestServices.GetRequiredService<AuditLog>().RecordAsync(entry, CancellationToken.None);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditApi))
                    .LogError(exception, "The audit entry of {Method} {Path} by {Actor} could not be written", method, entry.Path, entry.Actor);
            }
        });

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/audit", ListAuditAsync)
            .WithTags("Audit")
            .WithName("listAuditEntries")
            .WithSummary("Read the audit log")
            .WithDescription("Admin only. Every write request by a known key, accepted or refused: who (publisher or admin), which key, what (method, path, status) and when, newest first. Filter by actor.")
            .RequireAuthorization(SecuritySetup.AdminPolicy)
            .AllowQuery("actor", PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return routes;
    }

    private static async Task<Results<Ok<PageResponse<AuditEntryResponse>>, ProblemHttpResult>> ListAuditAsync(
        string? actor, int? pageSize, string? pageToken, AuditLog audit, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await audit.ListAsync(new ListAuditQuery(actor, pageSize, pageToken), cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(PageResponse<AuditEntryResponse>.From(result.Value!, request));
    }
}
