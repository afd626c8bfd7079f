using Microsoft.AspNetCore.Http.HttpResults;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.Publishers;
using RuralRegistry.Web.Paging;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Security;

namespace RuralRegistry.Web.Publishers;

internal static class PublishersApi
{
    public static IEndpointRouteBuilder MapPublishers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/publishers").WithTags("Publishers");

        group.MapGet("/", ListPublishersAsync)
            .WithName("listPublishers")
            .WithSummary("List publishers")
            .WithDescription("Publishers own the registry's records. Ordered by code, paged by an opaque keyset token.")
            .AllowQuery(PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{code}", GetPublisherAsync)
            .WithName("getPublisher")
            .WithSummary("Get a publisher by its code")
            .AllowQuery()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", CreatePublisherAsync)
            .WithName("createPublisher")
            .WithSummary("Register a publisher")
            .WithDescription("Admin only. The code is the publisher's stable key and cannot change.")
            .RequireAuthorization(SecuritySetup.AdminPolicy)
            .AllowQuery()
            .Accepts<CreatePublisherRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return routes;
    }

    private static async Task<Results<Ok<PageResponse<PublisherResponse>>, ProblemHttpResult>> ListPublishersAsync(
        int? pageSize, string? pageToken, ListPublishers useCase, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await useCase.HandleAsync(new ListPublishersQuery(pageSize, pageToken), cancellationToken);
        return result.Failure is { } failure
            ? failure.ToProblem()
            : TypedResults.Ok(PageResponse<PublisherResponse>.From(result.Value!, request));
    }

    private static async Task<Results<Ok<PublisherResponse>, ProblemHttpResult>> GetPublisherAsync(
        string code, GetPublisher useCase, CancellationToken cancellationToken)
    {
        var publisher = await useCase.HandleAsync(code, cancellationToken);
        return publisher is null
            ? Application.Common.Failure.NotFound($"No publisher has the code '{code}'.").ToProblem()
            : TypedResults.Ok(publisher);
    }

    private static async Task<Results<Created<PublisherResponse>, ProblemHttpResult>> CreatePublisherAsync(
        CreatePublisherRequest body, CreatePublisher useCase, CancellationToken cancellationToken)
    {
        var result = await useCase.HandleAsync(body, cancellationToken);
        return result.Failure is { } failure
            ? failure.ToProblem()
            : TypedResults.Created($"/v1/publishers/{result.Value!.Code}", result.Value);
    }
}
