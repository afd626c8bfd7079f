using System.Text;
using System.Text.RegularExpressions;

namespace RuralRegistry.Web.Problems;

/// <summary>Turns System.Text.Json's error paths (<c>$.budget.total['currency']</c>) into RFC 6901 JSON pointers.</summary>
internal static partial class JsonPath
{
    public static string ToPointer(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        var pointer = new StringBuilder();
        foreach (Match segment in SegmentRegex().Matches(path))
        {
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value
                : segment.Groups["quoted"].Success ? segment.Groups["quoted"].Value
                : segment.Groups["index"].Value;
            pointer.Append('/').Append(name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        }

        return pointer.ToString();
    }

    /// <summary>A JSON error in the client's terms, without the serializer's .NET type names.</summary>
    public static string Describe(System.Text.Json.JsonException exception)
    {
        var message = exception.Message;
        var pointer = ToPointer(exception.Path);
        var member = pointer.Length > 0 ? pointer[(pointer.LastIndexOf('/') + 1)..] : string.Empty;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"Unknown member '{member}': it is not part of this resource's writable representation (read-only members such as id, version, createdAt and updatedAt cannot be written).";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return pointer.Length > 0
                ? $"The value at {pointer} has the wrong type, or is not one of the allowed values (see the schema)."
                : "The body has the wrong shape: this operation takes a JSON object (see the schema).";
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return "The JSON is nested too deeply.";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentRegex();
}
