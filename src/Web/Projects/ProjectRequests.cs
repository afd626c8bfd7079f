using RuralRegistry.Application.Projects;

namespace RuralRegistry.Web.Projects;

internal static class ProjectRequests
{
    /// <summary>The writable representation of a project as it stands, for a merge patch to apply to.</summary>
    public static ProjectRequest FromResponse(ProjectResponse p) => new(
        p.Publisher,
        p.ExternalId,
        Editable(p.Title),
        p.Summary is null ? null : Editable(p.Summary),
        p.Description is null ? null : Editable(p.Description),
        p.OriginalLanguage,
        p.DeclaredStatus,
        p.StartDate,
        p.EndDate,
        p.Budget,
        p.Countries,
        p.Regions,
        p.Themes,
        [.. p.TargetGroups.Select(Editable)],
        p.Objectives,
        p.Activities,
        p.Contact,
        p.Links,
        p.Identifiers,
        [.. p.Partners.Select(x => new ParticipationRequest(new PartnerReferenceDto(x.Partner.Id, null, null, null, null, null, null, null, null), x.Role, x.BudgetShare))],
        [.. p.FundingMeasures.Select(m => new ReferenceDto(m.Id, null, null))],
        [.. p.Goals.Select(g => new GoalLinkRequest(new ReferenceDto(g.Goal.Id, null, null), g.Relevance))]);

    private static Dictionary<string, string?> Editable(IReadOnlyDictionary<string, string> text) =>
        text.ToDictionary(e => e.Key, e => (string?)e.Value);
}
