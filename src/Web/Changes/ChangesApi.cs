using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Extensions;
using RuralRegistry.Application.Changes;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Web.Problems;

namespace RuralRegistry.Web.Changes;

internal static class ChangesApi
{
    public static IEndpointRouteBuilder MapChanges(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/changes", ReadChangesAsync)
            .WithTags("Changes")
            .WithName("listChanges")
            .WithSummary("Follow the change feed")
            .WithDescription(
                "Every create, update and delete of projects, partners, funding measures and goals, in sequence order, each at least once, " +
                "never skipping one: a change is handed out only once every lower-numbered change has committed or been abandoned. " +
                "Deletions appear as tombstones (operation delete). Resume with after = the previous page's resumeAfter. " +
                "Filter by type (repeatable: project, partner, funding-measure, goal) and publisher; include=record embeds each record's current representation. " +
                "Entries are kept at least 30 days; an older cursor answers 410: reload an export and follow on from its Registry-Change-Cursor.")
            .AllowQuery(ChangeFeed.ParameterAfter, "type*", "publisher", "include", PageSize.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status410Gone);
        return routes;
    }

    private static async Task<Results<Ok<ChangesResponse>, ProblemHttpResult>> ReadChangesAsync(
        long? after, string[]? type, string? publisher, string? include, int? pageSize, ChangeFeed feed, HttpRequest request, CancellationToken cancellationToken)
    {
        if (include is not null and not "record")
        {
            return Application.Common.Failure.Invalid([Application.Common.FieldError.Query("include", "include takes only 'record'.")]).ToProblem();
        }

        var result = await feed.ReadAsync(new ChangesQuery(after, type ?? [], publisher, include == "record", pageSize), cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var page = result.Value!;
        Uri? next = null;
        if (page.HasMore)
        {
            var query = new QueryBuilder(request.Query
                .Where(p => p.Key != ChangeFeed.ParameterAfter)
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))))
            {
                { ChangeFeed.ParameterAfter, page.ResumeAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
            next = new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString()));
        }

        return TypedResults.Ok(new ChangesResponse(page.Items, page.ResumeAfter, page.HasMore, next));
    }
}

/// <summary>A page of the change feed.</summary>
/// <param name="Items">Changes in sequence order.</param>
/// <param name="ResumeAfter">Send this as <c>after</c> next time; every change up to it has been handed out or filtered out.</param>
/// <param name="HasMore">Whether more changes are available right away (then <c>next</c> links to them).</param>
/// <param name="Next">Absolute link to the next page, when there is one now.</param>
public sealed record ChangesResponse(
    IReadOnlyList<ChangeEntry> Items,
    long ResumeAfter,
    bool HasMore,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Uri? Next);
