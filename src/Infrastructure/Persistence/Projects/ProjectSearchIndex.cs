using Microsoft.EntityFrameworkCore;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// What a unit of work still has to refresh of projects' derived search rows: projects written, and projects
/// restamped because a partner or hierarchy node they show changed (<see cref="ProjectWrites.RestampAsync"/>).
/// Held by the unit's <see cref="RegistryDbContext"/>.
/// </summary>
internal sealed class PendingRefreshes
{
    public HashSet<Guid> Projects { get; } = [];

    /// <summary>
    /// Projects among <see cref="Projects"/> whose objects in hand are what the unit wrote (bulk writes): their
    /// representations are rendered from them instead of read back. A project stamped or restamped again after its
    /// write is dropped from here, and read back.
    /// </summary>
    public Dictionary<Guid, Domain.Projects.Project> Written { get; } = [];

    /// <summary>
    /// Projects among <see cref="Written"/> that the unit created (bulk writes of new ids): none has a stored
    /// representation yet, so theirs are copied in (binary COPY) rather than upserted.
    /// </summary>
    public HashSet<Guid> Created { get; } = [];

    public bool IsEmpty => Projects.Count == 0;

    /// <summary>The project is to be refreshed from what is stored: it leaves <see cref="Written"/> and <see cref="Created"/>.</summary>
    public void ReadBack(Guid id)
    {
        Projects.Add(id);
        Written.Remove(id);
        Created.Remove(id);
    }

    public void Clear()
    {
        Projects.Clear();
        Written.Clear();
        Created.Clear();
    }
}

/// <summary>
/// Refreshes the derived rows of projects: the search rows through <c>registry.refresh_project_search</c>, then the
/// stored representations (<see cref="ProjectRepresentations"/>), for every project written or restamped, one
/// set-based statement per step. Only <see cref="ProjectWrites"/> and <see cref="RefreshOnCommit"/> call it.
/// </summary>
internal static class ProjectSearchIndex
{
    /// <summary>Runs every pending refresh in the context's open transaction, and forgets them.</summary>
    public static async Task FlushAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        var pending = db.PendingRefreshes;
        if (pending.IsEmpty)
        {
            return;
        }

        var projectIds = pending.Projects.Order().ToArray();
        var written = projectIds.Where(pending.Written.ContainsKey).Select(id => pending.Written[id]).ToList();
        var created = pending.Created.ToHashSet();
        pending.Clear();
        await db.Database.ExecuteSqlAsync($"SELECT registry.refresh_project_search({projectIds})", cancellationToken);
        await ProjectRepresentations.RenderAsync(db, projectIds, written, created, cancellationToken);
    }
}
