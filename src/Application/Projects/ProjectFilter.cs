using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Projects;

/// <summary>The filters of a project list, export or statistics call, as the query string gives them.</summary>
public sealed record ProjectFilterInput
{
    public string? Q { get; init; }

    public IReadOnlyList<string> Country { get; init; } = [];

    public IReadOnlyList<string> Region { get; init; } = [];

    public IReadOnlyList<string> Publisher { get; init; } = [];

    public IReadOnlyList<string> Status { get; init; } = [];

    public IReadOnlyList<string> FundingMeasure { get; init; } = [];

    public IReadOnlyList<string> Goal { get; init; } = [];

    public IReadOnlyList<string> Partner { get; init; } = [];

    public IReadOnlyList<string> PartnerCountry { get; init; } = [];

    public IReadOnlyList<string> Theme { get; init; } = [];

    public IReadOnlyList<string> Language { get; init; } = [];

    public string? ActiveOn { get; init; }

    public string? StartFrom { get; init; }

    public string? StartTo { get; init; }

    public string? EndFrom { get; init; }

    public string? EndTo { get; init; }

    public string? UpdatedSince { get; init; }

    public string? BudgetMin { get; init; }

    public string? BudgetMax { get; init; }

    public string? Currency { get; init; }
}

/// <summary>
/// The filters a project list, an export and the statistics share, checked and resolved (publisher codes,
/// measures and goals by id or scheme:code, the search words) into typed <see cref="Criteria"/> that all
/// must hold; Infrastructure turns them into one condition over the derived rows of live projects.
/// </summary>
public sealed class ProjectFilter
{
    public const int MaxValuesPerParameter = 50;

    private static readonly string[] Statuses = ["planned", "ongoing", "completed", "cancelled", "unknown"];

    private readonly List<KeyValuePair<string, string?>> _canonical = [];
    private readonly List<ProjectCriterion> _criteria = [];

    private ProjectFilter(ProjectSearch? search)
    {
        Search = search;
    }

    /// <summary>The resolved text search, when <c>q</c> was given.</summary>
    public ProjectSearch? Search { get; }

    /// <summary>The filters in a canonical form, for binding page tokens to them.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Canonical() => _canonical;

    /// <summary>What a project must match, in the order given; each one must hold.</summary>
    public IReadOnlyList<ProjectCriterion> Criteria => _criteria;

    public static Task<Result<ProjectFilter>> ParseAsync(
        ProjectFilterInput input, IRegistryDbContext db, IProjectSearchTerms terms, CancellationToken cancellationToken) =>
        ParseAsync(input, new Lazy<IRegistryDbContext>(() => db), terms, cancellationToken);

