using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Projects;

/// <summary>One project by id, as stored when it was written; a deleted one is gone (410), not missing.</summary>
public sealed class GetProject(IStoredProjects stored)
{
    /// <summary>
    /// The project's version and stored representation in one statement; without the body when the caller already
    /// holds that version (<paramref name="heldVersions"/>, or any when <paramref name="holdsAny"/>): the 304 path.
    /// </summary>
    public async Task<Result<StoredProject>> StoredAsync(Guid id, IReadOnlyList<long> heldVersions, bool holdsAny, CancellationToken cancellationToken)
    {
        var project = await stored.FindAsync(id, heldVersions, holdsAny, cancellationToken);
        if (project is null)
        {
            return Failure.NotFound($"No project has the id {id}.");
        }

        if (project.DeletedAt is { } deletedAt)
        {
            return Failure.Gone($"The project {id} was deleted on {deletedAt:yyyy-MM-dd}.");
        }

        // Every live project's representation is written with it (and rendered at migration for older rows).
        return project.Held || project.Body is not null
            ? project
            : throw new InvalidOperationException($"The live project {id} has no stored representation.");
    }

    /// <summary>The project's stored representation read back as the contract's record (a PATCH merges into it).</summary>
    public async Task<Result<ProjectResponse>> HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        var project = await StoredAsync(id, [], holdsAny: false, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure;
        }

        return RepresentationJson.Read<ProjectResponse>(project.Value!.Body!);
    }
}
