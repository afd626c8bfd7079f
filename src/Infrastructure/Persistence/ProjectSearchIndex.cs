using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>Refreshes the derived search rows of projects through <c>registry.refresh_project_search</c> (one set-based statement).</summary>
internal sealed class ProjectSearchIndex(RegistryDbContext db) : IProjectSearchIndex
{
    public async Task RefreshAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken)
    {
        if (projectIds.Count == 0)
        {
            return;
        }

        var ids = projectIds.Distinct().Order().ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT registry.refresh_project_search({ids})", cancellationToken);
    }

    public async Task RefreshForPartnerAsync(Guid partnerId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"SELECT registry.refresh_project_search(ARRAY(SELECT project_id FROM registry.project_partners WHERE partner_id = {partnerId} ORDER BY project_id))",
            cancellationToken);

    public async Task RefreshForMeasureAsync(Guid measureId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"SELECT registry.refresh_project_search(ARRAY(SELECT id FROM registry.project_search WHERE facets @> ARRAY[{ProjectFacets.FundingMeasure + measureId}] ORDER BY id))",
            cancellationToken);

    public async Task RefreshForGoalAsync(Guid goalId, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"SELECT registry.refresh_project_search(ARRAY(SELECT id FROM registry.project_search WHERE facets @> ARRAY[{ProjectFacets.Goal + goalId}] ORDER BY id))",
            cancellationToken);
}
