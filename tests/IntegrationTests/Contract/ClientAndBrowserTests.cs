using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Swagger UI in headless Chromium against the running API. It needs node and chromium: when either is missing it
/// fails, never skips, since CI must run it (deploy/local/test.sh installs chromium when CI=true).
/// </summary>
public sealed class ClientAndBrowserTests(KestrelDemoApiFactory api) : IClassFixture<KestrelDemoApiFactory>
{
    [Fact]
    public async Task Swagger_ui_in_a_browser_executes_list_projects_and_shows_a_200_with_demo_data()
    {
        var results = Path.Combine(TestPaths.RepositoryRoot(), ".local", "test-results");
        Directory.CreateDirectory(results);
        var screenshot = Path.Combine(results, "swagger-ui-list-projects.png");

        var output = await ContractTools.RunAsync("node", Path.Combine(ContractTools.Folder, "swagger-ui-check.mjs"), api.BaseUrl, screenshot);

        Assert.Contains("200 with demo data", output, StringComparison.Ordinal);
        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}");
        Console.WriteLine($"Swagger UI screenshot: {screenshot}");
    }
}
