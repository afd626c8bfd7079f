using System.Net;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// What GeneratedBodiesTests found, fixed at the source, each kept here as a fixed case: a record's too-long externalId
/// failed the whole import with a 500 (its report row could not be stored); a number sent as text was read; a reference's
/// bad scheme or code was pointed at the reference, not at the member; a budget stating nothing was refused.
/// </summary>
public sealed class ConformanceFindingsTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    private readonly OpenApiContract _contract = OpenApiContract.Load();

    [Fact]
    public async Task Each_found_disagreement_is_answered_as_the_contract_says()
    {
        var publisher = await api.CreatePublisherAsync("findings");
        JsonObject Record(string externalId) => new() { ["externalId"] = externalId, ["title"] = new JsonObject { ["pl"] = "Wizyta" }, ["originalLanguage"] = "pl" };
        var tooLong = Record(new string('x', 201));
        var numberAsText = Record("number-as-text");
        numberAsText["activities"] = new JsonArray(new JsonObject { ["title"] = new JsonObject { ["pl"] = "Wyjazd" }, ["participants"] = "12" });
        var badScheme = Record("bad-scheme");
        badScheme["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = " ", ["code"] = "6B" } });
        var longCode = Record("long-code");
        longCode["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = new string('M', 65) });
        var emptyBudget = Record("empty-budget");
        emptyBudget["budget"] = new JsonObject { ["total"] = null, ["contributions"] = new JsonArray() };

        var response = await publisher.Client.PostAsync("/v1/imports/projects?dryRun=true", RegistryClients.JsonBody(new JsonArray(tooLong, numberAsText, badScheme, longCode, emptyBudget)));

        await _contract.AssertConformsAsync("POST", "/v1/imports/projects", response);
        var report = await response.AssertStatusAsync((HttpStatusCode)207);
        var records = JsonNode.Parse(report.GetRawText())!["records"]!.AsArray();
        Assert.Equal(5, records.Count);
        AssertFailedAt(records[0]!, "/0/externalId");
        Assert.Null(records[0]!["externalId"]);
        AssertFailedAt(records[1]!, "/1/activities/0/participants");
        AssertFailedAt(records[2]!, "/2/goals/0/goal/scheme");
        AssertFailedAt(records[3]!, "/3/fundingMeasures/0/code");
        Assert.Equal("created", records[4]!["status"]!.GetValue<string>());
    }

    private static void AssertFailedAt(JsonNode record, string pointer)
    {
        Assert.True(record["status"]!.GetValue<string>() == "failed", $"expected a failure at {pointer}: {record.ToJsonString()}");
        var pointers = record["problem"]!["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList();
        Assert.True(pointers.Contains(pointer), $"no error points at {pointer}: {record.ToJsonString()}");
    }
}
