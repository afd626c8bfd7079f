using System.Text.RegularExpressions;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Clients generated from openapi/v1.json by NSwag (System.Text.Json), Kiota and openapi-typescript with openapi-fetch,
/// each generated once per run into a temporary project that must build with no error, then run against the API with
/// the demo data on a real port: list, get by id, search, a 404 problem, a publisher's create, an import answered 207,
/// the change feed followed to its end (tools/contract/client-check.sh and tools/contract/clients/). One class per
/// client, so xunit runs them alongside the other classes.
/// </summary>
public abstract class GeneratedClientTests(KestrelDemoApiFactory api, string client)
{
    [Fact]
    public async Task A_client_generated_from_the_contract_builds_and_does_the_round_trip_on_the_demo_data()
    {
        var output = await ContractTools.RunAsync("bash", Path.Combine(ContractTools.Folder, "client-check.sh"), client, api.BaseUrl, RegistryApiFactory.AdminKey);

        Console.WriteLine(output);
        Assert.Contains($"client-check: {client} round trip ok", output, StringComparison.Ordinal);
        CheckGeneratorOutput(output);
    }

    protected virtual void CheckGeneratorOutput(string output)
    {
    }
}

public sealed class NSwagClientTests(KestrelDemoApiFactory api) : GeneratedClientTests(api, "nswag"), IClassFixture<KestrelDemoApiFactory>;

public sealed class TypeScriptClientTests(KestrelDemoApiFactory api) : GeneratedClientTests(api, "typescript"), IClassFixture<KestrelDemoApiFactory>;

public sealed partial class KiotaClientTests(KestrelDemoApiFactory api) : GeneratedClientTests(api, "kiota"), IClassFixture<KestrelDemoApiFactory>
{
    /// <summary>
    /// The warnings Kiota may still print, each with why the contract keeps what causes it. Any other warning fails:
    /// fix the contract at its source (src/Web/OpenApi), or add it here with its reason.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KnownWarnings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["A servers entry (v3) or host + basePath + schemes properties (v2) was not present in the OpenAPI description."] =
            "the first server is '/', the deployment that serves the document (so Swagger UI and ReDoc call their own origin); Kiota reads only absolute URLs, and a client sets RequestAdapter.BaseUrl anyway",
        ["Multiple servers entries were found in the OpenAPI description."] =
            "the second server is the local deployment of deploy/local/run.sh, an absolute URL for generators that want one; Kiota takes only the first",
        ["The format uri is not supported by Kiota and the string type will be used."] =
            "format: uri is standard OpenAPI and says what the string is: NSwag types it System.Uri, validators check it; Kiota's string is right too",
        ["The format email is not supported by Kiota and the string type will be used."] =
            "as for uri: standard, informative, and a string in Kiota",
        ["The operation describes multiple response schemas that are divergent. Only the schema of the lowest success status code will be used."] =
            "POST /v1/imports/projects answers 200 and 207 with the report and 202 (Prefer: respond-async) with the queued import: different bodies by design; Kiota types the report (200, 207 alike), and a 202 caller reads Location",
    };

    protected override void CheckGeneratorOutput(string output)
    {
        var block = output.Split("kiota warnings:");
        Assert.True(block.Length == 3, $"client-check.sh printed no kiota warnings block:\n{output}");
        var warnings = block[1].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => CountPrefix().Replace(line, string.Empty).Replace("OpenAPI warning: ", string.Empty, StringComparison.Ordinal))
            .ToList();
        var unknown = warnings.Where(w => !KnownWarnings.Keys.Any(known => w.StartsWith(known, StringComparison.Ordinal))).ToList();
        Assert.True(unknown.Count == 0, "Kiota warns of what the contract should not have:\n  " + string.Join("\n  ", unknown));
    }

    [GeneratedRegex(@"^\d+\s+")]
    private static partial Regex CountPrefix();
}
