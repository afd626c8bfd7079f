using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.Partners;
using RuralRegistry.Application.Projects;
using RuralRegistry.Web.Http;
using RuralRegistry.Web.Paging;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Projects;
using RuralRegistry.Web.Security;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Partners;

internal static class PartnersApi
{
    public static IEndpointRouteBuilder MapPartners(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/partners").WithTags("Partners");

        group.MapGet("/", ListPartnersAsync)
            .WithName("listPartners")
            .WithSummary("List partners")
            .WithDescription("Live partners in registration order, paged by an opaque keyset token. q finds the partners one of whose names holds every word (ignoring case and diacritics) or whose acronym is the word; country and kind match any of their values.")
            .AllowQuery("q", "country*", "kind*", PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/", CreatePartnerAsync)
            .WithName("createPartner")
            .WithSummary("Register a partner")
            .WithDescription("The partner belongs to the caller's publisher: only it (or an admin) may change or delete it; any publisher's projects may name it. An identifier names one partner only (409 when taken).")
            .RequireAuthorization(SecuritySetup.PartnersWritePolicy)
            .AllowQuery()
            .Accepts<PartnerRequest>("application/json")
            .WritesProblems(StatusCodes.Status409Conflict);

        group.MapGet("/{id:guid}", GetPartnerAsync)
            .WithName("getPartner")
            .WithSummary("Get a partner")
            .WithDescription("Sends the record's version as its ETag and answers If-None-Match with 304. A deleted partner answers 410.")
            .AllowQuery()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapPut("/{id:guid}", ReplacePartnerAsync)
            .WithName("replacePartner")
            .WithSummary("Replace a partner")
            .WithDescription("Only the owning publisher or an admin. Honours If-Match.")
            .RequireAuthorization(SecuritySetup.PartnersWritePolicy)
            .AllowQuery()
            .Accepts<PartnerRequest>("application/json")
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed);

        group.MapPatch("/{id:guid}", PatchPartnerAsync)
            .WithName("patchPartner")
            .WithSummary("Change part of a partner")
            .WithDescription("A JSON merge patch (RFC 7396) of the partner's writable members. Only the owning publisher or an admin. Honours If-Match.")
            .RequireAuthorization(SecuritySetup.PartnersWritePolicy)
            .AllowQuery()
            .Accepts<PartnerRequest>(MergePatch.MediaType)
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed);

