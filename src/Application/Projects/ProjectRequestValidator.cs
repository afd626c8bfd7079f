using System.Globalization;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Projects;

/// <summary>A partner as a write names it, checked but not yet resolved to a stored partner.</summary>
public sealed record PartnerReference(Guid? Id, PartnerDetails? Details, string Pointer);

public sealed record ParticipationInput(PartnerReference Partner, PartnerRole? Role, Money? BudgetShare);

public sealed record NodeReference(Guid? Id, string? Scheme, string? Code, string Pointer)
{
    public override string ToString() => Id?.ToString() ?? $"{Scheme}/{Code}";
}

public sealed record GoalLinkInput(NodeReference Goal, GoalRelevance? Relevance);

/// <summary>A project write, checked: its content in domain terms and the references still to resolve.</summary>
public sealed record ProjectInput(
    string? Publisher,
    string? ExternalId,
    ProjectContent Content,
    IReadOnlyList<ParticipationInput> Partners,
    IReadOnlyList<NodeReference> FundingMeasures,
    IReadOnlyList<GoalLinkInput> Goals);

/// <summary>Checks every rule of a project record that needs no database, pointing at each bad value.</summary>
public static class ProjectRequestValidator
{
    public const int TitleMaxLength = 500;
    public const int SummaryMaxLength = 2_000;
    public const int DescriptionMaxLength = 20_000;
    public const int ShortTextMaxLength = 500;
    public const int LongTextMaxLength = 5_000;
    public const int MaxCountries = 60;
    public const int MaxRegions = 100;
    public const int MaxThemes = 30;
    public const int MaxTargetGroups = 30;
    public const int MaxObjectives = 50;
    public const int MaxActivities = 100;
    public const int MaxLinks = 50;
    public const int MaxActivityLinks = 20;
    public const int MaxPartners = 200;
    public const int MaxFundingMeasures = 50;
    public const int MaxGoals = 50;
    public const int MaxParticipants = 1_000_000;
    public const int PhoneMaxLength = 50;
    public const int NodeKeyMaxLength = 64;