    /// <summary>
    /// Parses the filters; the unit of work's context is made only when a filter needs a lookup in it (publisher,
    /// funding measure, goal): a list or statistics request without one reads on plain Npgsql alone.
    /// </summary>
    public static async Task<Result<ProjectFilter>> ParseAsync(
        ProjectFilterInput input, Lazy<IRegistryDbContext> context, IProjectSearchTerms terms, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        ProjectSearch? search = null;
        if (input.Q is not null)
        {
            search = await ProjectSearch.ParseAsync(input.Q, terms, errors, cancellationToken);
        }

        var filter = new ProjectFilter(search);
        if (search is not null)
        {
            filter._canonical.Add(new("q", search.Canonical));
            filter._criteria.Add(new MatchesSearch(search));
        }

        var countries = Codes(input.Country, "country", errors, CountryCodeOf);
        filter.Overlap("country", ProjectFacets.Country, countries);
        var regions = Codes(input.Region, "region", errors, v => RegionCode.TryCreate(v, out var code, out var error) ? (code.Value, null) : (null, error));
        filter.Overlap("region", ProjectFacets.Region, regions);
        var partnerCountries = Codes(input.PartnerCountry, "partnerCountry", errors, CountryCodeOf);
        filter.Overlap("partnerCountry", ProjectFacets.PartnerCountry, partnerCountries);
        var themes = Codes(input.Theme, "theme", errors, v => Slug.IsValid(v) ? (v, null) : (null, $"'{v}' is not a theme: lowercase words joined by hyphens, such as smart-villages."));
        filter.Overlap("theme", ProjectFacets.Theme, themes);
        var languages = Codes(input.Language, "language", errors, v => LanguageTag.TryCreate(v, out var tag, out var error) ? (tag.Value, null) : (null, error));
        filter.Overlap("language", ProjectFacets.Language, languages);
        var statuses = Codes(input.Status, "status", errors, v => Statuses.Contains(v, StringComparer.Ordinal) ? (v, null) : (null, $"'{v}' is not a status; one of: {string.Join(", ", Statuses)}."));
        if (statuses.Length > 0)
        {
            filter._canonical.Add(new("status", string.Join('|', statuses)));
            filter._criteria.Add(new HasStatus(statuses));
        }

        var partners = Codes(input.Partner, "partner", errors, v => Guid.TryParse(v, out var id) ? (id.ToString(), null) : (null, $"'{v}' is not a partner id (a UUID)."));
        if (partners.Length > 0)
        {
            filter._canonical.Add(new("partner", string.Join('|', partners)));
            filter._criteria.Add(new HasAnyFacet([.. partners.Select(id => ProjectFacets.Partner + id)]));
        }

        var publishers = Codes(input.Publisher, "publisher", errors, v => (v, null));
        if (publishers.Length > 0)
        {
            var found = await context.Value.Publishers.Where(p => publishers.Contains(p.Code)).Select(p => new { p.Code, p.Id }).ToListAsync(cancellationToken);
            foreach (var missing in publishers.Except(found.Select(f => f.Code), StringComparer.Ordinal))
            {
                errors.Add(FieldError.Query("publisher", $"No publisher has the code '{missing}'."));
            }

            filter._canonical.Add(new("publisher", string.Join('|', publishers)));
            filter._criteria.Add(new PublishedBy([.. found.Select(f => f.Id)]));
        }

        await filter.NodesAsync(
            input.FundingMeasure, "fundingMeasure", ProjectFacets.FundingMeasure,
            (id, scheme, code) => context.Value.FundingMeasures.Where(m => id != null ? m.Id == id : m.Scheme == scheme && m.Code == code).Select(m => (Guid?)m.Id),
            errors, cancellationToken);
        await filter.NodesAsync(
            input.Goal, "goal", ProjectFacets.Goal,
            (id, scheme, code) => context.Value.Goals.Where(g => id != null ? g.Id == id : g.Scheme == scheme && g.Code == code).Select(g => (Guid?)g.Id),
            errors, cancellationToken);

        var activeOn = Date(input.ActiveOn, "activeOn", errors);
        if (activeOn is not null)
        {
            filter._canonical.Add(new("activeOn", activeOn.ToString()));
            filter._criteria.Add(new ActiveOn(activeOn.FirstDay, activeOn.LastDay));
        }

        filter.DateBound("startFrom", Date(input.StartFrom, "startFrom", errors), d => d.FirstDay, ProjectDateBound.StartsFrom);
        filter.DateBound("startTo", Date(input.StartTo, "startTo", errors), d => d.LastDay, ProjectDateBound.StartsBy);
        filter.DateBound("endFrom", Date(input.EndFrom, "endFrom", errors), d => d.FirstDay, ProjectDateBound.EndsFrom);
        filter.DateBound("endTo", Date(input.EndTo, "endTo", errors), d => d.LastDay, ProjectDateBound.EndsBy);

        if (input.UpdatedSince is not null)
        {
            if (DateTimeOffset.TryParseExact(input.UpdatedSince, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var since)
                && input.UpdatedSince.Length > 16 && (input.UpdatedSince.EndsWith('Z') || input.UpdatedSince[^6] is '+' or '-'))
            {
                var utc = since.ToUniversalTime();
                filter._canonical.Add(new("updatedSince", utc.ToString("O", CultureInfo.InvariantCulture)));
                filter._criteria.Add(new UpdatedSince(utc));
            }
            else
            {
                errors.Add(FieldError.Query("updatedSince", $"'{input.UpdatedSince}' is not a timestamp with an offset, such as 2026-01-31T12:00:00Z."));
            }
        }

        filter.Budget(input, errors);

        return errors.Count > 0 ? errors : filter;
    }

