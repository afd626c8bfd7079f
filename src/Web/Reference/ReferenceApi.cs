using Microsoft.AspNetCore.Http.HttpResults;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Goals;
using RuralRegistry.Application.Hierarchy;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.FundingMeasures;
using RuralRegistry.Domain.Goals;
using RuralRegistry.Web.Http;
using RuralRegistry.Web.Paging;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Security;

namespace RuralRegistry.Web.Reference;

/// <summary>Funding measures and goals: read by anyone, written by admins.</summary>
internal static class ReferenceApi
{
    public static IEndpointRouteBuilder MapReference(this IEndpointRouteBuilder routes)
    {
        FundingMeasureEndpoints.Map(routes, "/v1/funding-measures", "Funding measures", "FundingMeasure", "funding measure");
        GoalEndpoints.Map(routes, "/v1/goals", "Goals", "Goal", "goal");
        return routes;
    }
}

internal sealed class FundingMeasureEndpoints
    : HierarchyEndpoints<FundingMeasureService, FundingMeasureRequest, FundingMeasureResponse, FundingMeasure, FundingMeasureDetails, FundingMeasureEndpoints>, IHierarchyContract<FundingMeasureRequest, FundingMeasureResponse, FundingMeasureDetails>
{
    public static Result<NodeInput<FundingMeasureDetails>> Validate(FundingMeasureRequest request) => FundingMeasureService.Validate(request);

    public static long VersionOf(FundingMeasureResponse response) => response.Version;

    public static string PathOf(Guid id) => $"/v1/funding-measures/{id}";
}

internal sealed class GoalEndpoints
    : HierarchyEndpoints<GoalService, GoalRequest, GoalResponse, Goal, GoalDetails, GoalEndpoints>, IHierarchyContract<GoalRequest, GoalResponse, GoalDetails>
{
    public static Result<NodeInput<GoalDetails>> Validate(GoalRequest request) => GoalService.Validate(request);

    public static long VersionOf(GoalResponse response) => response.Version;

    public static string PathOf(Guid id) => $"/v1/goals/{id}";
}

internal interface IHierarchyContract<TRequest, TResponse, TDetails>
    where TDetails : class
{
    static abstract Result<NodeInput<TDetails>> Validate(TRequest request);

    static abstract long VersionOf(TResponse response);

    static abstract string PathOf(Guid id);
}

/// <summary>The endpoints of one reference hierarchy.</summary>
internal abstract class HierarchyEndpoints<TService, TRequest, TResponse, TNode, TDetails, TContract>
    where TService : HierarchyService<TNode, TDetails, TResponse>
    where TRequest : notnull
    where TNode : HierarchyNode<TDetails>
    where TDetails : class
    where TContract : IHierarchyContract<TRequest, TResponse, TDetails>
{
    public static void Map(IEndpointRouteBuilder routes, string path, string tag, string name, string noun)
    {
        var group = routes.MapGroup(path).WithTags(tag);

        // Handed over as Delegate values: the route-handler analyzer cannot follow method groups of a generic type.
        Delegate list = ListAsync, get = GetAsync, upsert = UpsertAsync, replace = ReplaceAsync;

        group.MapGet("/", list)
            .WithName($"list{name}s")
            .WithSummary($"List {noun}s")
            .WithDescription("Ordered by scheme and code. Filter by scheme, by parent (an id or scheme:code) and by level; q finds the nodes whose code or name (in any language, ignoring case and diacritics) holds every word.")
            .AllowQuery("q", "scheme", "parent", "level", PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{id:guid}", get)
            .WithName($"get{name}")
            .WithSummary($"Get a {noun}")
            .WithDescription("Sends the record's version as its ETag and answers If-None-Match with 304.")
            .AllowQuery()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", upsert)
            .WithName($"upsert{name}")
            .WithSummary($"Create or update a {noun} by scheme and code")
            .WithDescription("Admins, or keys with the reference:write scope. Idempotent: the same body again changes nothing.")
            .RequireAuthorization(SecuritySetup.ReferenceWritePolicy)
            .AllowQuery()
            .Accepts<TRequest>("application/json")
            .WritesProblems();

        group.MapPut("/{id:guid}", replace)
            .WithName($"replace{name}")
            .WithSummary($"Replace a {noun}")
            .WithDescription("Admins, or keys with the reference:write scope. The scheme and code never change. Honours If-Match.")
            .RequireAuthorization(SecuritySetup.ReferenceWritePolicy)
            .AllowQuery()
            .Accepts<TRequest>("application/json")
            .WritesProblems(StatusCodes.Status404NotFound, StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<Results<Ok<PageResponse<TResponse>>, ProblemHttpResult>> ListAsync(
        string? q, string? scheme, string? parent, string? level, int? pageSize, string? pageToken, TService service, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await service.ListAsync(new ListNodesQuery(scheme, parent, level, pageSize, pageToken, q), cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(PageResponse<TResponse>.From(result.Value!, request));
    }

    private static async Task<Results<Ok<TResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        Guid id, TService service, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await service.GetAsync(id, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        return RecordResults.Read(http, result.Value!, TContract.VersionOf(result.Value!));
    }

    private static async Task<Results<Created<TResponse>, Ok<TResponse>, ProblemHttpResult>> UpsertAsync(
        TRequest body, TService service, HttpContext http, CancellationToken cancellationToken)
    {
        var input = TContract.Validate(body);
        if (input.Failure is { } invalid)
        {
            return invalid.ToProblem();
        }

        return await RespondAsync(await service.UpsertAsync(input.Value!, cancellationToken), service, http, cancellationToken);
    }

    private static async Task<Results<Created<TResponse>, Ok<TResponse>, ProblemHttpResult>> ReplaceAsync(
        Guid id, TRequest body, TService service, HttpContext http, CancellationToken cancellationToken)
    {
        var preconditions = http.Request.Preconditions();
        if (preconditions.Failure is { } malformed)
        {
            return malformed.ToProblem();
        }

        var input = TContract.Validate(body);
        if (input.Failure is { } invalid)
        {
            return invalid.ToProblem();
        }

        return await RespondAsync(await service.ReplaceAsync(id, input.Value!, preconditions.Value!, cancellationToken), service, http, cancellationToken);
    }

    private static async Task<Results<Created<TResponse>, Ok<TResponse>, ProblemHttpResult>> RespondAsync(
        Result<Written<Guid>> written, TService service, HttpContext http, CancellationToken cancellationToken)
    {
        if (written.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var response = (await service.GetAsync(written.Value!.Value, cancellationToken)).Value!;
        return RecordResults.Written(http, written.Value.Status, response, TContract.VersionOf(response), TContract.PathOf(written.Value.Value));
    }
}
