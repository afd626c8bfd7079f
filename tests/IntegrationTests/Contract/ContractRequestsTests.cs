using System.Net;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// The request schemas of openapi/v1.json against the server, in both directions: starting from a record that gives
/// every member, each member the contract requires is refused when left out or null (with a pointer naming it), and
/// each member it does not require is accepted when left out, and when null where the contract says nullable.
/// All variants go in one dry-run import, so nothing is written.
/// </summary>
public sealed class ContractRequestsTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    /// <summary>
    /// Schemas that name a thing either by id or by its description (a partner; a funding measure or goal): which
    /// members they need depends on which way is taken, as their descriptions say, so a single member is not required.
    /// </summary>
    private static readonly HashSet<string> EitherOrSchemas = new(StringComparer.Ordinal) { "PartnerReferenceDto", "ReferenceDto" };

    private readonly OpenApiContract _contract = OpenApiContract.Load();

    /// <summary>A record that gives every member of every schema under CreateProjectRequest.</summary>
    public static JsonObject FullRecord(string externalId) => JsonNode.Parse($$$"""
        {
          "externalId": "{{{externalId}}}",
          "title": {"lv": "Viedie ciemi", "en": "Smart villages"},
          "summary": {"lv": "Kopsavilkums"},
          "description": {"lv": "Apraksts"},
          "originalLanguage": "lv",
          "status": "unknown",
          "startDate": "2019-05",
          "endDate": "2021",
          "budget": {"total": {"amount": "1000.50", "currency": "EUR"}, "contributions": [{"source": "eu", "amount": {"amount": "900", "currency": "EUR"}}]},
          "countries": ["LV", "FI"],
          "regions": ["LV006"],
          "themes": ["smart-villages"],
          "targetGroups": [{"lv": "vietējie līderi"}],
          "objectives": [{"kind": "main", "text": {"lv": "mērķis"}}],
          "activities": [{"kind": "study-visit", "title": {"lv": "Brauciens"}, "description": {"lv": "Pieredze"}, "startDate": "2019-06-01", "endDate": "2019-06-03", "country": "FI", "participants": 20, "links": ["https://example.org/visit"]}],
          "contact": {"email": "info@example.org", "website": "https://example.org", "phone": "+371 1234"},
          "links": [{"url": "https://example.org/project", "title": {"lv": "Projekts"}}],
          "identifiers": [{"scheme": "lad-number", "value": "19-00-A019.333-000005"}],
          "partners": [{"partner": {"name": {"lv": "Biedrība Zied zeme"}, "country": "LV", "kind": "lag"}, "role": "lead", "budgetShare": {"amount": "500", "currency": "EUR"}}],
          "fundingMeasures": [{"scheme": "lv-rdp-2014-2020", "code": "19.3"}],
          "goals": [{"goal": {"scheme": "eu-rdp-2014-2020", "code": "6B"}, "relevance": "primary"}]
        }
        """)!.AsObject();

    [Fact]
    public async Task Every_member_is_refused_or_accepted_when_left_out_or_null_exactly_as_the_contract_says()
    {
        var publisher = await api.CreatePublisherAsync("contract-requests");
        var variants = new List<(string What, JsonObject Record, string? RefusedAt)>
        {
            ("the full record", FullRecord("variant-0"), null),
        };
        Walk(FullRecord("x"), "CreateProjectRequest", "", variants);
        var numeric = FullRecord("x");
        numeric["budget"]!["total"]!["amount"] = 1000.5m;
        numeric["partners"]![0]!["budgetShare"]!["amount"] = 500;
        variants.Add(("amounts as JSON numbers (MoneyRequest.amount takes a string or a number)", numeric, null));
        var tooMany = FullRecord("x");
        var maximum = _contract.Schema("ActivityDto")["properties"]!["participants"]!["maximum"]!.GetValue<long>();
        tooMany["activities"]![0]!["participants"] = maximum + 1;
        var most = FullRecord("x");
        most["activities"]![0]!["participants"] = maximum;
        variants.Add(("participants at the contract's maximum", most, null));
        variants.Add(("participants above the contract's maximum", tooMany, "/activities/0/participants"));
        Assert.True(variants.Count > 60, $"only {variants.Count} variants: the walk missed the schemas");

        var body = new JsonArray([.. variants.Select((v, i) => Keyed(v.Record, i))]);
        var response = await publisher.Client.PostAsync("/v1/imports/projects?dryRun=true", RegistryClients.JsonBody(body));
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode is HttpStatusCode.OK or (HttpStatusCode)207, report.ToJsonString());
        var records = report["records"]!.AsArray();
        var wrong = new List<string>();
        for (var i = 0; i < variants.Count; i++)
        {
            var (what, _, refusedAt) = variants[i];
            var record = records.Single(r => r!["index"]?.GetValue<int>() == i)!;
            var failed = record["status"]!.GetValue<string>() == "failed";
            var pointers = record["problem"]?["errors"]?.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList() ?? [];
            if (refusedAt is null && failed)
            {
                wrong.Add($"{what}: the contract allows it, the server refused it: {record["problem"]!.ToJsonString()}");
            }
            else if (refusedAt is not null && !failed)
            {
                wrong.Add($"{what}: the contract refuses it, the server accepted it");
            }
            else if (refusedAt is not null && !pointers.Any(p => p.StartsWith($"/{i}{refusedAt}", StringComparison.Ordinal)))
            {
                wrong.Add($"{what}: refused, but no pointer names /{i}{refusedAt}: {string.Join(", ", pointers)}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_request_schema_states_what_it_requires()
    {
        foreach (var name in new[] { "ProjectRequest", "CreateProjectRequest", "ActivityDto", "ObjectiveDto", "ParticipationRequest", "GoalLinkRequest", "ContributionDto", "MoneyDto", "LinkDto", "IdentifierDto", "PartnerRequest", "FundingMeasureRequest", "GoalRequest", "CreatePublisherRequest", "CreateApiKeyRequest" })
        {
            Assert.True(_contract.Members(name).Required.Count > 0, $"{name} requires nothing in the contract");
        }

        // The facts pages often lack are optional, and may be null.
        foreach (var (schema, member) in new[] { ("ActivityDto", "kind"), ("ParticipationRequest", "role"), ("GoalLinkRequest", "relevance"), ("ObjectiveDto", "kind"), ("ContributionDto", "source") })
        {
            var required = _contract.Schema(schema)["required"]!.AsArray().Select(r => r!.GetValue<string>());
            Assert.DoesNotContain(member, required);
            Assert.True(_contract.Schema(schema)["properties"]![member]!["nullable"]?.GetValue<bool>() == true, $"{schema}.{member} is not nullable");
        }
    }

    private static JsonObject Keyed(JsonObject record, int index)
    {
        if (record["externalId"] is not null)
        {
            record["externalId"] = $"variant-{index}";
        }

        return record;
    }

    /// <summary>For each member of the object at <paramref name="at"/> (in <paramref name="root"/>), a variant without it and one with it null.</summary>
    private void Walk(JsonObject root, string schemaName, string at, List<(string, JsonObject, string?)> variants)
    {
        if (EitherOrSchemas.Contains(schemaName))
        {
            return;
        }

        var (properties, required) = _contract.Members(schemaName);
        var node = (JsonObject)Navigate(root, at)!;
        foreach (var (name, value) in node.ToList())
        {
            var pointer = $"{at}/{name}";
            var property = properties[name] ?? throw new Xunit.Sdk.XunitException($"{schemaName} has no member {name} in the contract");
            var isRequired = required.Contains(name);
            var nullable = property["nullable"]?.GetValue<bool>() == true;

            var without = (JsonObject)root.DeepClone();
            ((JsonObject)Navigate(without, at)!).Remove(name);
            variants.Add(($"{schemaName}: {pointer} left out", without, isRequired ? pointer : null));

            var withNull = (JsonObject)root.DeepClone();
            ((JsonObject)Navigate(withNull, at)!)[name] = null;
            variants.Add(($"{schemaName}: {pointer} null", withNull, isRequired || !nullable ? pointer : null));

            if (OpenApiContract.ReferencedSchema(property) is { } inner && value is JsonObject)
            {
                Walk(root, inner, pointer, variants);
            }
            else if (value is JsonArray { Count: > 0 } items && property["items"] is { } itemSchema && OpenApiContract.ReferencedSchema(itemSchema) is { } itemName && items[0] is JsonObject)
            {
                Walk(root, itemName, $"{pointer}/0", variants);
            }
        }
    }

    private static JsonNode? Navigate(JsonNode root, string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate<string, JsonNode?>(root, (node, token) =>
            node is JsonArray array ? array[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)] : node![token]);
}
