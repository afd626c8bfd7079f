using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Projects;

/// <summary>A partner as a write names it, checked but not yet resolved to a stored partner.</summary>
public sealed record PartnerReference(Guid? Id, PartnerDetails? Details, string Pointer);

public sealed record ParticipationInput(PartnerReference Partner, PartnerRole Role, Money? BudgetShare);

public sealed record NodeReference(Guid? Id, string? Scheme, string? Code, string Pointer)
{
    public override string ToString() => Id?.ToString() ?? $"{Scheme}/{Code}";
}

public sealed record GoalLinkInput(NodeReference Goal, GoalRelevance Relevance);

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
        var countries = check.List(request.Countries, "/countries", 60, (c, at) => check.Country(c, at));
        var regions = check.List(request.Regions, "/regions", 100, (r, at) => check.Region(r, at));
        var themes = check.List(request.Themes, "/themes", 30, (t, at) => check.Slug(t, at, "A theme"));
        var targetGroups = check.List(request.TargetGroups, "/targetGroups", 30, (g, at) => check.Text(g, at, ShortTextMaxLength, required: true));
        var objectives = check.List(request.Objectives, "/objectives", 50, (o, at) =>
        {
            var kind = check.Required(o.Kind, $"{at}/kind", "main, secondary");
            var text = check.Text(o.Text, $"{at}/text", LongTextMaxLength, required: true);
            return kind is null || text is null ? null : new Objective(kind.Value, text);
        });
        var activities = check.List(request.Activities, "/activities", 100, (a, at) => Activity(check, a, at));
        var contact = Contact(check, request.Contact);
        var links = check.List(request.Links, "/links", 50, (l, at) =>
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
        var measures = check.List(request.FundingMeasures, "/fundingMeasures", 50, (m, at) => Node(check, m, at));
        var goals = check.List(request.Goals, "/goals", 50, (g, at) =>
        {
            var node = g.Goal is null ? null : Node(check, g.Goal, $"{at}/goal");
            if (g.Goal is null)
            {
                check.Fail($"{at}/goal", "Required: {\"id\": ...} or {\"scheme\": ..., \"code\": ...}.");
            }

            var relevance = check.Required(g.Relevance, $"{at}/relevance", "primary, secondary");
            return node is null || relevance is null ? null : new GoalLinkInput(node, relevance.Value);
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

        var total = check.Money(budget.Total, "/budget/total");
        var contributions = check.List(budget.Contributions, "/budget/contributions", Domain.Common.Budget.MaxContributions, (c, at) =>
        {
            var source = check.Required(c.Source, $"{at}/source", "eu, national, regional, own, private, other");
            var amount = check.Money(c.Amount, $"{at}/amount");
            if (c.Amount is null)
            {
                check.Fail($"{at}/amount", "Required.");
            }

            return source is null || amount is null ? null : new Contribution(source.Value, amount);
        });
        if (budget.Total is null && (budget.Contributions is null || budget.Contributions.Count == 0))
        {
            check.Fail("/budget", "A budget has a total, contributions, or both; leave it out or null when unknown.");
        }

        return new Budget(total, contributions);
    }

    private static Activity? Activity(InputChecker check, ActivityDto activity, string at)
    {
        var kind = check.Required(activity.Kind, $"{at}/kind", "study-visit, conference, round-table, publication, training, meeting, event, other");
        var title = check.Text(activity.Title, $"{at}/title", ShortTextMaxLength, required: true);
        var description = check.Text(activity.Description, $"{at}/description", LongTextMaxLength, required: false);
        var start = check.Date(activity.StartDate, $"{at}/startDate");
        var end = check.Date(activity.EndDate, $"{at}/endDate");
        check.DateRange(start, end, $"{at}/endDate");
        var country = check.Country(activity.Country, $"{at}/country");
        if (activity.Participants is < 0 or > 1_000_000)
        {
            check.Fail($"{at}/participants", "Participants are 0 to 1,000,000.");
        }

        var links = check.List(activity.Links, $"{at}/links", 20, (l, linkAt) => check.Url(l, linkAt));
        return kind is null || title is null
            ? null
            : new Activity(kind.Value, title, description, start, end, country, activity.Participants, links);
    }

    private static Contact? Contact(InputChecker check, ContactDto? contact)
    {
        if (contact is null)
        {
            return null;
        }

        var email = check.Email(contact.Email, "/contact/email");
        var website = check.Url(contact.Website, "/contact/website");
        var phone = check.PlainText(contact.Phone, "/contact/phone", 50, required: false);
        return email is null && website is null && phone is null ? null : new Contact(email, website, phone);
    }

    private static ValueList<ParticipationInput> Partners(InputChecker check, IReadOnlyList<ParticipationRequest?>? partners) =>
        check.List(partners, "/partners", 200, (p, at) =>
        {
            var role = check.Required(p.Role, $"{at}/role", "lead, partner, associated, funder");
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

            return reference is null || role is null ? null : new ParticipationInput(reference, role.Value, share);
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

        if (string.IsNullOrEmpty(node.Scheme) || string.IsNullOrEmpty(node.Code) || node.Scheme.Length > 64 || node.Code.Length > 64)
        {
            check.Fail(at, "Name it by {\"id\": ...} or by {\"scheme\": ..., \"code\": ...} (each up to 64 characters).");
            return null;
        }

        return new NodeReference(null, node.Scheme, node.Code, at);
    }
}
