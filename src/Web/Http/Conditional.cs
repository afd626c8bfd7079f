using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Web.Http;

/// <summary>
/// Conditional requests (RFC 9110 §13): a record's ETag is its version, a strong validator. GETs honour
/// <c>If-None-Match</c> with 304; writes honour <c>If-Match</c> (412 when stale) and <c>If-None-Match: *</c>.
/// </summary>
internal static class Conditional
{
    public static string ETagOf(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static void SetETag(this HttpResponse response, long version) => response.Headers.ETag = ETagOf(version);

    /// <summary>True when the client's <c>If-None-Match</c> already names the current version.</summary>
    public static bool NotModified(this HttpRequest request, long version)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        var current = ETagOf(version);
        return EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(current), useStrongComparison: false));
    }

    /// <summary>
    /// The versions a GET's <c>If-None-Match</c> names (weak or strong: a GET compares weakly), and whether it is
    /// <c>*</c>; a malformed header names none, so the record is sent.
    /// </summary>
    public static (long[] Versions, bool Any) HeldVersions(this HttpRequest request)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return ([], false);
        }

        var versions = new List<long>(tags.Count);
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any))
            {
                return ([], true);
            }

            if (long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return ([.. versions], false);
    }

    /// <summary>Reads a write's preconditions; a malformed header is a client error naming it.</summary>
    public static Result<Preconditions> Preconditions(this HttpRequest request)
    {
        long? ifMatch = null;
        var ifMatchAny = false;
        if (request.Headers.IfMatch.Count > 0)
        {
            if (!EntityTagHeaderValue.TryParseList(request.Headers.IfMatch, out var tags) || tags.Count != 1)
            {
                return Invalid("If-Match", "If-Match takes one ETag as the record's GET sent it, e.g. If-Match: \"1842\", or *.");
            }

            var tag = tags[0];
            if (tag.Equals(EntityTagHeaderValue.Any))
            {
                ifMatchAny = true;
            }
            else if (!tag.IsWeak && long.TryParse(tag.Tag.AsSpan(1, tag.Tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                ifMatch = version;
            }
            else
            {
                return Invalid("If-Match", $"{tag} is not an ETag of this API; they look like \"1842\".");
            }
        }

        var ifNoneMatchAny = false;
        if (request.Headers.IfNoneMatch.Count > 0)
        {
            if (request.Headers.IfNoneMatch.ToString().Trim() != "*")
            {
                return Invalid("If-None-Match", "On a write, If-None-Match takes only * (create, never replace).");
            }

            ifNoneMatchAny = true;
        }

        return new Preconditions(ifMatch, ifNoneMatchAny, ifMatchAny);
    }

    private static List<FieldError> Invalid(string header, string detail) => [FieldError.Query(header, detail)];
}

/// <summary>How every resource answers a read of one record and a write.</summary>
internal static class RecordResults
{
    public const string WriteStatusHeader = "Registry-Write-Status";

    /// <summary>The record with its version as ETag, or a bodiless 304 when the client's If-None-Match names that version.</summary>
    public static Results<Ok<T>, StatusCodeHttpResult, ProblemHttpResult> Read<T>(HttpContext http, T record, long version)
    {
        http.Response.SetETag(version);
        return http.Request.NotModified(version) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(record);
    }

    /// <summary>A written record: 201 with its Location when made, else 200; its ETag; and whether it was created, updated or found unchanged.</summary>
    public static Results<Created<T>, Ok<T>, ProblemHttpResult> Written<T>(HttpContext http, WriteStatus status, T record, long version, string location)
    {
        http.Response.SetETag(version);
        http.Response.Headers[WriteStatusHeader] = status.ToString().ToLowerInvariant();
        return status == WriteStatus.Created ? TypedResults.Created(location, record) : TypedResults.Ok(record);
    }
}
