using Mapster;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Common;
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

        return [.. rows.Select(r => Response(
            r.Id, r.Publisher, r.ExternalId, r.Content, r.Status, r.Version, r.CreatedAt, r.UpdatedAt,
            [.. partners[r.Id].OrderBy(x => x.Position).Select(x => (new PartnerSummary(x.Id, x.Details.Name, x.Details.Acronym, x.Details.Kind, x.Details.Country?.Value), x.Role, x.BudgetShare))],
            [.. measures[r.Id].OrderBy(x => x.Position).Select(x => new ReferenceSummary(x.Id, x.Scheme, x.Code, x.Details.Name))],
            [.. goals[r.Id].OrderBy(x => x.Position).Select(x => (new ReferenceSummary(x.Id, x.Scheme, x.Code, x.Details.Name), x.Relevance))]))];
    }

    /// <summary>
    /// Reads the written projects' representations from the objects in hand (what the unit of work just wrote):
    /// their partners', measures' and goals' summaries and the publishers' codes are read, one statement each, but the
    /// projects themselves are not read back. The result is the one <see cref="ReadAsync"/> gives after the write
    /// (timestamps as PostgreSQL keeps them, to the microsecond).
    /// </summary>
    public async Task<List<ProjectResponse>> ReadWrittenAsync(IReadOnlyList<Project> projects, CancellationToken cancellationToken)
    {
        if (projects.Count == 0)
        {
            return [];
        }

        var publisherIds = projects.Select(p => p.PublisherId).Distinct().ToList();
        var partnerIds = projects.SelectMany(p => p.Partners.Select(x => x.PartnerId)).Distinct().ToList();
        var measureIds = projects.SelectMany(p => p.FundingMeasures.Select(x => x.FundingMeasureId)).Distinct().ToList();
        var goalIds = projects.SelectMany(p => p.Goals.Select(x => x.GoalId)).Distinct().ToList();
        var publishers = await db.Publishers.Where(u => publisherIds.Contains(u.Id)).Select(u => new { u.Id, u.Code }).ToDictionaryAsync(u => u.Id, u => u.Code, cancellationToken);
        var partners = partnerIds.Count == 0 ? [] : await db.Partners.Where(x => partnerIds.Contains(x.Id))
            .Select(x => new { x.Id, x.Details }).ToDictionaryAsync(x => x.Id, x => new PartnerSummary(x.Id, x.Details.Name, x.Details.Acronym, x.Details.Kind, x.Details.Country?.Value), cancellationToken);
        var measures = measureIds.Count == 0 ? [] : await db.FundingMeasures.Where(x => measureIds.Contains(x.Id))
            .Select(x => new { x.Id, x.Scheme, x.Code, x.Details }).ToDictionaryAsync(x => x.Id, x => new ReferenceSummary(x.Id, x.Scheme, x.Code, x.Details.Name), cancellationToken);
        var goals = goalIds.Count == 0 ? [] : await db.Goals.Where(x => goalIds.Contains(x.Id))
            .Select(x => new { x.Id, x.Scheme, x.Code, x.Details }).ToDictionaryAsync(x => x.Id, x => new ReferenceSummary(x.Id, x.Scheme, x.Code, x.Details.Name), cancellationToken);

        return [.. projects.Select(p => Response(
            p.Id, publishers[p.PublisherId], p.ExternalId, p.Content, p.Status, p.Version, AsStored(p.CreatedAt), AsStored(p.UpdatedAt),
            [.. p.Partners.OrderBy(x => x.Position).Select(x => (partners[x.PartnerId], x.Role, x.BudgetShare))],
            [.. p.FundingMeasures.OrderBy(x => x.Position).Select(x => measures[x.FundingMeasureId])],
            [.. p.Goals.OrderBy(x => x.Position).Select(x => (goals[x.GoalId], x.Relevance))]))];
    }

    /// <summary>A timestamp as a <c>timestamptz</c> column gives it back: to the microsecond (Npgsql drops the rest).</summary>
    private static DateTimeOffset AsStored(DateTimeOffset value) => value.AddTicks(-(value.UtcTicks % 10));

    private ProjectResponse Response(
        Guid id, string publisher, string externalId, ProjectContent c, ProjectStatus status, long version, DateTimeOffset createdAt, DateTimeOffset updatedAt,
        List<(PartnerSummary Partner, PartnerRole? Role, Money? BudgetShare)> partners, List<ReferenceSummary> measures, List<(ReferenceSummary Goal, GoalRelevance? Relevance)> goals) =>
        new(
            id, publisher, externalId, c.Title, c.Summary, c.Description, c.OriginalLanguage.Value,
            status, c.DeclaredStatus, c.StartDate?.ToString(), c.EndDate?.ToString(),
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
            [.. partners.Select(x => new ParticipationResponse(x.Partner, x.Role, x.BudgetShare?.Adapt<MoneyDto>(mapping)))],
            measures,
            [.. goals.Select(x => new GoalLinkResponse(x.Goal, x.Relevance))],
            createdAt, updatedAt, version);

    private sealed record Row(Guid Id, string Publisher, string ExternalId, ProjectContent Content, ProjectStatus Status, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
