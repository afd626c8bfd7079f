using Mapster;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// Reads projects in the API's representation: one query for the records (projected to their columns,
/// never whole aggregates) and one each for their partners, measures and goals, for a whole page at once.
/// </summary>
public sealed class ProjectReader(IRegistryDbContext db, TypeAdapterConfig mapping)
{
    /// <summary>The live projects among these ids, in the order given.</summary>
    public async Task<List<ProjectResponse>> ReadAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var order = ids.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
        var rows = await db.Projects.Where(p => ids.Contains(p.Id) && p.DeletedAt == null)
            .Join(db.Publishers, p => p.PublisherId, u => u.Id, (p, u) => new Row(p.Id, u.Code, p.ExternalId, p.Content, p.Status, p.Version, p.CreatedAt, p.UpdatedAt))
            .ToListAsync(cancellationToken);
        rows.Sort((a, b) => order[a.Id].CompareTo(order[b.Id]));
        var partners = (await db.Projects.Where(p => ids.Contains(p.Id))
                .SelectMany(p => p.Partners)
                .Join(db.Partners, pp => pp.PartnerId, pa => pa.Id, (pp, pa) => new { pp.ProjectId, pp.Position, pp.Role, pp.BudgetShare, pa.Id, pa.Details })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.ProjectId);
        var measures = (await db.Projects.Where(p => ids.Contains(p.Id))
                .SelectMany(p => p.FundingMeasures)
                .Join(db.FundingMeasures, pm => pm.FundingMeasureId, m => m.Id, (pm, m) => new { pm.ProjectId, pm.Position, m.Id, m.Scheme, m.Code, m.Details })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.ProjectId);
        var goals = (await db.Projects.Where(p => ids.Contains(p.Id))
                .SelectMany(p => p.Goals)
                .Join(db.Goals, pg => pg.GoalId, g => g.Id, (pg, g) => new { pg.ProjectId, pg.Position, pg.Relevance, g.Id, g.Scheme, g.Code, g.Details })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.ProjectId);

        return rows.Select(r =>
        {
            var c = r.Content;
            return new ProjectResponse(
                r.Id, r.Publisher, r.ExternalId, c.Title, c.Summary, c.Description, c.OriginalLanguage.Value,
                r.Status, c.DeclaredStatus, c.StartDate?.ToString(), c.EndDate?.ToString(),
                c.Budget?.Adapt<BudgetDto>(mapping),
                [.. c.Countries.Select(x => x.Value)],
                [.. c.Regions.Select(x => x.Value)],
                c.Themes,
                c.TargetGroups,
                c.Objectives.Adapt<List<ObjectiveDto>>(mapping),
                c.Activities.Adapt<List<ActivityDto>>(mapping),
                c.Contact?.Adapt<ContactDto>(mapping),
                c.Links.Adapt<List<LinkDto>>(mapping),
                c.Identifiers.Adapt<List<IdentifierDto>>(mapping),
                [.. partners[r.Id].OrderBy(x => x.Position).Select(x => new ParticipationResponse(
                    new PartnerSummary(x.Id, x.Details.Name, x.Details.Acronym, x.Details.Kind, x.Details.Country?.Value),
                    x.Role,
                    x.BudgetShare?.Adapt<MoneyDto>(mapping)))],
                [.. measures[r.Id].OrderBy(x => x.Position).Select(x => new ReferenceSummary(x.Id, x.Scheme, x.Code, x.Details.Name))],
                [.. goals[r.Id].OrderBy(x => x.Position).Select(x => new GoalLinkResponse(new ReferenceSummary(x.Id, x.Scheme, x.Code, x.Details.Name), x.Relevance))],
                r.CreatedAt, r.UpdatedAt, r.Version);
        }).ToList();
    }

    private sealed record Row(Guid Id, string Publisher, string ExternalId, ProjectContent Content, ProjectStatus Status, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
