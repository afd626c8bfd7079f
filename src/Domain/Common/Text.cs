namespace RuralRegistry.Domain.Common;

/// <summary>Rules every free text shares: not blank, bounded, and free of control characters other than tab and line breaks.</summary>
public static class Text
{
    public static bool IsAcceptable(string? text, int maxLength, out string? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The text is empty.";
            return false;
        }

        if (text.Length > maxLength)
        {
            error = $"The text has {text.Length} characters; at most {maxLength} are allowed.";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                error = $"The text holds the control character U+{(int)c:X4}.";
                return false;
            }
        }

        error = null;
        return true;
    }
}

/// <summary>RFC 6901 escaping of one reference token.</summary>
public static class JsonPointer
{
    public static string Escape(string token) =>
        token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