    /// <summary>Whether any filter was given (else every live project passes).</summary>
    public bool HasConditions => _criteria.Count > 0;

    /// <summary>Whether the text search is the only filter given.</summary>
    public bool OnlySearches => Search is not null && _criteria.Count == 1;

    /// <summary>Any of the values, as facets of one kind (<see cref="ProjectFacets"/>).</summary>
    private void Overlap(string name, string prefix, string[] values)
    {
        if (values.Length == 0)
        {
            return;
        }

        _canonical.Add(new(name, string.Join('|', values)));
        _criteria.Add(new HasAnyFacet([.. values.Select(v => prefix + v)]));
    }

    private void DateBound(string name, PartialDate? date, Func<PartialDate, DateOnly> day, ProjectDateBound bound)
    {
        if (date is null)
        {
            return;
        }

        _canonical.Add(new(name, date.ToString()));
        _criteria.Add(new DateWithin(bound, day(date)));
    }

    private async Task NodesAsync(
        IReadOnlyList<string> values, string name, string prefix, Func<Guid?, string?, string?, IQueryable<Guid?>> find, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var references = Codes(values, name, errors, v => (v, null));
        if (references.Length == 0)
        {
            return;
        }

        var ids = new List<Guid>();
        foreach (var reference in references)
        {
            var colon = reference.LastIndexOf(':');
            Guid? id = Guid.TryParse(reference, out var byId)
                ? await find(byId, null, null).SingleOrDefaultAsync(cancellationToken)
                : colon <= 0 || colon == reference.Length - 1
                    ? null
                    : await find(null, reference[..colon], reference[(colon + 1)..]).SingleOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                var noun = name == "goal" ? "goal" : "funding measure";
                errors.Add(FieldError.Query(name, $"No {noun} is '{reference}'; give its id or scheme:code, such as lv-rdp-2014-2020:19.3."));
            }
            else
            {
                ids.Add(id.Value);
            }
        }

