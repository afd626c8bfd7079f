using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.Projects;

public enum ProjectStatus
{
    Planned,
    Ongoing,
    Completed,
    Cancelled,
    Unknown,
}

public enum ObjectiveKind
{
    Main,
    Secondary,
}

public enum ActivityKind
{
    StudyVisit,
    Conference,
    RoundTable,
    Publication,
    Training,
    Meeting,
    Event,
    Other,
}

/// <summary>One of the project's own aims, as text; its kind null when the page does not say whether it is the main one.</summary>
public sealed record Objective(ObjectiveKind? Kind, LocalizedText Text);

/// <summary>Something the project does or did: a study visit, a conference, a bulletin; its kind null when the page gives none.</summary>
public sealed record Activity(
    ActivityKind? Kind,
    LocalizedText Title,
    LocalizedText? Description,
    PartialDate? StartDate,
    PartialDate? EndDate,
    CountryCode? Country,
    int? Participants,
    ValueList<string> Links);

public sealed record Contact(string? Email, string? Website, string? Phone);

public sealed record Link(string Url, LocalizedText? Title);

/// <summary>A number or code some scheme gives the record, e.g. a national project number.</summary>
public sealed record Identifier(string Scheme, string Value);

/// <summary>
/// Everything a publisher says about a project apart from its links to partners, measures and goals.
/// Compared by value, so an upsert of the same content changes nothing.
/// </summary>
public sealed record ProjectContent(
    LocalizedText Title,
    LocalizedText? Summary,
    LocalizedText? Description,
    LanguageTag OriginalLanguage,
    ProjectStatus DeclaredStatus,
    PartialDate? StartDate,
    PartialDate? EndDate,
    Budget? Budget,
    ValueList<CountryCode> Countries,
    ValueList<RegionCode> Regions,
    ValueList<string> Themes,
    ValueList<LocalizedText> TargetGroups,
    ValueList<Objective> Objectives,
    ValueList<Activity> Activities,
    Contact? Contact,
    ValueList<Link> Links,
    ValueList<Identifier> Identifiers)
{
    /// <summary>
    /// The status a reader sees: <c>cancelled</c> when the publisher says so; from the dates where they
    /// decide it; otherwise what the publisher says (else <c>unknown</c>).
    /// </summary>
    public ProjectStatus StatusOn(DateOnly today)
    {
        if (DeclaredStatus == ProjectStatus.Cancelled)
        {
            return ProjectStatus.Cancelled;
        }

        if (StartDate is not null && today < StartDate.FirstDay)
        {
            return ProjectStatus.Planned;
        }

        if (EndDate is not null && today > EndDate.LastDay)
        {
            return ProjectStatus.Completed;
        }

        if (StartDate is not null && EndDate is not null)
        {
            return ProjectStatus.Ongoing;
        }

        return DeclaredStatus;
    }
}
