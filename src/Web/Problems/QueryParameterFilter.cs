using RuralRegistry.Application.Common;

namespace RuralRegistry.Web.Problems;

/// <summary>Refuses query parameters an operation does not know, instead of silently ignoring a misspelt filter.</summary>
internal static class QueryParameterFilter
{
    public static RouteHandlerBuilder AllowQuery(this RouteHandlerBuilder builder, params string[] allowed)
    {
        var known = new HashSet<string>(allowed, StringComparer.Ordinal);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var unknown = context.HttpContext.Request.Query.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count == 0)
            {
                return await next(context);
            }

            var accepted = known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal));
            var errors = unknown
                .Select(name => FieldError.Query(name, $"Unknown query parameter '{name}'. This operation accepts: {accepted}."))
                .ToList();
            return Failure.Invalid(errors).ToProblem();
        });
    }
}