        _canonical.Add(new(name, string.Join('|', references)));
        _criteria.Add(new HasAnyFacet([.. ids.Select(id => prefix + id)]));
    }

    private void Budget(ProjectFilterInput input, List<FieldError> errors)
    {
        var min = Amount(input.BudgetMin, "budgetMin", errors);
        var max = Amount(input.BudgetMax, "budgetMax", errors);
        if (input.Currency is null)
        {
            if (input.BudgetMin is not null || input.BudgetMax is not null)
            {
                errors.Add(FieldError.Query("currency", "Required with budgetMin or budgetMax: amounts are compared in one currency, never converted (e.g. currency=PLN)."));
            }

            return;
        }

        if (Money.Create("0", input.Currency, new List<DomainError>()) is null)
        {
            errors.Add(FieldError.Query("currency", $"'{input.Currency}' is not an ISO 4217 currency code such as PLN, EUR or BGN."));
            return;
        }

        if (min is not null && max is not null && min > max)
        {
            errors.Add(FieldError.Query("budgetMax", "budgetMax is below budgetMin."));
        }

        var currency = input.Currency;
        _canonical.Add(new("currency", currency));
        _criteria.Add(new BudgetIn(currency));
        if (min is { } low)
        {
            _canonical.Add(new("budgetMin", low.ToString(CultureInfo.InvariantCulture)));
            _criteria.Add(new BudgetAtLeast(low));
        }

        if (max is { } high)
        {
            _canonical.Add(new("budgetMax", high.ToString(CultureInfo.InvariantCulture)));
            _criteria.Add(new BudgetAtMost(high));
        }
    }

    private static decimal? Amount(string? value, string name, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length <= 20 && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return amount;
        }

        errors.Add(FieldError.Query(name, $"'{value}' is not a non-negative decimal amount such as 50000 or 176072.20."));
        return null;
    }

    private static PartialDate? Date(string? value, string name, List<FieldError> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (PartialDate.TryParse(value, out var date, out var error))
        {
            return date;
        }

        errors.Add(FieldError.Query(name, $"{error} (a date such as 2024-05-31, or a month 2024-05, or a year 2024)"));
        return null;
    }

    private static (string? Value, string? Error) CountryCodeOf(string value) =>
        CountryCode.TryCreate(value, out var code, out var error) ? (code.Value, null) : (null, error);

    /// <summary>Checks each value of a repeatable parameter; the valid ones, deduplicated and sorted.</summary>
    private static string[] Codes(IReadOnlyList<string> values, string name, List<FieldError> errors, Func<string, (string? Value, string? Error)> check)
    {
        if (values.Count > MaxValuesPerParameter)
        {
            errors.Add(FieldError.Query(name, $"At most {MaxValuesPerParameter} values of '{name}' at once."));
            return [];
        }

        var valid = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var (checkedValue, error) = value.Length is 0 or > 200 ? (null, $"A value of '{name}' has 1 to 200 characters.") : check(value);
            if (checkedValue is null)
            {
                errors.Add(FieldError.Query(name, error ?? $"'{value}' is not a valid value of '{name}'."));
            }
            else
            {
                valid.Add(checkedValue);
            }
        }

        return [.. valid];
    }
}

/// <summary>One condition of a <see cref="ProjectFilter"/> on a live project.</summary>
public abstract record ProjectCriterion;

/// <summary>The project's text search document matches the search (<see cref="ProjectSearch.Query"/>).</summary>
public sealed record MatchesSearch(ProjectSearch Search) : ProjectCriterion;

/// <summary>The project has at least one of these facets (<see cref="ProjectFacets"/> prefix and value).</summary>
public sealed record HasAnyFacet(IReadOnlyList<string> Facets) : ProjectCriterion;

/// <summary>The project's stored status (<see cref="Project.Status"/>, as its representation shows it) is one of these.</summary>
public sealed record HasStatus(IReadOnlyList<string> Statuses) : ProjectCriterion;

/// <summary>The project belongs to one of these publishers.</summary>
public sealed record PublishedBy(IReadOnlyList<Guid> PublisherIds) : ProjectCriterion;

/// <summary>The project may run on some day between these (it may start by the last and end from the first).</summary>
public sealed record ActiveOn(DateOnly FirstDay, DateOnly LastDay) : ProjectCriterion;

/// <summary>Which of a project's dates a <see cref="DateWithin"/> bounds, and from which side.</summary>
public enum ProjectDateBound
{
    /// <summary>The start may be on or after the day (its last possible day is).</summary>
    StartsFrom,

    /// <summary>The start may be on or before the day (its first possible day is).</summary>
    StartsBy,

    /// <summary>The end may be on or after the day.</summary>
    EndsFrom,

    /// <summary>The end may be on or before the day.</summary>
    EndsBy,
}

/// <summary>One of the project's dates may fall on the given side of <paramref name="Day"/>.</summary>
public sealed record DateWithin(ProjectDateBound Bound, DateOnly Day) : ProjectCriterion;

/// <summary>The project was written at or after this instant.</summary>
public sealed record UpdatedSince(DateTimeOffset Since) : ProjectCriterion;

/// <summary>The project's budget is in this currency.</summary>
public sealed record BudgetIn(string Currency) : ProjectCriterion;

public sealed record BudgetAtLeast(decimal Amount) : ProjectCriterion;

public sealed record BudgetAtMost(decimal Amount) : ProjectCriterion;
