namespace RuralRegistry.Web.Problems;

internal static class WriteProblems
{
    /// <summary>The problems every authenticated JSON write can answer with, plus the operation's own.</summary>
    public static RouteHandlerBuilder WritesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in new[]
        {
            StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
            StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
        }.Concat(statuses).Distinct().Order())
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
