using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Abstractions;

/// <summary>A project of a bulk write: new (no stored version) or replacing the stored version it was read at.</summary>
public readonly record struct BulkProjectWrite(Project Project, long? StoredVersion);

/// <summary>
/// Which projects a restamp gives a new version (<see cref="IProjectWrites.RestampAsync"/>): those whose representation
/// changed without a write of their own.
/// </summary>
public abstract record ProjectRestamp
{
    private ProjectRestamp()
    {
    }

    /// <summary>The live projects that name the partner: they show its name, acronym, kind and country.</summary>
    public sealed record NamingPartner(Guid PartnerId) : ProjectRestamp;

    /// <summary>The live projects that name the funding measure: they show its name.</summary>
    public sealed record NamingMeasure(Guid MeasureId) : ProjectRestamp;

    /// <summary>The live projects that name the funding measure or one below it: a move changes which filters match them.</summary>
    public sealed record UnderMeasure(Guid MeasureId) : ProjectRestamp;

    /// <summary>The live projects that name the goal: they show its name.</summary>
    public sealed record NamingGoal(Guid GoalId) : ProjectRestamp;

    /// <summary>The live projects that name the goal or one below it.</summary>
    public sealed record UnderGoal(Guid GoalId) : ProjectRestamp;

    /// <summary>
    /// Up to <paramref name="Limit"/> live projects, in id order after <paramref name="After"/>, whose stored status
    /// differs from their status on the write unit's day: the date-driven status job's batch.
    /// </summary>
    public sealed record StatusOutdated(Guid After, int Limit) : ProjectRestamp;
}

/// <summary>
/// The one way projects are written, by EF Core or by bulk COPY: it stamps each project with a change number
/// (its new version), records the change feed's entry, and refreshes the projects' derived rows (the columns
/// lists, search and statistics filter on) in the unit of work's transaction. Writers of other records that
/// projects show (a partner's name, a measure's or goal's name or place in its hierarchy) ask it to restamp the
/// projects they touch (<see cref="RestampAsync"/>). Whatever is still to refresh is refreshed when the transaction commits, so no write path
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

    /// <summary>
    /// The one place a project's version changes for something other than its own write (a partner or reference node
    /// it shows renamed or moved, its status changed by the passing days): every project of the scope gets the next
    /// change number, <c>updatedAt</c> and status as of the write unit's clock, and a feed entry, in one set-based
    /// statement in the unit's transaction (rows locked in id order); their derived rows are queued for the refresh.
    /// Returns the ids restamped, in id order.
    /// </summary>
    Task<IReadOnlyList<Guid>> RestampAsync(ProjectRestamp scope, CancellationToken cancellationToken);

    /// <summary>Saves what EF Core tracks, then refreshes the derived rows of every project written or named since the last refresh.</summary>
    Task SaveAsync(CancellationToken cancellationToken);
}
