using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Application.Abstractions;

/// <summary>A project at its id as stored: its version, whether it is deleted, and its representation.</summary>
/// <param name="Version">The current version (the ETag).</param>
/// <param name="DeletedAt">When it was deleted; null while it is live.</param>
/// <param name="Held">The caller already holds this version (its If-None-Match names it): then no body is read.</param>
/// <param name="Body">The stored representation; null when deleted or held.</param>
public sealed record StoredProject(long Version, DateTimeOffset? DeletedAt, bool Held, StoredJson? Body);

/// <summary>
/// Projects' representations as they were rendered when written (<see cref="ProjectRendering"/>), read without
/// rebuilding them.
/// </summary>
public interface IStoredProjects
{
    /// <summary>
    /// One statement: the project's version and deleted state, and its body unless the caller already holds that
    /// version (one of <paramref name="heldVersions"/>, or any version when <paramref name="holdsAny"/>); null when no
    /// project has the id. Reads on a connection of its own, outside the unit of work.
    /// </summary>
    Task<StoredProject?> FindAsync(Guid id, IReadOnlyList<long> heldVersions, bool holdsAny, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> live projects that pass the filter, by id after <paramref name="after"/>, with their stored representations, in the unit of work's transaction.</summary>
    Task<List<(Guid Id, StoredJson Body)>> MatchingAsync(ProjectFilter filter, Guid? after, int limit, CancellationToken cancellationToken);
}
