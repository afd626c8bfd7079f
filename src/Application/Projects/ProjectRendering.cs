using Mapster;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// Renders projects' representations when they are written: the same <see cref="ProjectResponse"/> the API answers
/// with (partner, measure and goal summaries as they are now; <c>status</c> as stamped by the write: the project's written status), serialized with
/// <see cref="Common.RepresentationJson"/>. The write unit calls it, in the writing transaction, for every project it
/// refreshes, so the stored bytes always belong to the version they carry.
/// </summary>
public sealed class ProjectRendering(TypeAdapterConfig mapping)
{
    /// <summary>The representations of the live projects among these ids, read in the unit of work's transaction; deleted or missing ones are left out.</summary>
    public async Task<List<(Guid Id, byte[] Body)>> RenderAsync(IRegistryDbContext db, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var projects = await new ProjectReader(db, mapping).ReadAsync(ids, cancellationToken);
        return [.. projects.Select(p => (p.Id, Common.RepresentationJson.Render(p)))];
    }

    /// <summary>
    /// The representations of projects the unit of work has just written, rendered from the objects in hand (see
    /// <see cref="ProjectReader.ReadWrittenAsync"/>): the same bytes <see cref="RenderAsync"/> gives after the write,
    /// without reading the projects back.
    /// </summary>
    public async Task<List<(Guid Id, byte[] Body)>> RenderWrittenAsync(IRegistryDbContext db, IReadOnlyList<Domain.Projects.Project> projects, CancellationToken cancellationToken)
    {
        var responses = await new ProjectReader(db, mapping).ReadWrittenAsync(projects, cancellationToken);
        return [.. responses.Select(p => (p.Id, Common.RepresentationJson.Render(p)))];
    }
}
