namespace RuralRegistry.Web.Problems;

/// <summary>The problem type URIs this API uses beyond the plain HTTP status codes.</summary>
internal static class ProblemTypes
{
    public const string Validation = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1";
    public const string MalformedJson = "https://www.rfc-editor.org/rfc/rfc8259";
}
