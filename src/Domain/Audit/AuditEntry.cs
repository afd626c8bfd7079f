namespace RuralRegistry.Domain.Audit;

/// <summary>One write request as the audit log keeps it: who (actor and key), what (method, path, outcome), when.</summary>
public sealed class AuditEntry(DateTimeOffset occurredAt, string actor, string keyId, string method, string path, int status, string traceId)
{
    public const int PathMaxLength = 2000;

    public long Id { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; } = occurredAt;

    /// <summary>The publisher's code, or <c>admin</c>.</summary>
    public string Actor { get; private set; } = actor;

    public string KeyId { get; private set; } = keyId;

    public string Method { get; private set; } = method;

    public string Path { get; private set; } = path.Length > PathMaxLength ? path[..PathMaxLength] : path;

    public int Status { get; private set; } = status;

    public string TraceId { get; private set; } = traceId;
}
