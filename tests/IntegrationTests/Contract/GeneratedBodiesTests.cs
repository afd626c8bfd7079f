using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RuralRegistry.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Property-based conformance: json-schema-faker (tools/contract/generate-bodies.mjs) generates project records from
/// the contract's own CreateProjectRequest schema; each valid one must be accepted by a dry-run import, and a copy of
/// it with one rule broken (a required member removed, a pattern broken, a bound exceeded, a wrong type) must be
/// refused with a problem whose pointer names that member. Every answer is checked against the contract.
/// The seed is printed; CONTRACT_FUZZ_SEED reruns with another, CONTRACT_FUZZ_BODIES changes how many.
/// </summary>
public sealed class GeneratedBodiesTests(RegistryApiFactory api, ITestOutputHelper output) : IClassFixture<RegistryApiFactory>
{
    private const int DefaultSeed = 20261203;
    private const int DefaultBodies = 300;

    /// <summary>Language tags for the keys of localized text (the contract's maps cannot state their keys in OpenAPI 3.0).</summary>
    private static readonly string[] Languages = ["pl", "en", "lt", "lv", "bg", "de", "fr", "fi", "sv", "cs", "sk", "ro", "el", "pt-BR", "sr-Latn"];

    /// <summary>Code lists the contract names by reference (ISO 3166-1, NUTS and ISO 3166-2, ISO 4217) and states as patterns only.</summary>
    private static readonly string[] Countries = ["PL", "LT", "LV", "BG", "DE", "FI", "EE", "CZ", "SK", "RO", "EL", "UK", "GR", "GB", "SE"];

    private static readonly string[] Regions = ["PL8", "PL811", "PL-06", "LT01", "LV006", "BG-04", "FI1", "DE2", "GB-SCT"];

    private static readonly string[] Currencies = ["EUR", "PLN", "BGN", "SEK", "CZK", "RON"];

    /// <summary>Funding measures and goals the seeded reference data holds (a record names existing ones).</summary>
    private static readonly (string Scheme, string Code)[] FundingMeasures = [("eu-rdp-2014-2020", "M01"), ("eu-rdp-2014-2020", "M02"), ("eu-rdp-2014-2020", "M07"), ("lv-rdp-2014-2020", "19.3")];

    private static readonly (string Scheme, string Code)[] Goals = [("eu-rdp-2014-2020", "P1"), ("eu-rdp-2014-2020", "P6"), ("eu-rdp-2014-2020", "6A"), ("eu-rdp-2014-2020", "6B")];

    private readonly OpenApiContract _contract = OpenApiContract.Load();

    [Fact]
    public async Task Generated_records_valid_under_the_contract_are_accepted_and_each_broken_rule_is_refused_at_its_member()
    {
        var seed = Setting("CONTRACT_FUZZ_SEED", DefaultSeed);
        var count = Setting("CONTRACT_FUZZ_BODIES", DefaultBodies);
        var rerun = $"seed {seed}, {count} bodies (rerun: CONTRACT_FUZZ_SEED={seed} CONTRACT_FUZZ_BODIES={count}; another seed: CONTRACT_FUZZ_SEED=<n>)";
        output.WriteLine($"GeneratedBodiesTests: {rerun}");
        Console.WriteLine($"GeneratedBodiesTests: {rerun}");

        var (stdout, _) = await ContractTools.RunSeparatelyAsync(
            "node", Path.Combine(ContractTools.Folder, "generate-bodies.mjs"), Path.Combine(TestPaths.RepositoryRoot(), "openapi", "v1.json"),
            "CreateProjectRequest", count.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture));
        var generated = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(count, generated.Count);

        var random = new Random(seed);
        var schema = _contract.Schema("CreateProjectRequest");
        var cases = new List<(string What, JsonNode Record, string? RefusedAt)>();
        for (var i = 0; i < count; i++)
        {
            var record = generated[i]!.DeepClone();
            Settle(record, schema, "", random);
            record["externalId"] = $"generated-{seed}-{i}";
            var schemaErrors = new List<string>();
            _contract.Validate(record, schema, "", schemaErrors);
            Assert.True(schemaErrors.Count == 0, $"{rerun}: body {i} is not valid under the contract after settling: {string.Join("; ", schemaErrors)}\n{record.ToJsonString()}");
            cases.Add(($"body {i}", record, null));
        }

