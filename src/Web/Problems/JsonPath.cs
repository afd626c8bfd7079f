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

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentRegex();
}
