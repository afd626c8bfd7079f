namespace RuralRegistry.Web.Problems;

/// <summary>The problem type URIs: the defining section of the status code's RFC, unless a problem has a type of its own.</summary>
internal static class ProblemTypes
{
    public const string Validation = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1";
    public const string MalformedJson = "https://www.rfc-editor.org/rfc/rfc8259";

    private static readonly Dictionary<int, string> ByStatus = new()
    {
        [400] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        [401] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        [403] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        [404] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        [405] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        [406] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7",
        [408] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.9",
        [409] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        [410] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.11",
        [411] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.12",
        [412] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        [413] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        [414] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.15",
        [415] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        [416] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.17",
        [422] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        [428] = "https://www.rfc-editor.org/rfc/rfc6585#section-3",
        [429] = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        [431] = "https://www.rfc-editor.org/rfc/rfc6585#section-5",
        [500] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        [503] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
    };

    public static string ForStatus(int status) =>
        ByStatus.TryGetValue(status, out var type) ? type : $"https://www.rfc-editor.org/rfc/rfc9110#section-15.{status / 100 + 1}";
}
