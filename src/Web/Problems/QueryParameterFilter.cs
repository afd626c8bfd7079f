using RuralRegistry.Application.Common;

namespace RuralRegistry.Web.Problems;

/// <summary>
/// Refuses query parameters an operation does not know, instead of silently ignoring a misspelt filter, and
/// values with control characters (an encoded NUL, <c>?publisher=%00</c>, is no text PostgreSQL can compare),
/// and a single-valued parameter given twice. A name ending in <c>*</c> may be repeated.
/// </summary>
internal static class QueryParameterFilter
{
    public static RouteHandlerBuilder AllowQuery(this RouteHandlerBuilder builder, params string[] allowed)
    {
        var repeatable = new HashSet<string>(allowed.Where(a => a.EndsWith('*')).Select(a => a.TrimEnd('*')), StringComparer.Ordinal);
        var known = new HashSet<string>(allowed.Select(a => a.TrimEnd('*')), StringComparer.Ordinal);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var query = context.HttpContext.Request.Query;
            var unknown = query.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count == 0)
            {
                var controls = query.Where(q => q.Value.Any(v => v is not null && v.Any(char.IsControl))).Select(q => q.Key).Order(StringComparer.Ordinal).ToList();
                var repeated = query.Where(q => q.Value.Count > 1 && !repeatable.Contains(q.Key)).Select(q => q.Key).Order(StringComparer.Ordinal).ToList();
                return controls.Count == 0 && repeated.Count == 0
                    ? await next(context)
                    : Failure.Invalid([
                        .. controls.Select(name => FieldError.Query(name, $"The value of '{name}' contains control characters.")),
                        .. repeated.Select(name => FieldError.Query(name, $"'{name}' takes one value; it was given {query[name].Count} times."))]).ToProblem();
            }

            var accepted = known.Count == 0 ? "none" : string.Join(", ", known.Order(StringComparer.Ordinal));
            var errors = unknown
                .Select(name => FieldError.Query(name, $"Unknown query parameter '{name}'. This operation accepts: {accepted}."))
                .ToList();
            return Failure.Invalid(errors).ToProblem();
        });
    }
}
