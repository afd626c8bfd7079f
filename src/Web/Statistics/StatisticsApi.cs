using Microsoft.AspNetCore.Http.HttpResults;
using RuralRegistry.Application.Projects;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Projects;

namespace RuralRegistry.Web.Statistics;

internal static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/stats").WithTags("Statistics")
            .MapGet("/projects", ProjectStatisticsAsync)
            .WithName("projectStatistics")
            .WithSummary("Count projects and sum their budgets, per group")
            .WithDescription("The live projects that pass the same filters as GET /v1/projects, grouped by country, publisher, fundingMeasure, goal, status or startYear: " +
                "per group the number of projects and, per currency, the sum of their total budgets (amounts in different currencies are never added together). " +
                "A project with several countries, measures or goals counts in each of their groups; one with none is in the group whose key is null. " +
                "Each key can be given back as the filter of the same name to list the group's projects.")
            .AllowQuery([.. ProjectFilterQuery.Allowed, "groupBy"])
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return routes;
    }

    private static async Task<Results<Ok<ProjectStatisticsResponse>, ProblemHttpResult>> ProjectStatisticsAsync(
        [AsParameters] ProjectFilterQuery filter, string? groupBy, ProjectStatistics statistics, CancellationToken cancellationToken)
    {
        var result = await statistics.HandleAsync(new ProjectStatisticsQuery(filter.ToInput(), groupBy), cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(result.Value!);
    }
}
