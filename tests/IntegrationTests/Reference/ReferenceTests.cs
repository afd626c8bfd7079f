using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Reference;

/// <summary>Funding measures and goals: the seeded code lists, read by anyone and written by admins.</summary>
public sealed class ReferenceTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    public static TheoryData<string> Collections() => ["/v1/funding-measures", "/v1/goals"];

    private static List<string> Codes(IEnumerable<JsonElement> items) => [.. items.Select(i => i.GetProperty("code").GetString()!)];

    private async Task<List<JsonElement>> ListAsync(string uri) => await api.CreateClient().ReadAllAsync(uri);

    private static string NewScheme() => $"test-{Guid.NewGuid():N}";

    private static JsonObject Node(string scheme, string code, string level, string name, JsonObject? parent = null)
    {
        var node = new JsonObject
        {
            ["scheme"] = scheme,
            ["code"] = code,
            ["level"] = level,
            ["name"] = new JsonObject { ["en"] = name },
        };
        if (parent is not null)
        {
            node["parent"] = parent;
        }

        return node;
    }

    private static JsonObject Ref(string scheme, string code) => new() { ["scheme"] = scheme, ["code"] = code };

    private async Task<JsonElement> UpsertAsync(string collection, JsonObject node, HttpStatusCode status = HttpStatusCode.Created)
    {
        var response = await api.CreateAdminClient().PostAsync(collection, RegistryClients.JsonBody(node));
        return await response.AssertStatusAsync(status);
    }

    [Fact]
    public async Task Funding_measures_of_a_scheme_are_listed_in_code_order()
    {
        var items = await ListAsync("/v1/funding-measures?scheme=lv-rdp-2014-2020");

        Assert.Equal(["19.3", "M19", "lv-rdp-2014-2020"], Codes(items));
        var nodes = items.Select(i => i.As<ReferenceNodeWire>()).ToList();
        Assert.All(nodes, n => Assert.Equal("lv-rdp-2014-2020", n.Scheme));
        var submeasure = nodes[0];
        Assert.Equal(("sub-measure", "EAFRD", "LV"), (submeasure.Level, submeasure.Fund, submeasure.Country));
        Assert.Equal(new NodeSummaryWire(nodes[1].Id, "lv-rdp-2014-2020", "M19"), submeasure.Parent);
        Assert.Equal("Starpteritoriālā un starpvalstu sadarbība", submeasure.Name["lv"]);
        Assert.Null(nodes[2].Parent);
    }

    [Fact]
    public async Task Funding_measures_are_listed_by_scheme_then_code_in_ordinal_order()
    {
        var items = await ListAsync("/v1/funding-measures?pageSize=500");

        var keys = items.Select(i => $"{i.GetProperty("scheme").GetString()}\u0000{i.GetProperty("code").GetString()}").ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.True(items.Count >= 38);
    }

    [Theory]
    [InlineData("lv-rdp-2014-2020:M19")]
    [InlineData("lv-rdp-2014-2020:M19&scheme=lv-rdp-2014-2020")]
    public async Task Funding_measures_under_a_parent_named_by_scheme_and_code_are_listed(string parent)
    {
        var items = await ListAsync($"/v1/funding-measures?parent={parent}");

        Assert.Equal(["19.3"], Codes(items));
    }

    [Fact]
    public async Task Funding_measures_under_a_parent_named_by_id_are_listed()
    {
        var m19 = (await ListAsync("/v1/funding-measures?scheme=eu-rdp-2014-2020")).Single(i => i.GetProperty("code").GetString() == "M19");

        var items = await ListAsync($"/v1/funding-measures?parent={m19.GetProperty("id").GetGuid()}");

        Assert.Equal(["19.1", "19.2", "19.3", "19.4"], Codes(items));
        Assert.All(items, i => Assert.Equal(m19.GetProperty("id").GetGuid(), i.GetProperty("parent").GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task The_level_filter_lists_only_that_level()
    {
        var measures = await ListAsync("/v1/funding-measures?level=measure&pageSize=500");

        Assert.NotEmpty(measures);
        Assert.All(measures, m => Assert.Equal("measure", m.GetProperty("level").GetString()));
        Assert.Contains(measures, m => m.GetProperty("scheme").GetString() == "eu-rdp-2014-2020" && m.GetProperty("code").GetString() == "M19");
        Assert.Contains(measures, m => m.GetProperty("scheme").GetString() == "lv-rdp-2014-2020" && m.GetProperty("code").GetString() == "M19");
        var lvMeasures = await ListAsync("/v1/funding-measures?level=measure&scheme=lv-rdp-2014-2020");
        Assert.Equal(["M19"], Codes(lvMeasures));
    }

    [Theory]
    [InlineData("/v1/funding-measures?parent=lv-rdp-2014-2020:M99")]
    [InlineData("/v1/funding-measures?parent=no-such-scheme")]
    [InlineData("/v1/funding-measures?parent=0195f3a1-c2d3-7e4f-8a9b-0c1d2e3f4a5b")]
    [InlineData("/v1/goals?parent=eu-rdp-2014-2020:P9")]
    public async Task An_unknown_parent_is_a_400_problem_naming_parent(string uri)
    {
        var response = await api.CreateClient().GetAsync(uri);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("parent", problem.Errors().Single().Parameter);
    }

    [Theory]
    [InlineData("/v1/funding-measures?fund=EAFRD", "fund")]
    [InlineData("/v1/goals?code=6B", "code")]
    [InlineData("/v1/goals?pageSize=0", "pageSize")]
    [InlineData("/v1/funding-measures?pageToken=garbage", "pageToken")]
    public async Task An_unknown_or_bad_query_parameter_is_a_400_problem_naming_it(string uri, string parameter)
    {
        var response = await api.CreateClient().GetAsync(uri);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.Errors().Single().Parameter);
    }

    [Fact]
    public async Task A_page_token_of_another_filter_is_a_400_problem()
    {
        var page = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/funding-measures?scheme=eu-rdp-2014-2020&pageSize=2");
        var token = page.GetProperty("nextPageToken").GetString();

        var response = await api.CreateClient().GetAsync($"/v1/funding-measures?scheme=lv-rdp-2014-2020&pageSize=2&pageToken={Uri.EscapeDataString(token!)}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("pageToken", problem.Errors().Single().Parameter);
    }

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task One_node_is_read_with_its_version_as_etag_and_if_none_match_answers_304(string collection)
    {
        var node = (await ListAsync($"{collection}?scheme=eu-rdp-2014-2020&pageSize=500")).First();
        var id = node.GetProperty("id").GetGuid();
        var client = api.CreateClient();

        var response = await client.GetAsync($"{collection}/{id}");

        var fetched = await response.AssertStatusAsync(HttpStatusCode.OK);
        var etag = $"\"{node.GetProperty("version").GetInt64()}\"";
        Assert.Equal(etag, response.Headers.ETag?.Tag);
        Assert.Equal(node.GetRawText(), fetched.GetRawText());

        var notModified = await client.SendAsync(HttpMethod.Get, $"{collection}/{id}", null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        var any = await client.SendAsync(HttpMethod.Get, $"{collection}/{id}", null, ("If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.NotModified, any.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task An_unknown_node_is_a_404_problem(string collection)
    {
        var response = await api.CreateClient().GetAsync($"{collection}/{Guid.NewGuid()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task A_path_id_that_is_not_a_uuid_is_a_400_problem_naming_it(string collection)
    {
        var response = await api.CreateClient().GetAsync($"{collection}/6B");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors(), e => e.Parameter == "id");
    }

    [Fact]
    public async Task Goals_under_a_priority_are_listed_in_code_order()
    {
        var items = await ListAsync("/v1/goals?scheme=eu-rdp-2014-2020&parent=eu-rdp-2014-2020:P6");

        Assert.Equal(["6A", "6B", "6C"], Codes(items));
        Assert.All(items, i => Assert.Equal("focus-area", i.GetProperty("level").GetString()));
        Assert.All(items, i => Assert.Equal("P6", i.GetProperty("parent").GetProperty("code").GetString()));
        Assert.Equal("Fostering local development in rural areas", items[1].GetProperty("name").GetProperty("en").GetString());
    }

    [Fact]
    public async Task Goals_filter_by_scheme_and_level()
    {
        var priorities = await ListAsync("/v1/goals?scheme=eu-rdp-2014-2020&level=priority");
        var objectives = await ListAsync("/v1/goals?scheme=eu-cap-2023-2027");

        Assert.Equal(["P1", "P2", "P3", "P4", "P5", "P6"], Codes(priorities));
        Assert.Equal(["SO1", "SO2", "SO3", "SO4", "SO5", "SO6", "SO7", "SO8", "SO9", "XCO"], Codes(objectives));
    }

    [Fact]
    public async Task Goals_under_a_parent_named_by_id_are_listed()
    {
        var p6 = (await ListAsync("/v1/goals?scheme=eu-rdp-2014-2020&level=priority")).Single(g => g.GetProperty("code").GetString() == "P6");

        var items = await ListAsync($"/v1/goals?parent={p6.GetProperty("id").GetGuid()}");

        Assert.Equal(["6A", "6B", "6C"], Codes(items));
    }

    [Theory]
    [InlineData("/v1/funding-measures", "eu-rdp-2014-2020", 26)]
    [InlineData("/v1/goals", "eu-rdp-2014-2020", 9)]
    [InlineData("/v1/goals", "eu-cap-2023-2027", 10)]
    public async Task Paging_two_at_a_time_walks_a_scheme_without_repeats(string collection, string scheme, int count)
    {
        var client = api.CreateClient();
        var seen = new List<string>();
        string? next = $"{collection}?scheme={scheme}&pageSize=2";
        var pages = 0;
        while (next is not null)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(next);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            Assert.All(items, i => Assert.Equal(scheme, i.GetProperty("scheme").GetString()));
            seen.AddRange(Codes(items));
            next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
            pages++;
        }

        var whole = Codes(await ListAsync($"{collection}?scheme={scheme}&pageSize=500"));
        Assert.Equal(whole, seen);
        Assert.Equal(count, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal((count + 1) / 2, pages);
    }

    [Fact]
    public async Task Admin_creates_a_goal_and_the_same_post_again_changes_nothing()
    {
        var scheme = NewScheme();
        var node = Node(scheme, "SO1", "specific-objective", "Viable farm income");

        var response = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(node));

        var created = await response.AssertStatusAsync<ReferenceNodeWire>(HttpStatusCode.Created);
        Assert.Equal($"/v1/goals/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("created", response.WriteStatus());
        Assert.Equal($"\"{created.Version}\"", response.Headers.ETag?.Tag);
        Assert.Equivalent(
            new ReferenceNodeWire(created.Id, scheme, "SO1", "specific-objective", new() { ["en"] = "Viable farm income" }, null, created.CreatedAt, created.CreatedAt, created.Version),
            created,
            strict: true);

        var again = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(node));

        var same = await again.AssertStatusAsync<ReferenceNodeWire>(HttpStatusCode.OK);
        Assert.Equal("unchanged", again.WriteStatus());
        Assert.Equivalent(created, same, strict: true);
    }

    [Fact]
    public async Task Posting_a_changed_name_updates_the_node_with_a_higher_version()
    {
        var scheme = NewScheme();
        var created = await UpsertAsync("/v1/goals", Node(scheme, "P1", "priority", "Knowledge transfer"));

        var response = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(Node(scheme, "P1", "priority", "Knowledge transfer and innovation")));

        var updated = await response.AssertStatusAsync<ReferenceNodeWire>(HttpStatusCode.OK);
        Assert.Equal("updated", response.WriteStatus());
        var before = created.As<ReferenceNodeWire>();
        Assert.True(updated.Version > before.Version);
        Assert.Equal($"\"{updated.Version}\"", response.Headers.ETag?.Tag);
        Assert.Equivalent(
            before with { Name = new() { ["en"] = "Knowledge transfer and innovation" }, UpdatedAt = updated.UpdatedAt, Version = updated.Version },
            updated,
            strict: true);
    }

    [Fact]
    public async Task Admin_creates_a_funding_measure_under_a_parent_named_by_scheme_and_code_or_by_id()
    {
        var scheme = NewScheme();
        var programme = new JsonObject
        {
            ["scheme"] = scheme,
            ["code"] = "PRG",
            ["level"] = "programme",
            ["name"] = new JsonObject { ["lt"] = "Lietuvos kaimo plėtros programa" },
            ["fund"] = "EAFRD",
            ["country"] = "LT",
            ["periodStart"] = "2014-01-01",
            ["periodEnd"] = "2020",
        };
        var root = (await UpsertAsync("/v1/funding-measures", programme)).As<ReferenceNodeWire>();
        Assert.Equivalent(
            new ReferenceNodeWire(root.Id, scheme, "PRG", "programme", new() { ["lt"] = "Lietuvos kaimo plėtros programa" }, null, root.CreatedAt, root.CreatedAt, root.Version, "EAFRD", "LT", "2014-01-01", "2020"),
            root,
            strict: true);

        var byCode = (await UpsertAsync("/v1/funding-measures", Node(scheme, "M20", "measure", "Technical assistance", Ref(scheme, "PRG")))).As<ReferenceNodeWire>();
        var byId = (await UpsertAsync("/v1/funding-measures", Node(scheme, "20.2", "sub-measure", "Rural network", new JsonObject { ["id"] = byCode.Id.ToString() }))).As<ReferenceNodeWire>();

        Assert.Equal(new NodeSummaryWire(root.Id, scheme, "PRG"), byCode.Parent);
        Assert.Equal(new NodeSummaryWire(byCode.Id, scheme, "M20"), byId.Parent);
        Assert.Equal(["20.2", "M20", "PRG"], Codes(await ListAsync($"/v1/funding-measures?scheme={scheme}")));
    }

    [Fact]
    public async Task Put_replaces_a_node_by_id_and_the_same_body_again_is_unchanged()
    {
        var scheme = NewScheme();
        var created = await UpsertAsync("/v1/goals", Node(scheme, "G1", "objective", "Before"));
        var id = created.GetProperty("id").GetGuid();

        var replaced = await api.CreateAdminClient().PutAsync($"/v1/goals/{id}", RegistryClients.JsonBody(Node(scheme, "G1", "objective", "After")));

        var updated = await replaced.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("updated", replaced.WriteStatus());
        Assert.Equal("After", updated.GetProperty("name").GetProperty("en").GetString());
        Assert.True(updated.GetProperty("version").GetInt64() > created.GetProperty("version").GetInt64());

        var again = await api.CreateAdminClient().PutAsync($"/v1/goals/{id}", RegistryClients.JsonBody(Node(scheme, "G1", "objective", "After")));
        await again.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("unchanged", again.WriteStatus());
    }

    [Fact]
    public async Task Put_with_the_current_if_match_replaces_the_node()
    {
        var scheme = NewScheme();
        var created = await UpsertAsync("/v1/funding-measures", Node(scheme, "M1", "measure", "Before"));

        var response = await api.CreateAdminClient().SendAsync(HttpMethod.Put, $"/v1/funding-measures/{created.GetProperty("id")}",
            RegistryClients.JsonBody(Node(scheme, "M1", "measure", "After")), ("If-Match", $"\"{created.GetProperty("version").GetInt64()}\""));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("updated", response.WriteStatus());
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_a_412_problem()
    {
        var scheme = NewScheme();
        var created = await UpsertAsync("/v1/funding-measures", Node(scheme, "M1", "measure", "Before"));
        await UpsertAsync("/v1/funding-measures", Node(scheme, "M1", "measure", "Between"), HttpStatusCode.OK);

        var response = await api.CreateAdminClient().SendAsync(HttpMethod.Put, $"/v1/funding-measures/{created.GetProperty("id")}",
            RegistryClients.JsonBody(Node(scheme, "M1", "measure", "After")), ("If-Match", $"\"{created.GetProperty("version").GetInt64()}\""));

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Put_with_a_malformed_if_match_is_a_400_problem_naming_the_header()
    {
        var scheme = NewScheme();
        var created = await UpsertAsync("/v1/goals", Node(scheme, "G1", "objective", "Before"));

        var response = await api.CreateAdminClient().SendAsync(HttpMethod.Put, $"/v1/goals/{created.GetProperty("id")}",
            RegistryClients.JsonBody(Node(scheme, "G1", "objective", "After")), ("If-Match", "W/\"1\""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("If-Match", problem.Errors().Single().Parameter);
    }

    [Theory]
    [InlineData("code")]
    [InlineData("scheme")]
    public async Task Put_changing_the_scheme_or_code_is_a_400_problem(string member)
    {
        var scheme = NewScheme();
        var created = await UpsertAsync("/v1/goals", Node(scheme, "G1", "objective", "Goal"));
        var changed = member == "code" ? Node(scheme, "G2", "objective", "Goal") : Node(NewScheme(), "G1", "objective", "Goal");

        var response = await api.CreateAdminClient().PutAsync($"/v1/goals/{created.GetProperty("id")}", RegistryClients.JsonBody(changed));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors().Single().Pointer, new[] { "/code", "/scheme" });
        var current = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/goals/{created.GetProperty("id")}");
        Assert.Equal("G1", current.GetProperty("code").GetString());
        Assert.Equal(scheme, current.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Put_of_an_unknown_node_is_a_404_problem()
    {
        var response = await api.CreateAdminClient().PutAsync($"/v1/goals/{Guid.NewGuid()}", RegistryClients.JsonBody(Node(NewScheme(), "G1", "objective", "Goal")));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_parent_below_the_node_is_a_400_problem_because_a_hierarchy_has_no_cycles()
    {
        var scheme = NewScheme();
        var top = await UpsertAsync("/v1/goals", Node(scheme, "A", "priority", "Top"));
        await UpsertAsync("/v1/goals", Node(scheme, "B", "focus-area", "Middle", Ref(scheme, "A")));
        await UpsertAsync("/v1/goals", Node(scheme, "C", "focus-area", "Bottom", Ref(scheme, "B")));

        var viaPost = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(Node(scheme, "A", "priority", "Top", Ref(scheme, "C"))));
        var viaPut = await api.CreateAdminClient().PutAsync($"/v1/goals/{top.GetProperty("id")}", RegistryClients.JsonBody(Node(scheme, "A", "priority", "Top", Ref(scheme, "B"))));
        var itself = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(Node(scheme, "A", "priority", "Top", Ref(scheme, "A"))));

        Assert.Equal("/parent", (await viaPost.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        Assert.Equal("/parent", (await viaPut.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        Assert.Equal("/parent", (await itself.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        var current = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/goals/{top.GetProperty("id")}");
        Assert.Equal(JsonValueKind.Null, current.GetProperty("parent").ValueKind);
    }

    [Fact]
    public async Task An_unknown_parent_in_a_write_is_a_400_problem_pointing_at_parent()
    {
        var scheme = NewScheme();

        var byCode = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(Node(scheme, "A", "priority", "Top", Ref(scheme, "NOPE"))));
        var byId = await api.CreateAdminClient().PostAsync("/v1/funding-measures", RegistryClients.JsonBody(
            Node(scheme, "A", "measure", "Top", new JsonObject { ["id"] = Guid.NewGuid().ToString() })));

        Assert.Equal("/parent", (await byCode.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        Assert.Equal("/parent", (await byId.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
    }

    [Theory]
    [InlineData("{\"scheme\":\"Not A Slug\",\"code\":\"X\",\"level\":\"priority\",\"name\":{\"en\":\"X\"}}", "/scheme")]
    [InlineData("{\"code\":\"X\",\"level\":\"priority\",\"name\":{\"en\":\"X\"}}", "/scheme")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\"A:B\",\"level\":\"priority\",\"name\":{\"en\":\"X\"}}", "/code")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\" X\",\"level\":\"priority\",\"name\":{\"en\":\"X\"}}", "/code")]
    [InlineData("{\"scheme\":\"test-valid\",\"level\":\"priority\",\"name\":{\"en\":\"X\"}}", "/code")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\"X\",\"level\":\"Focus Area\",\"name\":{\"en\":\"X\"}}", "/level")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\"X\",\"level\":\"priority\"}", "/name")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\"X\",\"level\":\"priority\",\"name\":{\"english\":\"X\"}}", "/name/english")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\"X\",\"level\":\"priority\",\"name\":{\"en\":\"X\"},\"parent\":{}}", "/parent")]
    [InlineData("{\"scheme\":\"test-valid\",\"code\":\"X\",\"level\":\"priority\",\"name\":{\"en\":\"X\"},\"version\":3}", "/version")]
    public async Task An_invalid_goal_is_a_400_problem_pointing_at_the_bad_value(string body, string pointer)
    {
        var response = await api.CreateAdminClient().PostAsync("/v1/goals", RegistryClients.JsonBody(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(pointer, problem.Errors().Single().Pointer);
    }

    [Theory]
    [InlineData("\"country\":\"XX\"", "/country")]
    [InlineData("\"periodStart\":\"2014-13\"", "/periodStart")]
    [InlineData("\"periodStart\":\"2020\",\"periodEnd\":\"2014\"", "/periodEnd")]
    public async Task An_invalid_funding_measure_is_a_400_problem_pointing_at_the_bad_value(string member, string pointer)
    {
        var body = $"{{\"scheme\":\"test-valid\",\"code\":\"X\",\"level\":\"measure\",\"name\":{{\"en\":\"X\"}},{member}}}";

        var response = await api.CreateAdminClient().PostAsync("/v1/funding-measures", RegistryClients.JsonBody(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(pointer, problem.Errors().Single().Pointer);
    }

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task A_publisher_key_may_not_write_reference_data(string collection)
    {
        var publisher = await api.CreatePublisherAsync("reference");
        var node = Node(NewScheme(), "X", "measure", "Not allowed");
        var existing = (await ListAsync($"{collection}?scheme=eu-rdp-2014-2020")).First();

        var post = await publisher.Client.PostAsync(collection, RegistryClients.JsonBody(node));
        var put = await publisher.Client.PutAsync($"{collection}/{existing.GetProperty("id")}", RegistryClients.JsonBody(node));

        await post.AssertProblemAsync(HttpStatusCode.Forbidden);
        await put.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task Writing_reference_data_anonymously_is_a_401_problem(string collection)
    {
        var node = Node(NewScheme(), "X", "measure", "Not allowed");
        var existing = (await ListAsync($"{collection}?scheme=eu-rdp-2014-2020")).First();

        var post = await api.CreateClient().PostAsync(collection, RegistryClients.JsonBody(node));
        var put = await api.CreateClient().PutAsync($"{collection}/{existing.GetProperty("id")}", RegistryClients.JsonBody(node));

        await post.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await put.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }
}
