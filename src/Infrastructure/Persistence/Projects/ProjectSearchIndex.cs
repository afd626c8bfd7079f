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
/// Refreshes the derived search rows of projects through <c>registry.refresh_project_search</c> (one set-based
/// statement per kind of request). Only <see cref="ProjectWrites"/> and <see cref="RefreshOnCommit"/> call it.
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
        Guid[] partners = [.. pending.Partners], measures = [.. pending.Measures], goals = [.. pending.Goals];
        pending.Clear();
        if (projectIds.Length > 0)
        {
            await db.Database.ExecuteSqlAsync($"SELECT registry.refresh_project_search({projectIds})", cancellationToken);
        }

        foreach (var partnerId in partners)
        {
            await db.Database.ExecuteSqlAsync(
                $"SELECT registry.refresh_project_search(ARRAY(SELECT project_id FROM registry.project_partners WHERE partner_id = {partnerId} ORDER BY project_id))",
                cancellationToken);
        }

        foreach (var measureId in measures)
        {
            await db.Database.ExecuteSqlAsync(
                $"SELECT registry.refresh_project_search(ARRAY(SELECT id FROM registry.project_search WHERE facets @> ARRAY[{ProjectFacets.FundingMeasure + measureId}] ORDER BY id))",
                cancellationToken);
        }

        foreach (var goalId in goals)
        {
            await db.Database.ExecuteSqlAsync(
                $"SELECT registry.refresh_project_search(ARRAY(SELECT id FROM registry.project_search WHERE facets @> ARRAY[{ProjectFacets.Goal + goalId}] ORDER BY id))",
                cancellationToken);
        }
    }
}
