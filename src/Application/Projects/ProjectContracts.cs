using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Projects;

/// <summary>One of the project's own aims.</summary>
/// <param name="Kind">Main or secondary aim; left out or null when the page does not say.</param>
/// <param name="Text">The aim, by language.</param>
public sealed record ObjectiveDto(ObjectiveKind? Kind, Dictionary<string, string?>? Text);

/// <summary>Something the project does or did.</summary>
/// <param name="Kind">What kind of activity; left out or null when the page gives none.</param>
/// <param name="Title">Its title, by language.</param>
/// <param name="Description">Its description, by language.</param>
/// <param name="StartDate">When it starts: <c>YYYY-MM-DD</c>, <c>YYYY-MM</c> or <c>YYYY</c>.</param>
/// <param name="EndDate">When it ends, at any of the same precisions.</param>
/// <param name="Country">Where it takes place (ISO 3166-1 alpha-2).</param>
/// <param name="Participants">How many people take part.</param>
/// <param name="Links">Pages about it (absolute http(s) URLs).</param>
public sealed record ActivityDto(
    ActivityKind? Kind,
    Dictionary<string, string?>? Title,
    Dictionary<string, string?>? Description,
    string? StartDate,
    string? EndDate,
    string? Country,
    int? Participants,
    IReadOnlyList<string?>? Links);

/// <summary>How to reach the project.</summary>
/// <param name="Email">E-mail address.</param>
/// <param name="Website">Website (absolute http(s) URL).</param>
/// <param name="Phone">Telephone number.</param>
public sealed record ContactDto(string? Email, string? Website, string? Phone);

/// <summary>A page about the project.</summary>
/// <param name="Url">Absolute http(s) URL.</param>
/// <param name="Title">The page's title, by language.</param>
public sealed record LinkDto(string? Url, Dictionary<string, string?>? Title);

/// <summary>
/// A partner named by a project: by <c>id</c>; or described, in which case it resolves to the partner
/// with one of the same <c>identifiers</c>, else to the one with the same name in the same country,
/// else a new partner is registered.
/// </summary>
/// <param name="Id">An existing partner's id.</param>
/// <param name="Name">The organisation's name, by language.</param>
/// <param name="Acronym">Its acronym.</param>
/// <param name="Kind">What kind of organisation.</param>
/// <param name="Country">Its country (ISO 3166-1 alpha-2).</param>
/// <param name="Region">Its region (NUTS or ISO 3166-2).</param>
/// <param name="Website">Its website.</param>
/// <param name="Email">Its e-mail address.</param>
/// <param name="Identifiers">Register numbers, LAG codes and the like.</param>
public sealed record PartnerReferenceDto(
    Guid? Id,
    Dictionary<string, string?>? Name,
    string? Acronym,
    PartnerKind? Kind,
    string? Country,
    string? Region,
    string? Website,
    string? Email,
    IReadOnlyList<IdentifierDto?>? Identifiers);

/// <summary>A partner's part in a project.</summary>
/// <param name="Partner">The partner.</param>
/// <param name="Role">Its role; left out or null when the page does not state it (not stated, never assumed).</param>
/// <param name="BudgetShare">Its share of the budget.</param>
public sealed record ParticipationRequest(PartnerReferenceDto? Partner, PartnerRole? Role, MoneyDto? BudgetShare);

/// <summary>A funding measure or goal, by <c>id</c> or by <c>scheme</c> and <c>code</c>.</summary>
/// <param name="Id">The node's id.</param>
/// <param name="Scheme">The scheme, e.g. <c>lv-rdp-2014-2020</c>.</param>
/// <param name="Code">The code within the scheme, e.g. <c>19.3</c>.</param>
public sealed record ReferenceDto(Guid? Id, string? Scheme, string? Code);

/// <summary>A goal the project serves.</summary>
/// <param name="Goal">The goal.</param>
/// <param name="Relevance">Whether it is a primary or secondary goal of the project; left out or null when the page does not say.</param>
public sealed record GoalLinkRequest(ReferenceDto? Goal, GoalRelevance? Relevance);

/// <summary>A project record as a publisher writes it.</summary>
/// <param name="Publisher">The owning publisher's code. A publisher's key may leave it out (its own is used); an admin must give it when creating.</param>
/// <param name="ExternalId">The publisher's own id of the project; never changes once set. Required on POST; taken from the URL on PUT /v1/projects/external/{externalId}.</param>
/// <param name="Title">The title by BCP 47 language tag (at least one; up to 500 characters each).</param>
/// <param name="Summary">A short summary by language (up to 2,000 characters each).</param>
/// <param name="Description">The full description by language (up to 20,000 characters each).</param>
/// <param name="OriginalLanguage">The language the record was written in; one of the title's languages. Other languages are translations.</param>
/// <param name="Status">What the publisher says of the project's state; dates decide it where they are known, unless it is <c>cancelled</c>.</param>
/// <param name="StartDate">Start: <c>YYYY-MM-DD</c>, <c>YYYY-MM</c> or <c>YYYY</c>, at the precision known.</param>
/// <param name="EndDate">End, not before the start.</param>
/// <param name="Budget">The budget.</param>
/// <param name="Countries">Countries involved (ISO 3166-1 alpha-2; EL and UK accepted for GR and GB).</param>
/// <param name="Regions">Regions involved (NUTS or ISO 3166-2 codes).</param>
/// <param name="Themes">Themes as lowercase kebab-case tags, e.g. <c>smart-villages</c>.</param>
/// <param name="TargetGroups">Who the project is for, each by language.</param>
/// <param name="Objectives">The project's own aims.</param>
/// <param name="Activities">What the project does.</param>
/// <param name="Contact">How to reach the project.</param>
/// <param name="Links">Pages about the project.</param>
/// <param name="Identifiers">Other numbers the project has, e.g. a national project number.</param>
/// <param name="Partners">Participating organisations, each once.</param>
/// <param name="FundingMeasures">Funding measures the project is financed from.</param>
/// <param name="Goals">Policy goals the project serves.</param>
public sealed record ProjectRequest(
    string? Publisher,
    string? ExternalId,
    Dictionary<string, string?>? Title,
    Dictionary<string, string?>? Summary,
    Dictionary<string, string?>? Description,
    string? OriginalLanguage,
    ProjectStatus? Status,
    string? StartDate,
    string? EndDate,
    BudgetDto? Budget,
    IReadOnlyList<string?>? Countries,
    IReadOnlyList<string?>? Regions,
    IReadOnlyList<string?>? Themes,
    IReadOnlyList<Dictionary<string, string?>?>? TargetGroups,
    IReadOnlyList<ObjectiveDto?>? Objectives,
    IReadOnlyList<ActivityDto?>? Activities,
    ContactDto? Contact,
    IReadOnlyList<LinkDto?>? Links,
    IReadOnlyList<IdentifierDto?>? Identifiers,
    IReadOnlyList<ParticipationRequest?>? Partners,
    IReadOnlyList<ReferenceDto?>? FundingMeasures,
    IReadOnlyList<GoalLinkRequest?>? Goals);

