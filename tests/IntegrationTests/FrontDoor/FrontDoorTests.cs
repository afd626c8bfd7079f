using System.Net;
using RuralRegistry.IntegrationTests.Contract;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.FrontDoor;

/// <summary>
/// The front door at / over the demo data: server-rendered counts and latest changes, its own script and style under a
/// CSP that allows nothing else, and in headless Chromium a search typed and its results read (screenshot:
/// .local/test-results/front-door-search.png). Needs node and chromium: it fails, never skips, without them.
/// </summary>
public sealed class FrontDoorTests(KestrelDemoApiFactory api) : IClassFixture<KestrelDemoApiFactory>
{
    [Fact]
    public async Task The_page_renders_the_counts_and_latest_changes_on_the_server_under_a_csp_of_its_own_scripts_only()
    {
        using var client = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };

        var page = await client.GetAsync("/");

        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<dd id=\"count-projects\">5</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"count-publishers\">5</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"count-countries\">", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/v1/projects/", html, StringComparison.Ordinal);
        // A project's title in the latest changes is in its own language, and says which.
        Assert.Matches("project <a href=\"/v1/projects/[0-9a-f-]{36}\" lang=\"(pl|lt|bg|lv)\">", html);
        foreach (var link in new[] { "/swagger", "/docs", "/swagger/v1/swagger.json", "/v1/exports/projects.ndjson", "/v1/exports/projects.csv" })
        {
            Assert.Contains($"href=\"{link}\"", html, StringComparison.Ordinal);
        }

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        var script = await client.GetAsync("/front-door/search.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task In_a_browser_the_counts_show_without_javascript_and_a_typed_search_lists_projects_linking_their_json()
    {
        var results = Path.Combine(TestPaths.RepositoryRoot(), ".local", "test-results");
        Directory.CreateDirectory(results);
        var screenshot = Path.Combine(results, "front-door-search.png");
        File.Delete(screenshot);

        var output = await ContractTools.RunAsync("node", Path.Combine(ContractTools.Folder, "front-door-check.mjs"), api.BaseUrl, screenshot, "wspolpraca", "pl-ksow");

        Assert.Contains("without JavaScript: {\"projects\":\"5\"", output, StringComparison.Ordinal);
        Assert.Contains("the first result links to its JSON", output, StringComparison.Ordinal);
        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}");
        Console.WriteLine($"Front door screenshot: {screenshot}");
    }
}
