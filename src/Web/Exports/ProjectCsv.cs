using System.Globalization;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Web.Exports;

/// <summary>The flat shape of a project in the CSV export: one row per project, lists joined with "; ".</summary>
internal static class ProjectCsv
{
    public const string ListSeparator = "; ";

    public sealed record Column(string Name, string Description, Func<ProjectResponse, string?> Value);

    private static readonly Column[] Head =
    [
        new("id", "The project's id (UUID).", p => p.Id.ToString()),
        new("publisher", "The owning publisher's code.", p => p.Publisher),
        new("externalId", "The publisher's own id of the project.", p => p.ExternalId),
        new("originalLanguage", "The language the record was written in; other languages are translations.", p => p.OriginalLanguage),
    ];

    private static readonly Column[] Tail =
    [
        new("status", "The project's state as the record shows it: planned, ongoing, completed, cancelled or unknown.", p => Kebab(p.Status)),
        new("declaredStatus", "What the publisher said of the project's state.", p => Kebab(p.DeclaredStatus)),
        new("startDate", "Start, at the precision known (YYYY-MM-DD, YYYY-MM or YYYY).", p => p.StartDate),
        new("endDate", "End, at the precision known.", p => p.EndDate),
        new("budgetAmount", "The total budget's amount (decimal, '.' as the decimal point).", p => p.Budget?.Total?.Amount),
        new("budgetCurrency", "The total budget's currency (ISO 4217).", p => p.Budget?.Total?.Currency),
        new("budgetContributions", "Contributions by source, as 'source amount currency' ('amount currency' where the source is not stated).", p => Join(p.Budget?.Contributions?.Select(c => Labelled(Kebab(c!.Source), " ", $"{c.Amount?.Amount} {c.Amount?.Currency}")))),
        new("countries", "Countries (ISO 3166-1 alpha-2).", p => Join(p.Countries)),
        new("regions", "Regions (NUTS or ISO 3166-2).", p => Join(p.Regions)),
        new("themes", "Themes.", p => Join(p.Themes)),
        new("targetGroups", "Target groups, each in its first language.", p => Join(p.TargetGroups.Select(First))),
        new("objectives", "Objectives as 'kind: text' ('text' where the kind is not stated), text in its first language.", p => Join(p.Objectives.Select(o => Labelled(Kebab(o.Kind), ": ", First(o.Text))))),
        new("activities", "Activities as 'kind: title' ('title' where the kind is not stated), title in its first language.", p => Join(p.Activities.Select(a => Labelled(Kebab(a.Kind), ": ", First(a.Title))))),
        new("partners", "Partners as 'name (role)' ('name' where the role is not stated), name in its first language.", p => Join(p.Partners.Select(x => Qualified(First(x.Partner.Name), Kebab(x.Role))))),
        new("partnerIds", "The partners' ids, in the same order.", p => Join(p.Partners.Select(x => x.Partner.Id.ToString()))),
        new("fundingMeasures", "Funding measures as 'scheme:code'.", p => Join(p.FundingMeasures.Select(m => $"{m.Scheme}:{m.Code}"))),
        new("goals", "Goals as 'scheme:code (relevance)' ('scheme:code' where the relevance is not stated).", p => Join(p.Goals.Select(g => Qualified($"{g.Goal.Scheme}:{g.Goal.Code}", Kebab(g.Relevance))))),
        new("contactEmail", "Contact e-mail address.", p => p.Contact?.Email),
        new("contactWebsite", "Contact website.", p => p.Contact?.Website),
        new("contactPhone", "Contact telephone number.", p => p.Contact?.Phone),
        new("links", "Pages about the project (URLs).", p => Join(p.Links.Select(l => l.Url))),
        new("identifiers", "Other identifiers as 'scheme:value'.", p => Join(p.Identifiers.Select(i => $"{i.Scheme}:{i.Value}"))),
        new("createdAt", "When the record was created (UTC, ISO 8601).", p => p.CreatedAt.ToString("O", CultureInfo.InvariantCulture)),
        new("updatedAt", "When the record last changed (UTC, ISO 8601).", p => p.UpdatedAt.ToString("O", CultureInfo.InvariantCulture)),
        new("version", "The record's version (change-sequence number).", p => p.Version.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The columns of one export: localized text gets a column per language present in it.</summary>
    public static IReadOnlyList<Column> Columns(IReadOnlyList<string> languages) =>
    [
        .. Head,
        .. languages.Select(l => new Column($"title_{l}", $"The title in {l}.", p => p.Title.GetValueOrDefault(l))),
        .. languages.Select(l => new Column($"summary_{l}", $"The summary in {l}.", p => p.Summary?.GetValueOrDefault(l))),
        .. languages.Select(l => new Column($"description_{l}", $"The description in {l}.", p => p.Description?.GetValueOrDefault(l))),
        .. Tail,
    ];

    public static IReadOnlyList<CsvColumnDescription> Describe() =>
    [
        .. Head.Select(c => new CsvColumnDescription(c.Name, c.Description)),
        new("title_{language}", "The title in one language (BCP 47 tag); one column per language present in the export."),
        new("summary_{language}", "The summary in one language; one column per language present."),
        new("description_{language}", "The description in one language; one column per language present."),
        .. Tail.Select(c => new CsvColumnDescription(c.Name, c.Description)),
    ];

    private static string? Join(IEnumerable<string?>? values) =>
        values is null ? null : string.Join(ListSeparator, values.Where(v => !string.IsNullOrEmpty(v)));

    private static string? First<TText>(IReadOnlyDictionary<string, TText>? text)
        where TText : class? => text?.Values.FirstOrDefault() as string;

    /// <summary>A label before the text, when there is one: 'study-visit: title', else 'title'.</summary>
    private static string Labelled(string? label, string separator, string? text) => label is null ? text ?? string.Empty : $"{label}{separator}{text}";

    /// <summary>A qualifier after the text, when there is one: 'name (lead)', else 'name'.</summary>
    private static string Qualified(string? text, string? qualifier) => qualifier is null ? text ?? string.Empty : $"{text} ({qualifier})";

    private static string Kebab<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static string? Kebab<T>(T? value)
        where T : struct, Enum => value is { } known ? Kebab(known) : null;
}