/// <summary>A partner as a project shows it.</summary>
/// <param name="Id">The partner's id.</param>
/// <param name="Name">Its name by language.</param>
/// <param name="Acronym">Its acronym.</param>
/// <param name="Kind">What kind of organisation.</param>
/// <param name="Country">Its country.</param>
public sealed record PartnerSummary(Guid Id, IReadOnlyDictionary<string, string> Name, string? Acronym, PartnerKind Kind, string? Country);

/// <summary>A partner's part in a project.</summary>
/// <param name="Partner">The partner.</param>
/// <param name="Role">Its role; null when the publisher did not state it.</param>
/// <param name="BudgetShare">Its share of the budget.</param>
public sealed record ParticipationResponse(PartnerSummary Partner, PartnerRole? Role, MoneyDto? BudgetShare);

/// <summary>A funding measure or goal as a project shows it.</summary>
/// <param name="Id">The node's id.</param>
/// <param name="Scheme">Its scheme.</param>
/// <param name="Code">Its code within the scheme.</param>
/// <param name="Name">Its name by language.</param>
public sealed record ReferenceSummary(Guid Id, string Scheme, string Code, IReadOnlyDictionary<string, string> Name);

/// <summary>A goal the project serves.</summary>
/// <param name="Goal">The goal.</param>
/// <param name="Relevance">Primary or secondary; null when the publisher did not say.</param>
public sealed record GoalLinkResponse(ReferenceSummary Goal, GoalRelevance? Relevance);

/// <summary>A project record.</summary>
/// <param name="Id">Server-made id (UUID version 7).</param>
/// <param name="Publisher">The owning publisher's code.</param>
/// <param name="ExternalId">The publisher's own id of the project.</param>
/// <param name="Title">The title by language.</param>
/// <param name="Summary">A short summary by language.</param>
/// <param name="Description">The full description by language.</param>
/// <param name="OriginalLanguage">The language the record was written in; other languages are translations.</param>
/// <param name="Status">The project's state as of its version's day (UTC), restamped with a new version by the daily status job when the passing days change it: from its dates where they decide it, <c>cancelled</c> when the publisher says so, else what the publisher says.</param>
/// <param name="DeclaredStatus">What the publisher said of the project's state.</param>
/// <param name="StartDate">Start, at the precision the publisher knows (<c>YYYY-MM-DD</c>, <c>YYYY-MM</c> or <c>YYYY</c>).</param>
/// <param name="EndDate">End, at the precision the publisher knows.</param>
/// <param name="Budget">The budget.</param>
/// <param name="Countries">Countries involved.</param>
/// <param name="Regions">Regions involved.</param>
/// <param name="Themes">Themes.</param>
/// <param name="TargetGroups">Who the project is for.</param>
/// <param name="Objectives">The project's own aims.</param>
/// <param name="Activities">What the project does.</param>
/// <param name="Contact">How to reach the project.</param>
/// <param name="Links">Pages about the project.</param>
/// <param name="Identifiers">Other numbers the project has.</param>
/// <param name="Partners">Participating organisations.</param>
/// <param name="FundingMeasures">Funding measures.</param>
/// <param name="Goals">Goals served.</param>
/// <param name="CreatedAt">When the record was created (UTC).</param>
/// <param name="UpdatedAt">When the record last changed (UTC).</param>
/// <param name="Version">The record's version: the change-sequence number of its last change; also its ETag.</param>
public sealed record ProjectResponse(
    Guid Id,
    string Publisher,
    string ExternalId,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string>? Summary,
    IReadOnlyDictionary<string, string>? Description,
    string OriginalLanguage,
    ProjectStatus Status,
    ProjectStatus DeclaredStatus,
    string? StartDate,
    string? EndDate,
    BudgetDto? Budget,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> Themes,
    IReadOnlyList<IReadOnlyDictionary<string, string>> TargetGroups,
    IReadOnlyList<ObjectiveDto> Objectives,
    IReadOnlyList<ActivityDto> Activities,
    ContactDto? Contact,
    IReadOnlyList<LinkDto> Links,
    IReadOnlyList<IdentifierDto> Identifiers,
    IReadOnlyList<ParticipationResponse> Partners,
    IReadOnlyList<ReferenceSummary> FundingMeasures,
    IReadOnlyList<GoalLinkResponse> Goals,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);
