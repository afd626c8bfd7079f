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
/// measures and goals by id or scheme:code, the search words) into one SQL condition over the derived
/// rows of live projects (<see cref="From"/>). Every value is a parameter, never SQL text.
/// </summary>
public sealed class ProjectFilter
{
    public const int MaxValuesPerParameter = 50;

    private static readonly string[] Statuses = ["planned", "ongoing", "completed", "cancelled", "unknown"];

    private readonly List<KeyValuePair<string, string?>> _canonical = [];
    private readonly List<Func<SqlParameters, string>> _conditions = [];

    private ProjectFilter(DateOnly today, ProjectSearch? search)
    {
        Today = today;
        Search = search;
    }

    /// <summary>The day statuses are judged on (UTC).</summary>
    public DateOnly Today { get; }

    /// <summary>The resolved text search, when <c>q</c> was given.</summary>
    public ProjectSearch? Search { get; }

    /// <summary>The filters in a canonical form, for binding page tokens to them.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Canonical() => _canonical;

    public static async Task<Result<ProjectFilter>> ParseAsync(ProjectFilterInput input, IRegistryDbContext db, DateOnly today, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        ProjectSearch? search = null;
        if (input.Q is not null)
        {
            search = await ProjectSearch.ParseAsync(input.Q, db, errors, cancellationToken);
        }

        var filter = new ProjectFilter(today, search);
        if (search is not null)
        {
            filter._canonical.Add(new("q", search.Canonical));
            filter._conditions.Add(sql => $"d.document @@ to_tsquery('registry.folded', {sql.Add(search.Query)})");
        }

        var countries = Codes(input.Country, "country", errors, CountryCodeOf);
        filter.Overlap("country", "c:", countries);
        var regions = Codes(input.Region, "region", errors, v => RegionCode.TryCreate(v, out var code, out var error) ? (code.Value, null) : (null, error));
        filter.Overlap("region", "r:", regions);
        var partnerCountries = Codes(input.PartnerCountry, "partnerCountry", errors, CountryCodeOf);
        filter.Overlap("partnerCountry", "pc:", partnerCountries);
        var themes = Codes(input.Theme, "theme", errors, v => Slug.IsValid(v) ? (v, null) : (null, $"'{v}' is not a theme: lowercase words joined by hyphens, such as smart-villages."));
        filter.Overlap("theme", "t:", themes);
        var languages = Codes(input.Language, "language", errors, v => LanguageTag.TryCreate(v, out var tag, out var error) ? (tag.Value, null) : (null, error));
        filter.Overlap("language", "l:", languages);
        var statuses = Codes(input.Status, "status", errors, v => Statuses.Contains(v, StringComparer.Ordinal) ? (v, null) : (null, $"'{v}' is not a status; one of: {string.Join(", ", Statuses)}."));
        if (statuses.Length > 0)
        {
            filter._canonical.Add(new("status", string.Join('|', statuses)));
            filter._conditions.Add(sql => string.Join(" OR ", statuses.Select(status => StatusCondition(status, sql.Add(today), sql))));
        }

        var partners = Codes(input.Partner, "partner", errors, v => Guid.TryParse(v, out var id) ? (id.ToString(), null) : (null, $"'{v}' is not a partner id (a UUID)."));
        if (partners.Length > 0)
        {
            filter._canonical.Add(new("partner", string.Join('|', partners)));
            var facets = partners.Select(id => "p:" + id).ToArray();
            filter._conditions.Add(sql => $"p.facets && {sql.Add(facets)}");
        }

        var publishers = Codes(input.Publisher, "publisher", errors, v => (v, null));
        if (publishers.Length > 0)
        {
            var found = await db.Publishers.Where(p => publishers.Contains(p.Code)).Select(p => new { p.Code, p.Id }).ToListAsync(cancellationToken);
            foreach (var missing in publishers.Except(found.Select(f => f.Code), StringComparer.Ordinal))
            {
                errors.Add(FieldError.Query("publisher", $"No publisher has the code '{missing}'."));
            }

            filter._canonical.Add(new("publisher", string.Join('|', publishers)));
            var ids = found.Select(f => f.Id).ToArray();
            filter._conditions.Add(sql => $"p.publisher_id = ANY ({sql.Add(ids)})");
        }

        await filter.NodesAsync(
            input.FundingMeasure, "fundingMeasure", "m:",
            (id, scheme, code) => db.FundingMeasures.Where(m => id != null ? m.Id == id : m.Scheme == scheme && m.Code == code).Select(m => (Guid?)m.Id),
            errors, cancellationToken);
        await filter.NodesAsync(
            input.Goal, "goal", "g:",
            (id, scheme, code) => db.Goals.Where(g => id != null ? g.Id == id : g.Scheme == scheme && g.Code == code).Select(g => (Guid?)g.Id),
            errors, cancellationToken);

        var activeOn = Date(input.ActiveOn, "activeOn", errors);
        if (activeOn is not null)
        {
            filter._canonical.Add(new("activeOn", activeOn.ToString()));
            filter._conditions.Add(sql => $"p.start_lo <= {sql.Add(activeOn.LastDay)} AND p.end_hi >= {sql.Add(activeOn.FirstDay)}");
        }

        filter.DateBound("startFrom", Date(input.StartFrom, "startFrom", errors), d => d.FirstDay, "p.start_hi >=");
        filter.DateBound("startTo", Date(input.StartTo, "startTo", errors), d => d.LastDay, "p.start_lo <=");
        filter.DateBound("endFrom", Date(input.EndFrom, "endFrom", errors), d => d.FirstDay, "p.end_hi >=");
        filter.DateBound("endTo", Date(input.EndTo, "endTo", errors), d => d.LastDay, "p.end_lo <=");

        if (input.UpdatedSince is not null)
        {
            if (DateTimeOffset.TryParseExact(input.UpdatedSince, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var since)
                && input.UpdatedSince.Length > 16 && (input.UpdatedSince.EndsWith('Z') || input.UpdatedSince[^6] is '+' or '-'))
            {
                var utc = since.ToUniversalTime();
                filter._canonical.Add(new("updatedSince", utc.ToString("O", CultureInfo.InvariantCulture)));
                filter._conditions.Add(sql => $"p.updated_at >= {sql.Add(utc)}");
            }
            else
            {
                errors.Add(FieldError.Query("updatedSince", $"'{input.UpdatedSince}' is not a timestamp with an offset, such as 2026-01-31T12:00:00Z."));
            }
        }

        filter.Budget(input, errors);

        return errors.Count > 0 ? errors : filter;
    }

