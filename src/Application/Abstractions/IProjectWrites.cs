using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Abstractions;

/// <summary>A project of a bulk write: new (no stored version) or replacing the stored version it was read at.</summary>
public readonly record struct BulkProjectWrite(Project Project, long? StoredVersion);

/// <summary>
/// The one way projects are written, by EF Core or by bulk COPY: it stamps each project with a change number
/// (its new version), records the change feed's entry, and refreshes the projects' derived rows (the columns
/// lists, search and statistics filter on) in the unit of work's transaction. Writers of other records that
/// projects show (a partner's name, a measure's or goal's place in its hierarchy) ask it for the refresh of the
/// projects they touch. Whatever is still to refresh is refreshed when the transaction commits, so no write path
/// can leave derived rows stale; <see cref="SaveAsync"/> refreshes at once, for a writer that measures or orders it.
/// </summary>
public interface IProjectWrites
{
    /// <summary>Takes the project's next version and records its feed entry, both saved with the unit of work's EF changes.</summary>
    Task StampAsync(Project project, ChangeOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// Stamps many projects, their numbers in the order given taken in one statement, and writes their feed entries
    /// by COPY; the projects themselves are saved by EF Core (tracked) or by <see cref="WriteBulkAsync"/>.
    /// </summary>
    Task StampAllAsync(IReadOnlyList<Project> projects, ChangeOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// Saves what EF Core tracks (partners registered for the batch, say), then stamps the projects (feed entries
    /// included) and writes them with their links by COPY, set-based: new ones inserted, the others updated where
    /// their stored version still holds (or a <c>DbUpdateConcurrencyException</c>).
    /// </summary>
    Task WriteBulkAsync(IReadOnlyList<BulkProjectWrite> projects, CancellationToken cancellationToken);

    /// <summary>After a partner's name or country changed: the projects it takes part in are refreshed.</summary>
    void RefreshProjectsOfPartner(Guid partnerId);

    /// <summary>After a funding measure moved in its hierarchy: the projects under it are refreshed.</summary>
    void RefreshProjectsUnderMeasure(Guid measureId);

    /// <summary>After a goal moved in its hierarchy: the projects under it are refreshed.</summary>
    void RefreshProjectsUnderGoal(Guid goalId);

    /// <summary>Saves what EF Core tracks, then refreshes the derived rows of every project written or named since the last refresh.</summary>
    Task SaveAsync(CancellationToken cancellationToken);
}