        for (var i = 0; i < count; i++)
        {
            var broken = cases[i].Record.DeepClone();
            broken["externalId"] = $"generated-{seed}-{i}-broken";
            var (what, pointer) = Break(broken, schema, random);
            cases.Add(($"body {i} with {what}", broken, pointer));
        }

        var publisher = await api.CreatePublisherAsync("generated");
        var body = new JsonArray([.. cases.Select(c => c.Record.DeepClone())]);
        var response = await publisher.Client.PostAsync("/v1/imports/projects?dryRun=true", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        await _contract.AssertConformsAsync("POST", "/v1/imports/projects", response);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == (HttpStatusCode)207, $"{rerun}: expected 207, got {(int)response.StatusCode}");

        var wrong = new List<string>();
        var records = report["records"]!.AsArray().ToDictionary(r => r!["index"]!.GetValue<int>());
        for (var index = 0; index < cases.Count; index++)
        {
            var (what, record, refusedAt) = cases[index];
            var outcome = records[index]!;
            var failed = outcome["status"]!.GetValue<string>() == "failed";
            var pointers = outcome["problem"]?["errors"]?.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList() ?? [];
            if (refusedAt is null && failed)
            {
                wrong.Add($"{what}: valid under the contract, refused: {outcome["problem"]!.ToJsonString()}\n    {record.ToJsonString()}");
            }
            else if (refusedAt is not null && !failed)
            {
                wrong.Add($"{what}: breaks the contract at {refusedAt}, accepted\n    {record.ToJsonString()}");
            }
            else if (refusedAt is not null && !pointers.Any(p => Names(p, $"/{index}{refusedAt}")))
            {
                wrong.Add($"{what}: refused, but no pointer names /{index}{refusedAt}: {outcome["problem"]!.ToJsonString()}");
            }
        }

