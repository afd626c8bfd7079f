namespace RuralRegistry.Web.Http;

/// <summary>Bounds on every request, so no input can exhaust the server (OWASP API4:2023).</summary>
internal static class RequestLimits
{
    /// <summary>1 MiB: a project record with every field at its maximum stays well below it.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public const int MaxJsonDepth = 32;
}