        group.MapDelete("/{id:guid}", DeletePartnerAsync)
            .WithName("deletePartner")
            .WithSummary("Delete a partner")
            .WithDescription("Only a partner no live project names (409 otherwise), by its owner or an admin. Honours If-Match.")
            .RequireAuthorization(SecuritySetup.PartnersWritePolicy)
            .AllowQuery()
            .Produces(StatusCodes.Status204NoContent)
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed);

        group.MapGet("/{id:guid}/projects", ListPartnerProjectsAsync)
            .WithName("listPartnerProjects")
            .WithSummary("List a partner's projects")
            .WithDescription("Live projects the partner takes part in, most recently changed first.")
            .AllowQuery(PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<Results<Ok<PageResponse<PartnerResponse>>, ProblemHttpResult>> ListPartnersAsync(
        string? q, string[]? country, string[]? kind, int? pageSize, string? pageToken, PartnerQueries queries, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await queries.ListAsync(new ListPartnersQuery(pageSize, pageToken, q, country, kind), cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(PageResponse<PartnerResponse>.From(result.Value!, request));
    }

    private static async Task<Results<Ok<PartnerResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetPartnerAsync(
        Guid id, PartnerQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await queries.GetAsync(id, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        return RecordResults.Read(http, result.Value!, result.Value!.Version);
    }

    private static async Task<Results<StoredJsonResult<PageResponse<ProjectResponse>>, ProblemHttpResult>> ListPartnerProjectsAsync(
        Guid id, int? pageSize, string? pageToken, PartnerQueries partners, ListProjects projects, HttpRequest request, CancellationToken cancellationToken)
    {
        var partner = await partners.GetAsync(id, cancellationToken);
        if (partner.Failure is { Kind: FailureKind.NotFound } missing)
        {
            return missing.ToProblem();
        }

        var result = await projects.HandleAsync(new ListProjectsQuery(new ProjectFilterInput { Partner = [id.ToString()] }, null, pageSize, pageToken), cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : ProjectsApi.StoredPage(result.Value!, request);
    }

    private static async Task<Results<Created<PartnerResponse>, Ok<PartnerResponse>, ProblemHttpResult>> CreatePartnerAsync(
        PartnerRequest body, ClaimsPrincipal user, PartnerWriter writer, PartnerQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        var details = PartnerWriter.Validate(body);
        if (details.Failure is { } invalid)
        {
            return invalid.ToProblem();
        }

        var written = await writer.CreateAsync(user.Caller(), details.Value!, cancellationToken);
        return await RespondAsync(written, queries, http, cancellationToken);
    }

    private static async Task<Results<Created<PartnerResponse>, Ok<PartnerResponse>, ProblemHttpResult>> ReplacePartnerAsync(
        Guid id, PartnerRequest body, ClaimsPrincipal user, PartnerWriter writer, PartnerQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        var preconditions = http.Request.Preconditions();
        if (preconditions.Failure is { } malformed)
        {
            return malformed.ToProblem();
        }

        var details = PartnerWriter.Validate(body);
        if (details.Failure is { } invalid)
        {
            return invalid.ToProblem();
        }

        var written = await writer.ReplaceAsync(user.Caller(), id, details.Value!, preconditions.Value!, cancellationToken);
        return await RespondAsync(written, queries, http, cancellationToken);
    }

    /// <summary>Merges the patch into the partner as read and writes it back only if it is still at that version (retried when the client set no If-Match).</summary>
    private static async Task<Results<Created<PartnerResponse>, Ok<PartnerResponse>, ProblemHttpResult>> PatchPartnerAsync(
        Guid id, ClaimsPrincipal user, PartnerWriter writer, PartnerQueries queries, RegistryResilience resilience, IOptions<JsonOptions> json, HttpContext http,
        CancellationToken cancellationToken)
    {
        var given = http.Request.Preconditions();
        if (given.Failure is { } malformed)
        {
            return malformed.ToProblem();
        }

        var patch = await MergePatch.ReadAsync(http.Request, cancellationToken);
        if (patch.Failure is { } unreadable)
        {
            return unreadable.ToProblem();
        }

        // Without If-Match the patch applies to the version just read; a write in between fails that implied
        // precondition, and the patch is read and applied again (RegistryResilience.ImplicitPrecondition).
        var implicitCondition = given.Value!.IfMatchVersion is null && !given.Value.IfMatchAny;
        async ValueTask<Result<Written<Guid>>> PatchAsync(CancellationToken token)
        {
            var current = await queries.GetAsync(id, token);
            if (current.Failure is { } missing)
            {
                return missing;
            }

            var p = current.Value!;
            var editable = new PartnerRequest(
                p.Name.ToDictionary(e => e.Key, e => (string?)e.Value), p.Acronym, p.Kind, p.Country, p.Region, p.Website, p.Email, p.Identifiers);
            var patched = MergePatch.Apply(editable, patch.Value!, json);
            if (patched.Failure is { } invalid)
            {
                return invalid;
            }

            var details = PartnerWriter.Validate(patched.Value!);
            if (details.Failure is { } refused)
            {
                return refused;
            }

            var preconditions = implicitCondition ? given.Value with { IfMatchVersion = p.Version } : given.Value;
            return await writer.ReplaceAsync(user.Caller(), id, details.Value!, preconditions, token);
        }

        var written = implicitCondition
            ? await resilience[RegistryResilience.ImplicitPrecondition].ExecuteAsync(PatchAsync, cancellationToken)
            : await PatchAsync(cancellationToken);
        return await RespondAsync(written, queries, http, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeletePartnerAsync(
        Guid id, ClaimsPrincipal user, PartnerWriter writer, HttpRequest request, CancellationToken cancellationToken)
    {
        var preconditions = request.Preconditions();
        if (preconditions.Failure is { } malformed)
        {
            return malformed.ToProblem();
        }

        var result = await writer.DeleteAsync(user.Caller(), id, preconditions.Value!, cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Created<PartnerResponse>, Ok<PartnerResponse>, ProblemHttpResult>> RespondAsync(
        Result<Written<Guid>> written, PartnerQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        if (written.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var read = await queries.GetAsync(written.Value!.Value, cancellationToken);
        if (read.Failure is { } gone)
        {
            return gone.ToProblem();
        }

        var partner = read.Value!;
        return RecordResults.Written(http, written.Value.Status, partner, partner.Version, $"/v1/partners/{partner.Id}");
    }
}
