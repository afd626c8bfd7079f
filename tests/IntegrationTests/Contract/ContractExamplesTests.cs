using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Every example of openapi/v1.json (requests and responses) validates against its schema, with OpenAPI 3.0's
/// <c>nullable: true</c> beside <c>allOf: [$ref]</c> read as a nullable reference, as the client generators read it.
/// (The linters' own example checks read it otherwise and are switched off for that reason.)
/// </summary>
public sealed class ContractExamplesTests
{
    [Fact]
    public void Every_example_matches_its_schema()
    {
        var contract = OpenApiContract.Load();
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot(), "openapi", "v1.json")))!;
        var errors = new List<string>();
        var examples = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var bodies = (operation!["requestBody"]?["content"]?.AsObject() ?? []).Select(c => ("request " + c.Key, c.Value))
                    .Concat((operation["responses"]?.AsObject() ?? []).SelectMany(r => (r.Value!["content"]?.AsObject() ?? []).Select(c => ($"{r.Key} {c.Key}", c.Value))));
                foreach (var (what, media) in bodies)
                {
                    var schema = media?["schema"]?["x-ndjson-line"] ?? media?["schema"];
                    if (media?["example"] is { } example && schema is not null && !what.EndsWith("text/csv", StringComparison.Ordinal))
                    {
                        examples++;
                        contract.Validate(example, schema, $"{method} {path} {what}", errors);
                    }
                }
            }
        }

        Assert.True(examples > 30, $"only {examples} examples found");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(30)));
    }
}