        output.WriteLine($"{cases.Count} records: {count} valid, {count} broken; {wrong.Count} disagree with the contract");
        var shown = wrong.GroupBy(w => w.Contains(": valid under", StringComparison.Ordinal) ? 0 : w.Contains(", accepted", StringComparison.Ordinal) ? 1 : 2).SelectMany(g => g.Take(12));
        Assert.True(wrong.Count == 0, $"{rerun}: {wrong.Count} of {cases.Count} records disagree with the contract:\n  {string.Join("\n  ", shown)}");
    }

    /// <summary>The pointer is the member's own, or one inside it.</summary>
    private static bool Names(string pointer, string member) =>
        pointer == member || pointer.StartsWith(member + "/", StringComparison.Ordinal);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>
    /// Makes a generated record meet the rules OpenAPI 3.0 cannot state, which the contract states in words: the keys
    /// of localized text are language tags; code lists (countries, regions, currencies) hold real codes; the original
    /// language is one of the title's; an end is not before its start; a funding measure or goal names an existing
    /// one (by scheme and code, not also by id); a partner is named by id alone or described (here: described, with a
    /// name); and a publisher's key writes its own records (so no other publisher is named).
    /// </summary>
    private void Settle(JsonNode node, JsonNode schema, string pointer, Random random)
    {
        var flat = _contract.Flatten(schema);
        if (node is JsonObject map && flat["properties"] is null && flat["additionalProperties"] is JsonObject)
        {
            var texts = map.Select(p => p.Value?.DeepClone()).ToList();
            map.Clear();
            foreach (var (text, language) in texts.Zip(Languages.OrderBy(_ => random.Next()).Take(texts.Count)))
            {
                map[language] = text;
            }

            return;
        }

        if (node is JsonArray items && flat["items"] is { } itemSchema)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonValue && pointer.EndsWith("/countries", StringComparison.Ordinal))
                {
                    items[i] = Pick(Countries, random);
                }
                else if (items[i] is JsonValue && pointer.EndsWith("/regions", StringComparison.Ordinal))
                {
                    items[i] = Pick(Regions, random);
                }
                else if (items[i] is not null)
                {
                    Settle(items[i]!, itemSchema, $"{pointer}/{i}", random);
                }
            }

            if (pointer.EndsWith("/countries", StringComparison.Ordinal) || pointer.EndsWith("/regions", StringComparison.Ordinal))
            {
                Distinct(items);
            }

            return;
        }

        if (node is not JsonObject record || flat["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach (var (name, value) in record.ToList())
        {
            if (value is not null && properties[name] is { } member)
            {
                Settle(value, member, $"{pointer}/{name}", random);
            }
        }

        foreach (var name in new[] { "country" }.Where(n => record[n] is JsonValue))
        {
            record[name] = Pick(Countries, random);
        }

        if (record["region"] is JsonValue)
        {
            record["region"] = Pick(Regions, random);
        }

        if (record["currency"] is JsonValue)
        {
            record["currency"] = Pick(Currencies, random);
        }

        Calendar(record, "startDate");
        Calendar(record, "endDate");
        if (record["startDate"] is JsonValue start && record["endDate"] is JsonValue end
            && string.CompareOrdinal(end.GetValue<string>(), start.GetValue<string>()) < 0)
        {
            (record["startDate"], record["endDate"]) = (end.GetValue<string>(), start.GetValue<string>());
        }

        if (pointer.Length == 0)
        {
            record.Remove("publisher");
            record["originalLanguage"] = record["title"]!.AsObject().First().Key;
            References(record["fundingMeasures"]?.AsArray(), FundingMeasures, random, (items, i, node) => items[i] = node);
            References(record["goals"]?.AsArray(), Goals, random, (items, i, node) => items[i]!["goal"] = node);

            foreach (var participation in record["partners"]?.AsArray() ?? [])
            {
                if (participation?["partner"] is JsonObject partner)
                {
                    partner.Remove("id");
                    if (partner["name"] is not JsonObject)
                    {
                        partner["name"] = new JsonObject { [Pick(Languages, random)] = $"Partner {random.Next()}" };
                    }
                }
            }
        }
    }

    /// <summary>Each item names another existing node (a record names a funding measure or goal once).</summary>
    private static void References(JsonArray? items, (string Scheme, string Code)[] known, Random random, Action<JsonArray, int, JsonObject> set)
    {
        if (items is null)
        {
            return;
        }

        var nodes = known.OrderBy(_ => random.Next()).ToList();
        while (items.Count > nodes.Count)
        {
            items.RemoveAt(items.Count - 1);
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject)
            {
                set(items, i, Node(nodes[i]));
            }
        }
    }

    /// <summary>The 29th of February only in a leap year (the contract's pattern allows it in every February).</summary>
    private static void Calendar(JsonObject record, string member)
    {
        if (record[member] is JsonValue value && value.GetValue<string>() is { Length: 10 } date && date.EndsWith("-02-29", StringComparison.Ordinal)
            && !DateTime.IsLeapYear(int.Parse(date[..4], CultureInfo.InvariantCulture)))
        {
            record[member] = date[..8] + "28";
        }
    }

    private static JsonObject Node((string Scheme, string Code) node) => new() { ["scheme"] = node.Scheme, ["code"] = node.Code };

    private static void Distinct(JsonArray items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (items[i] is JsonValue value && !seen.Add(value.GetValue<string>()))
            {
                items.RemoveAt(i);
            }
        }
    }

    private static T Pick<T>(T[] values, Random random) => values[random.Next(values.Length)];

    /// <summary>Breaks one rule the contract states, at a member chosen at random; returns what and where.</summary>
    private (string What, string Pointer) Break(JsonNode record, JsonNode schema, Random random)
    {
        var sites = new List<(string What, string Pointer, Action Apply)>();
        Sites(record, schema, "", sites);
        var (what, pointer, apply) = sites[random.Next(sites.Count)];
        apply();
        return (what, pointer);
    }

    /// <summary>Every way to break one rule of the contract in this record, each naming the member it breaks.</summary>
    private void Sites(JsonNode node, JsonNode schema, string pointer, List<(string, string, Action)> sites)
    {
        var flat = _contract.Flatten(schema);
        switch (node)
        {
            case JsonObject record when flat["properties"] is JsonObject properties:
                foreach (var required in flat["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (record.ContainsKey(required))
                    {
                        sites.Add(($"required {pointer}/{required} removed", $"{pointer}/{required}", () => record.Remove(required)));
                    }
                }

                if (flat["additionalProperties"] is JsonValue closed && closed.GetValueKind() == System.Text.Json.JsonValueKind.False)
                {
                    sites.Add(($"{pointer}/colour, a member the contract does not have", $"{pointer}/colour", () => record["colour"] = "green"));
                }

                foreach (var (name, value) in record.ToList())
                {
                    if (properties[name] is not { } member)
                    {
                        continue;
                    }

                    var at = $"{pointer}/{name}";
                    var wrongType = WrongType(_contract.Flatten(member));
                    if (wrongType is not null)
                    {
                        sites.Add(($"{at} of a wrong type ({wrongType.ToJsonString()})", at, () => record[name] = wrongType.DeepClone()));
                    }

                    if (value is not null)
                    {
                        Sites(value, member, at, sites);
                    }
                }

                break;
            case JsonObject map when flat["additionalProperties"] is JsonObject text:
                if (flat["maxProperties"]?.GetValue<int>() is { } maxProperties)
                {
                    sites.Add(($"{pointer} with more than {maxProperties} languages", pointer, () =>
                    {
                        for (var i = 0; map.Count <= maxProperties; i++)
                        {
                            map[$"x-test-{i}"] = "text";
                        }
                    }));
                }

                foreach (var (language, value) in map.ToList())
                {
                    if (value is JsonValue)
                    {
                        StringSites(value, _contract.Flatten(text), $"{pointer}/{language}", replacement => map[language] = replacement, sites);
                    }
                }

                break;
            case JsonArray items:
                if (flat["maxItems"]?.GetValue<int>() is { } maxItems && items.Count > 0)
                {
                    sites.Add(($"{pointer} with {maxItems + 1} items (at most {maxItems})", pointer, () =>
                    {
                        var first = items[0]!;
                        while (items.Count <= maxItems)
                        {
                            items.Add(first.DeepClone());
                        }
                    }));
                }

                for (var i = 0; i < items.Count && flat["items"] is { } itemSchema; i++)
                {
                    var index = i;
                    if (items[i] is JsonValue)
                    {
                        StringSites(items[i]!, _contract.Flatten(itemSchema), $"{pointer}/{i}", replacement => items[index] = replacement, sites);
                    }
                    else if (items[i] is not null)
                    {
                        Sites(items[i]!, itemSchema, $"{pointer}/{i}", sites);
                    }
                }

                break;
            case JsonValue value:
                StringSites(value, flat, pointer, replacement => value.Parent!.AsObject()[value.GetPropertyName()] = replacement, sites);
                NumberSites(value, flat, pointer, sites);
                break;
        }
    }

    private static void StringSites(JsonNode value, JsonObject flat, string pointer, Action<JsonNode> replace, List<(string, string, Action)> sites)
    {
        if (value.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return;
        }

        if (flat["maxLength"]?.GetValue<int>() is { } maxLength)
        {
            var text = value.GetValue<string>();
            var longer = string.Concat(Enumerable.Repeat(text.Length > 0 ? text : "a", (maxLength / Math.Max(text.Length, 1)) + 2))[..(maxLength + 1)];
            sites.Add(($"{pointer} of {maxLength + 1} characters (at most {maxLength})", pointer, () => replace(longer)));
        }

        if (flat["pattern"]?.GetValue<string>() is { } pattern)
        {
            var breaking = new[] { " ", "#", "!?", "ZZ-!" }.FirstOrDefault(candidate => !Regex.IsMatch(candidate, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)));
            if (breaking is not null)
            {
                sites.Add(($"{pointer} not matching {pattern} ('{breaking}')", pointer, () => replace(breaking)));
            }
        }

        if (flat["enum"] is JsonArray)
        {
            sites.Add(($"{pointer} not one of its enum", pointer, () => replace("not-a-member")));
        }
    }

    private static void NumberSites(JsonValue value, JsonObject flat, string pointer, List<(string, string, Action)> sites)
    {
        if (value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
        {
            return;
        }

        var parent = value.Parent!.AsObject();
        var name = value.GetPropertyName();
        if (flat["maximum"] is { } maximum && maximum.GetValue<decimal>() < int.MaxValue)
        {
            sites.Add(($"{pointer} above its maximum {maximum}", pointer, () => parent[name] = maximum.GetValue<long>() + 1));
        }

        if (flat["minimum"] is { } minimum)
        {
            sites.Add(($"{pointer} below its minimum {minimum}", pointer, () => parent[name] = minimum.GetValue<decimal>() - 1));
        }
    }

    /// <summary>A value of another JSON type than the member's (null is no wrong type for a nullable member).</summary>
    private static JsonNode? WrongType(JsonObject flat) => flat["type"]?.GetValue<string>() switch
    {
        "string" => JsonValue.Create(12345),
        "integer" or "number" => JsonValue.Create("12"),
        "boolean" => JsonValue.Create("true"),
        "object" => new JsonArray(),
        "array" => new JsonObject(),
        _ => flat["oneOf"] is not null ? new JsonArray() : null,
    };
}