    /// <summary>
    /// The members a project write must give, by JSON name (nested ones as <c>schema.member</c> of the contract's
    /// schema names). The contract's <c>required</c> lists are written from this table, and the conformance tests
    /// check the validator against it in both directions.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> RequiredMembers = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["ProjectRequest"] = ["title", "originalLanguage"],
        ["ObjectiveDto"] = ["text"],
        ["ActivityDto"] = ["title"],
        ["LinkDto"] = ["url"],
        ["ParticipationRequest"] = ["partner"],
        ["GoalLinkRequest"] = ["goal"],
        ["ContributionDto"] = ["amount"],
        ["MoneyDto"] = ["amount", "currency"],
        ["IdentifierDto"] = ["scheme", "value"],
    };

    public static Result<ProjectInput> Validate(ProjectRequest request)
    {
        var check = new InputChecker();
        if (request.ExternalId is not null && !Project.IsValidExternalId(request.ExternalId, out var externalIdError))
        {
            check.Fail("/externalId", externalIdError!);
        }

        var title = check.Text(request.Title, "/title", TitleMaxLength, required: true);
        var summary = check.Text(request.Summary, "/summary", SummaryMaxLength, required: false);
        var description = check.Text(request.Description, "/description", DescriptionMaxLength, required: false);
        var language = check.Language(request.OriginalLanguage, "/originalLanguage");
        if (title is not null && language is not null && !title.ContainsKey(language.Value))
        {
            check.Fail("/originalLanguage", $"The original language '{language}' must be one of the title's languages ({string.Join(", ", title.Keys)}).");
        }

        var start = check.Date(request.StartDate, "/startDate");
        var end = check.Date(request.EndDate, "/endDate");
        check.DateRange(start, end, "/endDate");
        var budget = Budget(check, request.Budget);
        var countries = check.List(request.Countries, "/countries", MaxCountries, (c, at) => check.Country(c, at));
        var regions = check.List(request.Regions, "/regions", MaxRegions, (r, at) => check.Region(r, at));
        var themes = check.List(request.Themes, "/themes", MaxThemes, (t, at) => check.Slug(t, at, "A theme"));
        var targetGroups = check.List(request.TargetGroups, "/targetGroups", MaxTargetGroups, (g, at) => check.Text(g, at, ShortTextMaxLength, required: true));
        var objectives = check.List(request.Objectives, "/objectives", MaxObjectives, (o, at) =>
        {
            var text = check.Text(o.Text, $"{at}/text", LongTextMaxLength, required: true);
            return text is null ? null : new Objective(o.Kind, text);
        });
        var activities = check.List(request.Activities, "/activities", MaxActivities, (a, at) => Activity(check, a, at));
        var contact = Contact(check, request.Contact);
        var links = check.List(request.Links, "/links", MaxLinks, (l, at) =>
        {
            var url = check.Url(l.Url, $"{at}/url");
            if (l.Url is null)
            {
                check.Fail($"{at}/url", "Required.");
            }

            var linkTitle = check.Text(l.Title, $"{at}/title", ShortTextMaxLength, required: false);
            return url is null ? null : new Link(url, linkTitle);
        });
        var identifiers = check.Identifiers(request.Identifiers, "/identifiers");
        var partners = Partners(check, request.Partners);
        var measures = check.List(request.FundingMeasures, "/fundingMeasures", MaxFundingMeasures, (m, at) => Node(check, m, at));
        var goals = check.List(request.Goals, "/goals", MaxGoals, (g, at) =>
        {
            var node = g.Goal is null ? null : Node(check, g.Goal, $"{at}/goal");
            if (g.Goal is null)
            {
                check.Fail($"{at}/goal", "Required: {\"id\": ...} or {\"scheme\": ..., \"code\": ...}.");
            }

            return node is null ? null : new GoalLinkInput(node, g.Relevance);
        });

        if (!check.IsValid)
        {
            return check.Errors;
        }

        var content = new ProjectContent(
            title!, summary, description, language!, request.Status ?? ProjectStatus.Unknown, start, end, budget,
            countries, regions, themes, targetGroups, objectives, activities, contact, links, identifiers);
        return new ProjectInput(request.Publisher, request.ExternalId, content, partners, measures, goals);
    }

    private static Budget? Budget(InputChecker check, BudgetDto? budget)
    {
        if (budget is null)
        {
            return null;
        }

        // A budget that states neither a total nor a contribution states nothing: the project's budget is not known,
        // as when the member is left out (the contract's BudgetRequest allows both members absent or null).
        if (budget.Total is null && (budget.Contributions is null || budget.Contributions.Count == 0))
        {
            return null;
        }

        var total = check.Money(budget.Total, "/budget/total");
        var contributions = check.List(budget.Contributions, "/budget/contributions", Domain.Common.Budget.MaxContributions, (c, at) =>
        {
            var amount = check.Money(c.Amount, $"{at}/amount");
            if (c.Amount is null)
            {
                check.Fail($"{at}/amount", "Required.");
            }

            return amount is null ? null : new Contribution(c.Source, amount);
        });
        return new Budget(total, contributions);
    }

    private static Activity? Activity(InputChecker check, ActivityDto activity, string at)
    {
        var title = check.Text(activity.Title, $"{at}/title", ShortTextMaxLength, required: true);
        var description = check.Text(activity.Description, $"{at}/description", LongTextMaxLength, required: false);
        var start = check.Date(activity.StartDate, $"{at}/startDate");
        var end = check.Date(activity.EndDate, $"{at}/endDate");
        check.DateRange(start, end, $"{at}/endDate");
        var country = check.Country(activity.Country, $"{at}/country");
        if (activity.Participants is < 0 or > MaxParticipants)
        {
            check.Fail($"{at}/participants", $"Participants are 0 to {MaxParticipants.ToString("N0", CultureInfo.InvariantCulture)}.");
        }

        var links = check.List(activity.Links, $"{at}/links", MaxActivityLinks, (l, linkAt) => check.Url(l, linkAt));
        return title is null
            ? null
            : new Activity(activity.Kind, title, description, start, end, country, activity.Participants, links);
    }

    private static Contact? Contact(InputChecker check, ContactDto? contact)
    {
        if (contact is null)
        {
            return null;
        }

        var email = check.Email(contact.Email, "/contact/email");
        var website = check.Url(contact.Website, "/contact/website");
        var phone = check.PlainText(contact.Phone, "/contact/phone", PhoneMaxLength, required: false);
        return email is null && website is null && phone is null ? null : new Contact(email, website, phone);
    }

    private static ValueList<ParticipationInput> Partners(InputChecker check, IReadOnlyList<ParticipationRequest?>? partners) =>
        check.List(partners, "/partners", MaxPartners, (p, at) =>
        {
            var share = check.Money(p.BudgetShare, $"{at}/budgetShare");
            PartnerReference? reference = null;
            if (p.Partner is null)
            {
                check.Fail($"{at}/partner", "Required: {\"id\": ...}, or the partner's name and country (and identifiers where known).");
            }
            else
            {
                reference = PartnerReferenceOf(check, p.Partner, $"{at}/partner");
            }

            return reference is null ? null : new ParticipationInput(reference, p.Role, share);
        });

    /// <summary>A partner named by id alone, or described well enough to find or register it.</summary>
    public static PartnerReference? PartnerReferenceOf(InputChecker check, PartnerReferenceDto dto, string at)
    {
        var described = dto.Name is not null || dto.Acronym is not null || dto.Kind is not null || dto.Country is not null
            || dto.Region is not null || dto.Website is not null || dto.Email is not null || dto.Identifiers is not null;
        if (dto.Id is { } id)
        {
            if (described)
            {
                check.Fail(at, "Name a partner either by id alone or by its description (name, country, identifiers), not both.");
                return null;
            }

            return new PartnerReference(id, null, at);
        }

        var details = PartnerDetailsOf(check, dto.Name, dto.Acronym, dto.Kind, dto.Country, dto.Region, dto.Website, dto.Email, dto.Identifiers, at);
        return details is null ? null : new PartnerReference(null, details, at);
    }

    public static PartnerDetails? PartnerDetailsOf(
        InputChecker check, Dictionary<string, string?>? name, string? acronym, PartnerKind? kind, string? country, string? region,
        string? website, string? email, IReadOnlyList<IdentifierDto?>? identifiers, string at)
    {
        var before = check.Errors.Count;
        var checkedName = check.Text(name, $"{at}/name", Partner.NameMaxLength, required: true);
        var checkedAcronym = check.PlainText(acronym, $"{at}/acronym", Partner.AcronymMaxLength, required: false);
        var checkedCountry = check.Country(country, $"{at}/country");
        var checkedRegion = check.Region(region, $"{at}/region");
        var checkedWebsite = check.Url(website, $"{at}/website");
        var checkedEmail = check.Email(email, $"{at}/email");
        var checkedIdentifiers = check.Identifiers(identifiers, $"{at}/identifiers");
        return check.Errors.Count > before
            ? null
            : new PartnerDetails(checkedName!, checkedAcronym, kind ?? PartnerKind.Other, checkedCountry, checkedRegion, checkedWebsite, checkedEmail, checkedIdentifiers);
    }

    private static NodeReference? Node(InputChecker check, ReferenceDto node, string at)
    {
        if (node.Id is { } id)
        {
            if (node.Scheme is not null || node.Code is not null)
            {
                check.Fail(at, "Name it either by id or by scheme and code, not both.");
                return null;
            }

            return new NodeReference(id, null, null, at);
        }

        if (node.Scheme is null && node.Code is null)
        {
            check.Fail(at, $"Name it by {{\"id\": ...}} or by {{\"scheme\": ..., \"code\": ...}} (each up to {NodeKeyMaxLength} characters).");
            return null;
        }

        // A bad scheme or code is named by its own pointer, as the contract's ReferenceDto states each one's rule.
        var before = check.Errors.Count;
        var scheme = check.Slug(node.Scheme, $"{at}/scheme", "A scheme");
        if (node.Code is null || string.IsNullOrWhiteSpace(node.Code) || node.Code.Length > NodeKeyMaxLength)
        {
            check.Fail($"{at}/code", $"A code is 1 to {NodeKeyMaxLength} characters, not blank; give it with the scheme.");
        }

        return check.Errors.Count > before ? null : new NodeReference(null, scheme, node.Code, at);
    }
}
