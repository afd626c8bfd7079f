using System.Diagnostics;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Programs outside .NET against the running API: a TypeScript client generated from openapi/v1.json, and
/// Swagger UI in headless Chromium. Both need node (and the second chromium): when either is missing they
/// fail, never skip, since CI must run them (deploy/local/test.sh installs chromium when CI=true).
/// </summary>
public sealed class ClientAndBrowserTests(KestrelDemoApiFactory api) : IClassFixture<KestrelDemoApiFactory>
{
    private static readonly string Tools = Path.Combine(TestPaths.RepositoryRoot(), "tools", "contract");

    [Fact]
    public async Task A_typescript_client_generated_from_the_contract_compiles_and_gets_the_demo_projects()
    {
        var output = await RunAsync("bash", Path.Combine(Tools, "client-check.sh"), api.BaseUrl);

        Assert.Contains("client-check: 200 with 5 projects", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_ui_in_a_browser_executes_list_projects_and_shows_a_200_with_demo_data()
    {
        var results = Path.Combine(TestPaths.RepositoryRoot(), ".local", "test-results");
        Directory.CreateDirectory(results);
        var screenshot = Path.Combine(results, "swagger-ui-list-projects.png");

        var output = await RunAsync("node", Path.Combine(Tools, "swagger-ui-check.mjs"), api.BaseUrl, screenshot);

        Assert.Contains("200 with demo data", output, StringComparison.Ordinal);
        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}");
        Console.WriteLine($"Swagger UI screenshot: {screenshot}");
    }

    /// <summary>Runs a program of tools/contract (installing its node modules first when missing); fails on a non-zero exit.</summary>
    internal static async Task<string> RunAsync(string program, params string[] arguments)
    {
        if (program != "npm" && !Directory.Exists(Path.Combine(Tools, "node_modules")))
        {
            await RunAsync("npm", "ci", "--prefix", Tools, "--no-audit", "--no-fund", "--loglevel=error");
        }

        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Tools };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Console.WriteLine(output);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
