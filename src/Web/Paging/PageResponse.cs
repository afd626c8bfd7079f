using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Extensions;
using RuralRegistry.Application.Common.Paging;

namespace RuralRegistry.Web.Paging;

/// <summary>One page of a collection.</summary>
/// <param name="Items">The page's items, in the collection's order.</param>
/// <param name="NextPageToken">Opaque token of the next page; absent on the last page. Send it back as <c>pageToken</c> with the same filters.</param>
/// <param name="Next">Absolute link to the next page; absent on the last page.</param>
public sealed record PageResponse<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextPageToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Uri? Next)
{
    public static PageResponse<T> From(Page<T> page, HttpRequest request)
    {
        if (page.NextPageToken is null)
        {
            return new PageResponse<T>(page.Items, null, null);
        }

        var query = new QueryBuilder(request.Query
            .Where(p => p.Key != PageToken.ParameterName)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))))
        {
            { PageToken.ParameterName, page.NextPageToken },
        };
        var next = new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString()));
        return new PageResponse<T>(page.Items, page.NextPageToken, next);
    }
}
