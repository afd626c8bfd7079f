using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.Projects;
using RuralRegistry.Web.Http;
using RuralRegistry.Web.Paging;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Security;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Projects;

internal static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/projects").WithTags("Projects");

        group.MapGet("/", ListProjectsAsync)
            .WithName("listProjects")
            .WithSummary("List projects")
            .WithDescription("Live projects that pass every filter given (a list-valued filter matches any of its values), paged by an opaque keyset token. " +
                "q searches titles, summaries, descriptions, objectives, activity titles and partner names in every language, ignoring case and diacritics, the last word also as a prefix and words of 5 letters or more with one typo; title matches rank first. " +
                "sort: relevance (the default with q), -updatedAt (the default otherwise), startDate, -startDate or title; partial dates count as the first day they name, projects without a start date come last. " +
                "A walk through the pages is stable: a record that stays unchanged meanwhile is seen exactly once, and one changed during the walk is not seen again in it. To copy the registry, load an export and follow the change feed.")
            .AllowQuery([.. ProjectFilterQuery.Allowed, "sort", PageSize.ParameterName, PageToken.ParameterName])
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/", CreateProjectAsync)
            .WithName("createProject")
            .WithSummary("Create a project")
            .WithDescription("Creates a project of the caller's publisher (an admin names the publisher in the body). The externalId is required and unique per publisher: a second POST with it is 409; PUT /v1/projects/external/{externalId} creates or replaces instead.")
            .RequireAuthorization(SecuritySetup.ProjectsWritePolicy)
            .AllowQuery()
            .Accepts<ProjectRequest>("application/json")
            .WritesProblems(StatusCodes.Status409Conflict);

        group.MapGet("/{id:guid}", GetProjectAsync)
            .WithName("getProject")
            .WithSummary("Get a project")
            .WithDescription("Sends the record's version as its ETag; with If-None-Match naming it, answers 304 without a body. A deleted project answers 410.")
            .AllowQuery()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapPut("/{id:guid}", ReplaceProjectAsync)
            .WithName("replaceProject")
            .WithSummary("Replace a project")
            .WithDescription("Replaces the whole record. Honours If-Match (412 when stale). The publisher and externalId never change. The same content again changes nothing and keeps the version.")
            .RequireAuthorization(SecuritySetup.ProjectsWritePolicy)
            .AllowQuery()
            .Accepts<ProjectRequest>("application/json")
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed);

        group.MapPatch("/{id:guid}", PatchProjectAsync)
            .WithName("patchProject")
            .WithSummary("Change part of a project")
            .WithDescription("A JSON merge patch (RFC 7396) of the record's writable members: members given replace the current ones, null removes one. Honours If-Match.")
            .RequireAuthorization(SecuritySetup.ProjectsWritePolicy)
            .AllowQuery()
            .Accepts<ProjectRequest>(MergePatch.MediaType)
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed);

        group.MapDelete("/{id:guid}", DeleteProjectAsync)
            .WithName("deleteProject")
            .WithSummary("Delete a project")
            .WithDescription("The id then answers 410 Gone, and the change feed carries the deletion. Honours If-Match.")
            .RequireAuthorization(SecuritySetup.ProjectsWritePolicy)
            .AllowQuery()
            .Produces(StatusCodes.Status204NoContent)
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone, StatusCodes.Status412PreconditionFailed);

        group.MapPut("/external/{**externalId}", UpsertProjectAsync)
            .WithName("upsertProjectByExternalId")
            .WithSummary("Create or replace a project by the publisher's own id")
            .WithDescription("Idempotent: the same body twice leaves the record and its version alone. A publisher's key writes its own records; an admin names the publisher in the body. If-None-Match: * creates only; If-Match replaces only that version.")
            .RequireAuthorization(SecuritySetup.ProjectsWritePolicy)
            .AllowQuery()
            .Accepts<ProjectRequest>("application/json")
            .WritesProblems(StatusCodes.Status412PreconditionFailed);

        return routes;
    }

    private static async Task<Results<StoredJsonResult<PageResponse<ProjectResponse>>, ProblemHttpResult>> ListProjectsAsync(
        [AsParameters] ProjectFilterQuery filter, string? sort, int? pageSize, string? pageToken, ListProjects useCase, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await useCase.HandleAsync(new ListProjectsQuery(filter.ToInput(), sort, pageSize, pageToken), cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : StoredPage(result.Value!, request);
    }

    /// <summary>A page of projects as stored: the items' bytes are sent as they are.</summary>
    public static StoredJsonResult<PageResponse<ProjectResponse>> StoredPage(Page<StoredJson> page, HttpRequest request) =>
        new(PageResponse<StoredJson>.From(page, request));

    // One statement answers: the stored bytes, or a bodiless 304 when the client's If-None-Match names the version.
    private static async Task<Results<StoredJsonResult<ProjectResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetProjectAsync(
        Guid id, GetProject useCase, HttpContext http, CancellationToken cancellationToken)
    {
        var (held, any) = http.Request.HeldVersions();
        var result = await useCase.StoredAsync(id, held, any, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var project = result.Value!;
        http.Response.SetETag(project.Version);
        return project.Held ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : new StoredJsonResult<ProjectResponse>(project.Body!);
    }

    private static Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ProblemHttpResult>> CreateProjectAsync(
        ProjectRequest body, ClaimsPrincipal user, ProjectWriter writer, GetProject reader, HttpContext http, CancellationToken cancellationToken) =>
        WriteAsync(body, user, new ProjectTarget.New(), writer, reader, http, cancellationToken);

    private static Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ProblemHttpResult>> ReplaceProjectAsync(
        Guid id, ProjectRequest body, ClaimsPrincipal user, ProjectWriter writer, GetProject reader, HttpContext http, CancellationToken cancellationToken) =>
        WriteAsync(body, user, new ProjectTarget.ById(id), writer, reader, http, cancellationToken);

    private static Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ProblemHttpResult>> UpsertProjectAsync(
        string externalId, ProjectRequest body, ClaimsPrincipal user, ProjectWriter writer, GetProject reader, HttpContext http, CancellationToken cancellationToken) =>
        WriteAsync(body, user, new ProjectTarget.ByExternalId(DecodeSlashes(externalId)), writer, reader, http, cancellationToken);

    /// <summary>
    /// Merges the patch into the record as read and writes it back on condition that the record is still
    /// at that version, so a concurrent change is never silently undone; when the client gave no If-Match
    /// itself, a lost race is retried on the fresh record.
    /// </summary>
    private static async Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ProblemHttpResult>> PatchProjectAsync(
        Guid id, ClaimsPrincipal user, ProjectWriter writer, GetProject reader, RegistryResilience resilience, IOptions<JsonOptions> json, HttpContext http,
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
            var current = await reader.HandleAsync(id, token);
            if (current.Failure is { } missing)
            {
                return missing;
            }

            var patched = MergePatch.Apply(ProjectRequests.FromResponse(current.Value!), patch.Value!, json);
            if (patched.Failure is { } invalid)
            {
                return invalid;
            }

            var preconditions = implicitCondition ? given.Value with { IfMatchVersion = current.Value!.Version } : given.Value;
            var input = ProjectRequestValidator.Validate(patched.Value!);
            return input.Failure is { } refused
                ? refused
                : await writer.WriteAsync(user.Caller(), new ProjectTarget.ById(id), input.Value!, preconditions, token);
        }

        var written = implicitCondition
            ? await resilience[RegistryResilience.ImplicitPrecondition].ExecuteAsync(PatchAsync, cancellationToken)
            : await PatchAsync(cancellationToken);
        return await RespondAsync(written, reader, http, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteProjectAsync(
        Guid id, ClaimsPrincipal user, DeleteProject useCase, HttpRequest request, CancellationToken cancellationToken)
    {
        var preconditions = request.Preconditions();
        if (preconditions.Failure is { } malformed)
        {
            return malformed.ToProblem();
        }

        var result = await useCase.HandleAsync(user.Caller(), id, preconditions.Value!, cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.NoContent();
    }

    private static async Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ProblemHttpResult>> WriteAsync(
        ProjectRequest body, ClaimsPrincipal user, ProjectTarget target, ProjectWriter writer, GetProject reader, HttpContext http, CancellationToken cancellationToken)
    {
        var preconditions = http.Request.Preconditions();
        if (preconditions.Failure is { } malformed)
        {
            return malformed.ToProblem();
        }

        var input = ProjectRequestValidator.Validate(body);
        if (input.Failure is { } invalid)
        {
            return invalid.ToProblem();
        }

        var written = await writer.WriteAsync(user.Caller(), target, input.Value!, preconditions.Value!, cancellationToken);
        return await RespondAsync(written, reader, http, cancellationToken);
    }

    private static async Task<Results<Created<ProjectResponse>, Ok<ProjectResponse>, ProblemHttpResult>> RespondAsync(
        Result<Written<Guid>> written, GetProject reader, HttpContext http, CancellationToken cancellationToken)
    {
        if (written.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var read = await reader.HandleAsync(written.Value!.Value, cancellationToken);
        if (read.Failure is { } gone)
        {
            return gone.ToProblem();
        }

        var project = read.Value!;
        return RecordResults.Written(http, written.Value.Status, project, project.Version, $"/v1/projects/{project.Id}");
    }

    /// <summary>The path arrives decoded except for encoded slashes, which a catch-all route keeps as %2F.</summary>
    private static string DecodeSlashes(string externalId) =>
        externalId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
