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
            .WithDescription("The publisher with this code, e.g. pl-ksow. Needs no key.")
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

        group.MapPost("/{code}/api-keys", CreateApiKeyAsync)
            .WithName("createApiKey")
            .WithSummary("Issue an API key for a publisher")
            .WithDescription("Admin only. The answer holds the key's secret, shown this once: only its hash is kept. The key writes the publisher's records only.")
            .RequireAuthorization(SecuritySetup.AdminPolicy)
            .AllowQuery()
            .Accepts<CreateApiKeyRequest>("application/json")
            .WritesProblems(StatusCodes.Status404NotFound);

        group.MapDelete("/{code}/api-keys/{keyId:guid}", RevokeApiKeyAsync)
            .WithName("revokeApiKey")
            .WithSummary("Revoke an API key")
            .WithDescription("Admin only. The key is refused (401) from the next request on.")
            .RequireAuthorization(SecuritySetup.AdminPolicy)
            .AllowQuery()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<Results<Created<ApiKeyCreatedResponse>, ProblemHttpResult>> CreateApiKeyAsync(
        string code, CreateApiKeyRequest body, ApiKeys keys, HttpResponse response, CancellationToken cancellationToken)
    {
        var result = await keys.IssueAsync(code, body, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/publishers/{code}/api-keys/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeApiKeyAsync(
        string code, Guid keyId, ApiKeys keys, CancellationToken cancellationToken)
    {
        var failure = await keys.RevokeAsync(code, keyId, cancellationToken);
        return failure is null ? TypedResults.NoContent() : failure.ToProblem();
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
