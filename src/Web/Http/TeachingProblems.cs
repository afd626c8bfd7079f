using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using RuralRegistry.Application.Common;
using RuralRegistry.Web.Problems;

namespace RuralRegistry.Web.Http;

/// <summary>
/// Errors that say what to send instead: a 415 names the media types the operation takes, and a path whose id is not a
/// UUID (<c>/v1/projects/not-a-uuid</c>) is a 400 naming the parameter, not a 404 (no route matches it, since the
/// routes constrain their ids to UUIDs).
/// </summary>
internal static class TeachingProblems
{
    public static IServiceCollection AddTeachingProblems(this IServiceCollection services) =>
        services.PostConfigure<ProblemDetailsOptions>(options =>
        {
            var inner = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                NameAcceptedMediaTypes(context);
                inner?.Invoke(context);
            };
        });

    /// <summary>After routing: a request no route matched only because an id is malformed gets a 400 naming it.</summary>
    public static IApplicationBuilder UseMalformedIdProblems(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null && MalformedId(context) is { } parameter)
            {
                var problem = Failure.Invalid([FieldError.Query(parameter, $"The {parameter} in the path is a UUID, e.g. 01936f0e-5c2a-7d41-9a53-2f1c7e0b6a10.")]).ToProblem();
                await problem.ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static void NameAcceptedMediaTypes(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        if (context.ProblemDetails.Status is not StatusCodes.Status415UnsupportedMediaType && http.Response.StatusCode != StatusCodes.Status415UnsupportedMediaType)
        {
            return;
        }

        // Routing answers a body of the wrong media type with an endpoint of its own, so the operation's media types
        // are those of the endpoints the path and method match. A detail that names one already (ours) stays.
        var detail = context.ProblemDetails.Detail;
        var accepted = Candidates(http).SelectMany(e => e.Metadata.OfType<IAcceptsMetadata>().SelectMany(a => a.ContentTypes)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if ((string.IsNullOrEmpty(detail) || !detail.Contains('/', StringComparison.Ordinal)) && accepted.Count > 0)
        {
            var sent = string.IsNullOrEmpty(http.Request.ContentType) ? "no Content-Type" : $"Content-Type {http.Request.ContentType}";
            context.ProblemDetails.Detail = $"{http.Request.Method} {http.Request.Path} takes {string.Join(" or ", accepted)}; the request was sent with {sent}.";
        }
    }

    /// <summary>The endpoints of the request's method whose route the path matches, ids malformed or not.</summary>
    private static IEnumerable<RouteEndpoint> Candidates(HttpContext context)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is not { } methods || methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
            .Where(e => Match(e.RoutePattern, segments) is not null);
    }

    /// <summary>The name of the UUID parameter of a route the path would match, but for that parameter's value.</summary>
    private static string? MalformedId(HttpContext context)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return Candidates(context).Select(e => Match(e.RoutePattern, segments)).FirstOrDefault(m => m is { Length: > 0 });
    }

    /// <summary>Null when the pattern does not match the segments; else the first UUID parameter whose value is not one, or empty.</summary>
    private static string? Match(RoutePattern pattern, string[] segments)
    {
        var catchAll = pattern.PathSegments is [.., { Parts: [RoutePatternParameterPart { IsCatchAll: true }] }];
        if (catchAll ? segments.Length < pattern.PathSegments.Count : segments.Length != pattern.PathSegments.Count)
        {
            return null;
        }

        var malformed = string.Empty;
        for (var i = 0; i < pattern.PathSegments.Count; i++)
        {
            if (pattern.PathSegments[i].Parts is not [var part])
            {
                return null;
            }

            switch (part)
            {
                case RoutePatternLiteralPart literal when !string.Equals(literal.Content, segments[i], StringComparison.OrdinalIgnoreCase):
                    return null;
                case RoutePatternParameterPart { IsCatchAll: true }:
                    return malformed;
                case RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "guid") && !Guid.TryParse(segments[i], out _):
                    malformed = malformed.Length == 0 ? parameter.Name : malformed;
                    break;
            }
        }

        return malformed;
    }
}