    /// <summary>
    /// What <see cref="Where"/> reads: the live projects' derived rows as <c>p</c> (registry.project_search),
    /// with their text search documents as <c>d</c> when <c>q</c> was given.
    /// </summary>
    public string From => Search is null
        ? "registry.project_search p"
        : "registry.project_search p JOIN registry.project_documents d ON d.id = p.id";

    /// <summary>Whether any filter was given (else every live project passes).</summary>
    public bool HasConditions => _conditions.Count > 0;

    /// <summary>
    /// <see cref="From"/>, or the documents alone when <c>q</c> is the only filter and nothing else of the derived rows
    /// is read (<paramref name="readsDerivedRows"/> false): a search then reads no row of registry.project_search.
    /// </summary>
    public string FromFor(bool readsDerivedRows) =>
        !readsDerivedRows && Search is not null && _conditions.Count == 1
            ? "registry.project_documents d CROSS JOIN LATERAL (SELECT d.id) AS p"
            : From;

    /// <summary>The SQL condition over <see cref="From"/>, its values added to <paramref name="sql"/>.</summary>
    public string Where(SqlParameters sql) =>
        _conditions.Count == 0 ? "true" : string.Join(" AND ", _conditions.Select(c => "(" + c(sql) + ")"));

    /// <summary>The live projects that pass, as a query the caller may order and page further.</summary>
    public IQueryable<Project> Apply(IRegistryDbContext db)
    {
        if (_conditions.Count == 0)
        {
            return db.Projects.FromSqlRaw("SELECT r.* FROM registry.projects r WHERE r.deleted_at IS NULL").AsNoTracking();
        }

        var sql = new SqlParameters();
        // Built only from this class's fixed fragments; every value is a parameter.
        var statement = $"SELECT r.* FROM registry.projects r WHERE r.id IN (SELECT p.id FROM {From} WHERE {Where(sql)})";
        return db.Projects.FromSqlRaw(statement, [.. sql.Values]).AsNoTracking();
    }

    /// <summary>Any of the values, as facets of one kind (registry.refresh_project_search writes them with these prefixes).</summary>
    private void Overlap(string name, string prefix, string[] values)
    {
        if (values.Length == 0)
        {
            return;
        }

        _canonical.Add(new(name, string.Join('|', values)));
        var facets = values.Select(v => prefix + v).ToArray();
        _conditions.Add(sql => $"p.facets && {sql.Add(facets)}");
    }

    private void DateBound(string name, PartialDate? date, Func<PartialDate, DateOnly> day, string comparison)
    {
        if (date is null)
        {
            return;
        }

        _canonical.Add(new(name, date.ToString()));
        _conditions.Add(sql => $"{comparison} {sql.Add(day(date))}");
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
        var facets = ids.Select(id => prefix + id).ToArray();
        _conditions.Add(sql => $"p.facets && {sql.Add(facets)}");
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
        _conditions.Add(sql => $"p.budget_currency = {sql.Add(currency)}");
        if (min is { } low)
        {
            _canonical.Add(new("budgetMin", low.ToString(CultureInfo.InvariantCulture)));
            _conditions.Add(sql => $"p.budget_amount >= {sql.Add(low)}");
        }

        if (max is { } high)
        {
            _canonical.Add(new("budgetMax", high.ToString(CultureInfo.InvariantCulture)));
            _conditions.Add(sql => $"p.budget_amount <= {sql.Add(high)}");
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

    /// <summary>
    /// One status as plain conditions on the date columns (the same rules as registry.project_status and
    /// ProjectContent.StatusOn), which the planner can estimate and index, unlike one opaque expression.
    /// </summary>
    private static string StatusCondition(string status, string today, SqlParameters sql)
    {
        const string NotCancelled = "p.declared_status <> 'cancelled'";
        var undecided = $"(p.start_lo IS NULL OR p.start_lo <= {today}) AND (p.end_hi IS NULL OR p.end_hi >= {today}) AND (p.start_lo IS NULL OR p.end_hi IS NULL)";
        var declared = $"({undecided} AND p.declared_status = {sql.Add(status)})";
        return status switch
        {
            "cancelled" => "(p.declared_status = 'cancelled')",
            "planned" => $"({NotCancelled} AND (p.start_lo > {today} OR {declared}))",
            "completed" => $"({NotCancelled} AND ((p.end_hi < {today} AND (p.start_lo IS NULL OR p.start_lo <= {today})) OR {declared}))",
            "ongoing" => $"({NotCancelled} AND ((p.start_lo <= {today} AND p.end_hi >= {today}) OR {declared}))",
            _ => $"({NotCancelled} AND {declared})",
        };
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
