using Microsoft.EntityFrameworkCore;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// What a unit of work still has to refresh of projects' derived search rows: projects written, and the projects
/// of partners and hierarchy nodes that changed. Held by the unit's <see cref="RegistryDbContext"/>.
/// </summary>
internal sealed class PendingRefreshes
{
    public HashSet<Guid> Projects { get; } = [];

    public List<Guid> Partners { get; } = [];

    public List<Guid> Measures { get; } = [];

    public List<Guid> Goals { get; } = [];

    public bool IsEmpty => Projects.Count == 0 && Partners.Count == 0 && Measures.Count == 0 && Goals.Count == 0;

    public void Clear()
    {
        Projects.Clear();
        Partners.Clear();
        Measures.Clear();
        Goals.Clear();
    }
}

/// <summary>
/// Refreshes the derived rows of projects: the search rows through <c>registry.refresh_project_search</c>, then the
/// stored representations (<see cref="ProjectRepresentations"/>), for every project written and every project of a
/// partner or hierarchy node that changed, one set-based statement per step. Only <see cref="ProjectWrites"/> and
/// <see cref="RefreshOnCommit"/> call it.
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

        var projectIds = new HashSet<Guid>(pending.Projects);
        Guid[] partners = [.. pending.Partners], measures = [.. pending.Measures], goals = [.. pending.Goals];
        pending.Clear();
        if (partners.Length > 0)
        {
            projectIds.UnionWith(await db.Database
                .SqlQuery<Guid>($"SELECT DISTINCT project_id AS \"Value\" FROM registry.project_partners WHERE partner_id = ANY({partners})")
                .ToListAsync(cancellationToken));
        }

        string[] nodes = [.. measures.Select(m => ProjectFacets.FundingMeasure + m), .. goals.Select(g => ProjectFacets.Goal + g)];
        if (nodes.Length > 0)
        {
            projectIds.UnionWith(await db.Database
                .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM registry.project_search WHERE facets && {nodes}")
                .ToListAsync(cancellationToken));
        }

        if (projectIds.Count == 0)
        {
            return;
        }

        var ids = projectIds.Order().ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT registry.refresh_project_search({ids})", cancellationToken);
        await ProjectRepresentations.RenderAsync(db, ids, cancellationToken);
    }
}
