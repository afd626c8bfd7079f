using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Web.Problems;

namespace RuralRegistry.Web.Http;

/// <summary>JSON merge patch (RFC 7396): a PATCH body is merged into the record's writable representation.</summary>
internal static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    /// <summary>Reads a merge-patch body; 415 for another media type, 400 for a body that is not a JSON object.</summary>
    public static async Task<Result<JsonObject>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, MediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"A PATCH body is a JSON merge patch: send it as {MediaType}.", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            var node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false }, cancellationToken: cancellationToken);
            if (node is not JsonObject patch)
            {
                return new List<FieldError> { FieldError.Body(string.Empty, "A merge patch is a JSON object.") };
            }

            return ReadableText(patch, string.Empty) is { } error ? new List<FieldError> { error } : patch;
        }
        catch (JsonException exception)
        {
            return new List<FieldError> { FieldError.Body(JsonPath.ToPointer(exception.Path), JsonPath.Describe(exception)) };
        }
    }

    /// <summary>
    /// The parser keeps names and strings as bytes until they are read; reading them here finds invalid UTF-8
    /// and lone surrogates (<c>"\ud800"</c>) as a client error at their pointer, not a failure when merging.
    /// </summary>
    private static FieldError? ReadableText(JsonNode? node, string pointer)
    {
        switch (node)
        {
            case JsonObject o:
                List<KeyValuePair<string, JsonNode?>> members;
                try
                {
                    members = [.. o];
                }
                catch (InvalidOperationException)
                {
                    return FieldError.Body(pointer, "A member name is not valid UTF-8 text.");
                }

                return members.Select(m => ReadableText(m.Value, $"{pointer}/{m.Key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}")).FirstOrDefault(e => e is not null);
            case JsonArray a:
                return a.Select((item, i) => ReadableText(item, $"{pointer}/{i}")).FirstOrDefault(e => e is not null);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                try
                {
                    _ = v.GetValue<string>();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return FieldError.Body(pointer, "The string is not valid Unicode text (invalid UTF-8 or a lone surrogate).");
                }

            default:
                return null;
        }
    }

    /// <summary>Applies the patch to <paramref name="current"/> and reads the result as <typeparamref name="T"/>, refusing unknown members.</summary>
    public static Result<T> Apply<T>(T current, JsonObject patch, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
        where T : class
    {
        var options = json.Value.SerializerOptions;
        var target = JsonSerializer.SerializeToNode(current, options)!;
        var merged = Merge(target, patch);
        try
        {
            return merged.Deserialize<T>(options) is { } result
                ? result
                : new List<FieldError> { FieldError.Body(string.Empty, "The patched record is empty.") };
        }
        catch (JsonException exception)
        {
            return new List<FieldError> { FieldError.Body(JsonPath.ToPointer(exception.Path), JsonPath.Describe(exception)) };
        }
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name], value);
            }
        }

        return result;
    }
}
