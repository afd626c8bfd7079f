using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Web.FrontDoor;

/// <summary>
/// The front door at <c>/</c>: a small server-rendered HTML page saying what the registry is, its live counts and latest
/// changes (no JavaScript needed for either), a search box over <c>GET /v1/projects?q=</c> (its own script,
/// <see cref="ScriptPath"/>, renders the results; without it the form opens the JSON), and links to the docs, the contract
/// and the exports. Counts are cached for <see cref="CountsFor"/>: on a large registry they read every live row.
/// </summary>
internal static class FrontDoorPage
{
    public const string ScriptPath = "/front-door/search.js";

    public const string StylePath = "/front-door/style.css";

    public static readonly TimeSpan CountsFor = TimeSpan.FromSeconds(30);

    private const int LatestChanges = 8;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static IEndpointRouteBuilder MapFrontDoor(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", WriteAsync).ExcludeFromDescription();
        routes.MapGet(ScriptPath, () => Asset("search.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        routes.MapGet(StylePath, () => Asset("style.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        return routes;
    }

    public static bool IsFrontDoor(PathString path) => path == "/" || path.StartsWithSegments("/front-door");

    private static async Task WriteAsync(HttpContext context, IRegistrySummary summary, CountsCache cache, ILogger<CountsCache> logger, CancellationToken cancellationToken)
    {
        RegistryCounts? counts = null;
        IReadOnlyList<RecentChange> changes = [];
        try
        {
            counts = await cache.GetAsync(summary, cancellationToken);
            changes = await summary.LatestChangesAsync(LatestChanges, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The page still says what the registry is and where its docs are while the database is away.
            logger.LogWarning(exception, "The front door could not read the registry's counts or changes");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(Render(counts, changes), cancellationToken);
    }

    private static string Render(RegistryCounts? counts, IReadOnlyList<RecentChange> changes)
    {
        var page = new StringBuilder(8192);
        page.Append($$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Rural Network Projects Registry</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="{{StylePath}}">
            <script src="{{ScriptPath}}" defer></script>
            </head>
            <body>
            <header>
            <h1>Rural Network Projects Registry</h1>
            <p>An open register of publicly funded rural-development projects across the EU's languages: cooperation projects of
            local action groups (LAG, LGD, МИГ), projects of national rural networks, LEADER inter-territorial and transnational
            cooperation. Anyone may read it over a REST/JSON API, without a key; each publisher writes its own records.</p>
            <nav aria-label="Documentation">
            <ul>
            <li><a href="/swagger">Swagger UI</a> (try every call)</li>
            <li><a href="/docs">ReDoc</a> (the reference)</li>
            <li><a href="/swagger/v1/swagger.json">The contract</a> (OpenAPI 3.0)</li>
            <li>Exports: <a href="/v1/exports/projects.ndjson">projects.ndjson</a>, <a href="/v1/exports/projects.csv">projects.csv</a>, <a href="/v1/exports/partners.ndjson">partners.ndjson</a></li>
            <li><a href="/v1/changes">The change feed</a></li>
            </ul>
            </nav>
            </header>
            <main>
            <section aria-labelledby="counts-title">
            <h2 id="counts-title">In the registry</h2>

            """);
        if (counts is null)
        {
            page.Append("<p id=\"counts-unavailable\" class=\"note\">The database is not answering just now; the counts and changes are back as soon as it is.</p>\n");
        }
        else
        {
            page.Append("<dl class=\"counts\">\n");
            Count(page, "projects", "Projects", counts.Projects);
            Count(page, "publishers", "Publishers", counts.Publishers);
            Count(page, "countries", "Countries", counts.Countries);
            Count(page, "languages", "Languages", counts.Languages);
            page.Append("</dl>\n");
        }

        page.Append("""
            </section>
            <section aria-labelledby="search-title">
            <h2 id="search-title">Search projects</h2>
            <form id="search" action="/v1/projects" method="get" role="search">
            <label for="q">Words in titles, summaries, descriptions and partner names, in any language (diacritics optional)</label>
            <div class="row"><input id="q" name="q" type="search" required maxlength="200" placeholder="e.g. wspolpraca, kaimo bendruomene, Лясковец"><button type="submit">Search</button></div>
            </form>
            <p id="search-status" aria-live="polite"></p>
            <ol id="results"></ol>
            </section>
            <section aria-labelledby="changes-title">
            <h2 id="changes-title">Latest changes</h2>

            """);
        if (changes.Count == 0 && counts is not null)
        {
            page.Append("<p>No change yet.</p>\n");
        }
        else if (changes.Count > 0)
        {
            page.Append("<ol id=\"changes\" class=\"changes\">\n");
            foreach (var change in changes)
            {
                Change(page, change);
            }

            page.Append("</ol>\n");
        }

        page.Append("""
            </section>
            </main>
            <footer><p>Every record links to its JSON; the change feed and the exports keep a copy in sync. <a href="/health/ready">Health</a></p></footer>
            </body>
            </html>

            """);
        return page.ToString();
    }

    private static void Count(StringBuilder page, string id, string label, long value) =>
        page.Append(CultureInfo.InvariantCulture, $"<div><dt>{label}</dt><dd id=\"count-{id}\">{value.ToString("N0", CultureInfo.InvariantCulture)}</dd></div>\n");

    private static void Change(StringBuilder page, RecentChange change)
    {
        var (kind, path) = change.RecordType switch
        {
            RecordType.Project => ("project", "projects"),
            RecordType.Partner => ("partner", "partners"),
            RecordType.FundingMeasure => ("funding measure", "funding-measures"),
            _ => ("goal", "goals"),
        };
        var href = $"/v1/{path}/{change.RecordId}";
        var (language, title) = TitleOf(change);
        var name = title is null
            ? $"<a href=\"{href}\">{kind} {change.RecordId}</a>"
            : $"{kind} <a href=\"{href}\" lang=\"{Html.Encode(language!)}\">{Html.Encode(title)}</a>";
        var what = change.Operation == ChangeOperation.Delete ? "deleted" : "written";
        var by = change.Publisher is null ? string.Empty : $" by <span class=\"publisher\">{Html.Encode(change.Publisher)}</span>";
        page.Append(CultureInfo.InvariantCulture,
            $"<li><time datetime=\"{change.OccurredAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{change.OccurredAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC</time> {name} {what}{by} <span class=\"sequence\">#{change.Sequence}</span></li>\n");
    }

    /// <summary>A project's title in its original language, else in the first language it has.</summary>
    private static (string? Language, string? Title) TitleOf(RecentChange change)
    {
        if (change.Title is not { Count: > 0 } title)
        {
            return (null, null);
        }

        return change.OriginalLanguage is { } original && title.TryGetValue(original, out var text)
            ? (original, text)
            : title.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => ((string?)t.Key, (string?)t.Value)).First();
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"FrontDoor.{name}")
            ?? throw new InvalidOperationException($"The front door's {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Results.Text(reader.ReadToEnd(), contentType);
    }

    /// <summary>The counts, read at most once per <see cref="CountsFor"/>.</summary>
    internal sealed class CountsCache(TimeProvider clock)
    {
        private (DateTimeOffset At, RegistryCounts Counts)? _last;

        public async Task<RegistryCounts> GetAsync(IRegistrySummary summary, CancellationToken cancellationToken)
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < CountsFor)
            {
                return last.Counts;
            }

            var counts = await summary.CountsAsync(cancellationToken);
            _last = (clock.GetUtcNow(), counts);
            return counts;
        }
    }
}
