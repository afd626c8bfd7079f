namespace RuralRegistry.Infrastructure.Persistence.Derived;

/// <summary>
/// A live project's representation in <c>registry.project_representations</c>: the exact UTF-8 JSON bytes that
/// <c>GET /v1/projects/{id}</c>, lists, searches, exports and the change feed answer with, rendered in the writing
/// transaction by <see cref="Projects.ProjectRepresentations"/> (bytea, not jsonb: jsonb would reorder the members and
/// force a new serialization on every read).
/// </summary>
public sealed class ProjectRepresentation
{
    private ProjectRepresentation()
    {
    }

    public Guid Id { get; private set; }

    public byte[] Body { get; private set; } = [];
}
