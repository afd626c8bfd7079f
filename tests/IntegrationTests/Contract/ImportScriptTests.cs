using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// deploy/examples/import.sh against the API on a real port: a retry of one run replays its answer and writes
/// nothing; the next run of the same file re-asserts the catalogue over an edit made through the API meanwhile
/// (reported updated); a pruning run lists what it deleted.
/// </summary>
public sealed class ImportScriptTests(KestrelDemoApiFactory api) : IClassFixture<KestrelDemoApiFactory>
{
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot(), "deploy", "examples", "import.sh");

    [Fact]
    public async Task A_nightly_run_reasserts_the_catalogue_while_a_retry_of_one_run_replays()
    {
        var publisher = await api.CreatePublisherAsync("nightly");
        var catalogue = Path.Combine(Path.GetTempPath(), $"catalogue-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(catalogue, [Record("nightly-1", "Pierwszy"), Record("nightly-2", "Drugi")]);
        try
        {
            var first = await RunAsync(publisher.Secret, "run-1", catalogue);
            Assert.Contains("completed: 2/2 processed, 2 created", first, StringComparison.Ordinal);
            Assert.DoesNotContain("replayed", first, StringComparison.Ordinal);

            var project = (await publisher.Client.GetFromJsonAsync<JsonObject>("/v1/projects?publisher=" + publisher.Code))!["items"]!.AsArray()
                .Single(p => p!["externalId"]!.GetValue<string>() == "nightly-1")!;
            var edit = await publisher.Client.PatchAsync($"/v1/projects/{project["id"]}", RegistryClients.MergePatch("""{"title": {"pl": "Zmieniony"}}"""));
            await edit.AssertStatusAsync(HttpStatusCode.OK);

            var retry = await RunAsync(publisher.Secret, "run-1", catalogue);
            Assert.Contains("replayed", retry, StringComparison.Ordinal);
            Assert.Equal("Zmieniony", await TitleAsync(project["id"]!.GetValue<string>()));

            var nextNight = await RunAsync(publisher.Secret, "run-2", catalogue);
            Assert.DoesNotContain("replayed", nextNight, StringComparison.Ordinal);
            Assert.Contains("1 updated, 1 unchanged", nextNight, StringComparison.Ordinal);
            Assert.Equal("Pierwszy", await TitleAsync(project["id"]!.GetValue<string>()));

            await File.WriteAllLinesAsync(catalogue, [Record("nightly-1", "Pierwszy")]);
            var pruning = await RunAsync(publisher.Secret, "run-3", catalogue, "--prune");
            Assert.Contains("pruned: nightly-2", pruning, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(catalogue);
        }
    }

    private static string Record(string externalId, string title) =>
        new JsonObject { ["externalId"] = externalId, ["title"] = new JsonObject { ["pl"] = title }, ["originalLanguage"] = "pl" }.ToJsonString();

    private async Task<string> TitleAsync(string id) =>
        (await api.CreateClient().GetFromJsonAsync<JsonObject>($"/v1/projects/{id}"))!["title"]!["pl"]!.GetValue<string>();

    private async Task<string> RunAsync(string key, string runId, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REGISTRY_URL"] = api.BaseUrl;
        start.Environment["REGISTRY_API_KEY"] = key;
        start.Environment["REGISTRY_RUN_ID"] = runId;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"import.sh exited {process.ExitCode}:\n{output}");
        return output;
    }
}
