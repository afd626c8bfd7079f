using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Partners;

public sealed class PartnersTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    private static JsonObject NewPartner(string? name = null) => new()
    {
        ["name"] = new JsonObject { ["lv"] = name ?? $"Biedrība \"Lauku partnerība {Guid.NewGuid():N}\"", ["en"] = "Rural partnership" },
        ["acronym"] = "LP",
        ["kind"] = "lag",
        ["country"] = "LV",
        ["region"] = "LV009",
        ["website"] = "https://laukupartneriba.example.lv/",
        ["email"] = "info@laukupartneriba.example.lv",
        ["identifiers"] = new JsonArray(new JsonObject { ["scheme"] = "lv-ur", ["value"] = Guid.NewGuid().ToString("N") }),
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, JsonObject? body = null)
    {
        var response = await client.PostAsync("/v1/partners", RegistryClients.JsonBody(body ?? NewPartner()));
        return await response.AssertStatusAsync(HttpStatusCode.Created);
    }

    private static string ETag(long version) => $"\"{version}\"";

    [Fact]
    public async Task A_publisher_registers_a_partner_and_owns_it()
    {
        var publisher = await api.CreatePublisherAsync("partners");
        var body = NewPartner();

        var response = await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(body));

        var partner = await response.AssertStatusAsync<PartnerWire>(HttpStatusCode.Created);
        Assert.Equal(7, partner.Id.Version);
        Assert.Equal($"/v1/partners/{partner.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(ETag(partner.Version), response.Headers.ETag?.Tag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal("created", response.WriteStatus());
        Assert.Equivalent(
            new PartnerWire(
                partner.Id,
                new() { ["lv"] = body["name"]!["lv"]!.GetValue<string>(), ["en"] = "Rural partnership" },
                "LP",
                "lag",
                "LV",
                "LV009",
                "https://laukupartneriba.example.lv/",
                "info@laukupartneriba.example.lv",
                [new IdentifierWire("lv-ur", body["identifiers"]![0]!["value"]!.GetValue<string>())],
                publisher.Code,
                partner.CreatedAt,
                partner.CreatedAt,
                partner.Version),
            partner,
            strict: true);
        Assert.True(partner.Version > 0);
    }

    [Fact]
    public async Task A_partner_registered_by_an_admin_has_no_owner_and_kind_other_by_default()
    {
        var partner = await CreateAsync(api.CreateAdminClient(), new JsonObject { ["name"] = new JsonObject { ["pl"] = $"Fundacja {Guid.NewGuid():N}" } });

        Assert.Equal(JsonValueKind.Null, partner.GetProperty("owner").ValueKind);
        Assert.Equal("other", partner.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Get_sends_the_version_as_etag_and_if_none_match_with_it_answers_304_without_a_body()
    {
        var created = await CreateAsync((await api.CreatePublisherAsync()).Client);
        var id = created.GetProperty("id").GetGuid();
        var client = api.CreateClient();

        var fetched = await client.GetAsync($"/v1/partners/{id}");

        var partner = await fetched.AssertStatusAsync(HttpStatusCode.OK);
        var etag = ETag(created.GetProperty("version").GetInt64());
        Assert.Equal(etag, fetched.Headers.ETag?.Tag);
        Assert.Equal(created.GetProperty("name").GetRawText(), partner.GetProperty("name").GetRawText());

        var notModified = await client.SendAsync(HttpMethod.Get, $"/v1/partners/{id}", null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag?.Tag);

        var stale = await client.SendAsync(HttpMethod.Get, $"/v1/partners/{id}", null, ("If-None-Match", "\"1\""));
        await stale.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Put_replaces_the_partner_with_a_new_version_and_the_same_body_again_changes_nothing()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = (await CreateAsync(publisher.Client)).As<PartnerWire>();
        var replacement = NewPartner();
        replacement["acronym"] = "NEW";
        replacement.Remove("website");

        var replaced = await publisher.Client.PutAsync($"/v1/partners/{created.Id}", RegistryClients.JsonBody(replacement));

        var updated = await replaced.AssertStatusAsync<PartnerWire>(HttpStatusCode.OK);
        Assert.Equal("updated", replaced.WriteStatus());
        Assert.True(updated.Version > created.Version);
        Assert.Equal(ETag(updated.Version), replaced.Headers.ETag?.Tag);
        Assert.Equivalent(
            created with
            {
                Name = new() { ["lv"] = replacement["name"]!["lv"]!.GetValue<string>(), ["en"] = "Rural partnership" },
                Acronym = "NEW",
                Website = null,
                Identifiers = [new IdentifierWire("lv-ur", replacement["identifiers"]![0]!["value"]!.GetValue<string>())],
                UpdatedAt = updated.UpdatedAt,
                Version = updated.Version,
            },
            updated,
            strict: true);

        var again = await publisher.Client.PutAsync($"/v1/partners/{created.Id}", RegistryClients.JsonBody(replacement));

        var unchanged = await again.AssertStatusAsync<PartnerWire>(HttpStatusCode.OK);
        Assert.Equal("unchanged", again.WriteStatus());
        Assert.Equivalent(updated, unchanged, strict: true);
    }

    [Fact]
    public async Task Put_with_the_current_if_match_replaces_the_partner()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);
        var body = NewPartner();

        var response = await publisher.Client.SendAsync(HttpMethod.Put, $"/v1/partners/{created.GetProperty("id")}", RegistryClients.JsonBody(body),
            ("If-Match", ETag(created.GetProperty("version").GetInt64())));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("updated", response.WriteStatus());
    }

    [Fact]
    public async Task Merge_patch_changes_only_the_members_it_names_and_null_removes_a_member()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);
        var id = created.GetProperty("id").GetGuid();

        var patched = await publisher.Client.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{\"acronym\":\"LPB\"}"));

        var partner = await patched.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("updated", patched.WriteStatus());
        Assert.Equal("LPB", partner.GetProperty("acronym").GetString());
        Assert.True(partner.GetProperty("version").GetInt64() > created.GetProperty("version").GetInt64());
        foreach (var member in new[] { "name", "kind", "country", "region", "website", "email", "identifiers", "owner", "createdAt" })
        {
            Assert.Equal(created.GetProperty(member).GetRawText(), partner.GetProperty(member).GetRawText());
        }

        var removed = await publisher.Client.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{\"website\":null,\"name\":{\"en\":null}}"));

        var after = await removed.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("website").ValueKind);
        Assert.Equal(["lv"], after.GetProperty("name").EnumerateObject().Select(n => n.Name));
        Assert.Equal("LPB", after.GetProperty("acronym").GetString());
        Assert.Equal("info@laukupartneriba.example.lv", after.GetProperty("email").GetString());

        var same = await publisher.Client.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{\"acronym\":\"LPB\"}"));
        await same.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("unchanged", same.WriteStatus());
    }

    [Fact]
    public async Task Patch_in_another_media_type_is_a_415_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);

        var response = await publisher.Client.PatchAsync(
            $"/v1/partners/{created.GetProperty("id")}", new StringContent("{\"acronym\":\"X\"}", System.Text.Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("{\"id\":\"0195f3a1-c2d3-7e4f-8a9b-0c1d2e3f4a5b\"}", "/id")]
    [InlineData("{\"version\":1}", "/version")]
    [InlineData("{\"owner\":\"someone-else\"}", "/owner")]
    [InlineData("{\"createdAt\":\"2020-01-01T00:00:00Z\"}", "/createdAt")]
    public async Task Patch_writing_a_read_only_member_is_a_400_problem_pointing_at_it(string patch, string pointer)
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);

        var response = await publisher.Client.PatchAsync($"/v1/partners/{created.GetProperty("id")}", RegistryClients.MergePatch(patch));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(pointer, problem.Errors().Single().Pointer);
    }

    [Theory]
    [InlineData("{\"country\":\"XX\"}", "/country")]
    [InlineData("[1,2]", "")]
    [InlineData("{\"acronym\":", "")]
    public async Task Patch_with_an_invalid_result_or_body_is_a_400_problem(string patch, string pointer)
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);

        var response = await publisher.Client.PatchAsync($"/v1/partners/{created.GetProperty("id")}", RegistryClients.MergePatch(patch));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        if (pointer.Length > 0)
        {
            Assert.Equal(pointer, problem.Errors().Single().Pointer);
        }
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_a_412_problem_and_changes_nothing()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);
        var id = created.GetProperty("id").GetGuid();
        var oldETag = ETag(created.GetProperty("version").GetInt64());
        (await publisher.Client.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{\"acronym\":\"V2\"}"))).EnsureSuccessStatusCode();

        var response = await publisher.Client.SendAsync(HttpMethod.Put, $"/v1/partners/{id}", RegistryClients.JsonBody(NewPartner()), ("If-Match", oldETag));

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var current = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/partners/{id}");
        Assert.Equal("V2", current.GetProperty("acronym").GetString());
    }

    [Fact]
    public async Task Patch_and_delete_with_a_stale_if_match_are_412_problems()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);
        var id = created.GetProperty("id").GetGuid();
        var oldETag = ETag(created.GetProperty("version").GetInt64());
        (await publisher.Client.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{\"acronym\":\"V2\"}"))).EnsureSuccessStatusCode();

        var patch = await publisher.Client.SendAsync(HttpMethod.Patch, $"/v1/partners/{id}", RegistryClients.MergePatch("{\"acronym\":\"V3\"}"), ("If-Match", oldETag));
        var delete = await publisher.Client.SendAsync(HttpMethod.Delete, $"/v1/partners/{id}", null, ("If-Match", oldETag));

        await patch.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        await delete.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("abc")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("\"v1\"")]
    public async Task A_malformed_if_match_is_a_400_problem_naming_the_header(string ifMatch)
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);

        var response = await publisher.Client.SendAsync(HttpMethod.Put, $"/v1/partners/{created.GetProperty("id")}", RegistryClients.JsonBody(NewPartner()), ("If-Match", ifMatch));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("If-Match", problem.Errors().Single().Parameter);
    }

    [Fact]
    public async Task Delete_answers_204_and_the_partner_is_then_gone_with_410()
    {
        var publisher = await api.CreatePublisherAsync();
        var created = await CreateAsync(publisher.Client);
        var id = created.GetProperty("id").GetGuid();

        var deleted = await publisher.Client.DeleteAsync($"/v1/partners/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        await (await api.CreateClient().GetAsync($"/v1/partners/{id}")).AssertProblemAsync(HttpStatusCode.Gone);
        var list = await api.CreateClient().ReadAllAsync("/v1/partners?pageSize=500");
        Assert.DoesNotContain(list, p => p.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Changing_or_deleting_a_deleted_partner_is_a_410_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();
        (await publisher.Client.DeleteAsync($"/v1/partners/{id}")).EnsureSuccessStatusCode();

        await (await publisher.Client.PutAsync($"/v1/partners/{id}", RegistryClients.JsonBody(NewPartner()))).AssertProblemAsync(HttpStatusCode.Gone);
        await (await publisher.Client.DeleteAsync($"/v1/partners/{id}")).AssertProblemAsync(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Deleting_a_partner_a_live_project_names_is_a_409_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();
        var project = await publisher.Client.PutProjectAsync("lv-2024-001", RegistryClients.Project(RegistryClients.PartnerById(id)));
        await project.AssertStatusAsync(HttpStatusCode.Created);

        var response = await publisher.Client.DeleteAsync($"/v1/partners/{id}");

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        await (await api.CreateClient().GetAsync($"/v1/partners/{id}")).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_partner_whose_projects_were_deleted_may_be_deleted()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();
        var project = await (await publisher.Client.PutProjectAsync("lv-2024-002", RegistryClients.Project(RegistryClients.PartnerById(id)))).AssertStatusAsync(HttpStatusCode.Created);
        (await publisher.Client.DeleteAsync($"/v1/projects/{project.GetProperty("id")}")).EnsureSuccessStatusCode();

        var response = await publisher.Client.DeleteAsync($"/v1/partners/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task The_partners_projects_list_the_projects_naming_it()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();
        var other = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();
        var named = await (await publisher.Client.PutProjectAsync("lv-2024-010", RegistryClients.Project(RegistryClients.PartnerById(id)))).AssertStatusAsync(HttpStatusCode.Created);
        await (await publisher.Client.PutProjectAsync("lv-2024-011", RegistryClients.Project(RegistryClients.PartnerById(other)))).AssertStatusAsync(HttpStatusCode.Created);

        var page = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/v1/partners/{id}/projects");

        var project = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(named.GetProperty("id").GetGuid(), project.GetProperty("id").GetGuid());
        Assert.Equal("lv-2024-010", project.GetProperty("externalId").GetString());
        Assert.Equal("lead", project.GetProperty("partners")[0].GetProperty("role").GetString());
        Assert.Equal(id, project.PartnerIds().Single());
    }

    [Fact]
    public async Task The_projects_of_an_unknown_partner_are_a_404_problem()
    {
        var response = await api.CreateClient().GetAsync($"/v1/partners/{Guid.NewGuid()}/projects");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_publisher_may_not_change_or_delete_the_partner()
    {
        var owner = await api.CreatePublisherAsync("owner");
        var stranger = await api.CreatePublisherAsync("stranger");
        var created = await CreateAsync(owner.Client);
        var id = created.GetProperty("id").GetGuid();

        var put = await stranger.Client.PutAsync($"/v1/partners/{id}", RegistryClients.JsonBody(NewPartner()));
        var patch = await stranger.Client.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{\"acronym\":\"MINE\"}"));
        var delete = await stranger.Client.DeleteAsync($"/v1/partners/{id}");

        await put.AssertProblemAsync(HttpStatusCode.Forbidden);
        await patch.AssertProblemAsync(HttpStatusCode.Forbidden);
        await delete.AssertProblemAsync(HttpStatusCode.Forbidden);
        var current = await (await api.CreateClient().GetAsync($"/v1/partners/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("version").GetInt64(), current.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_publisher_may_not_change_a_partner_an_admin_registered_but_an_admin_may_change_any()
    {
        var publisher = await api.CreatePublisherAsync();
        var byAdmin = (await CreateAsync(api.CreateAdminClient())).GetProperty("id").GetGuid();
        var byPublisher = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();

        var refused = await publisher.Client.PatchAsync($"/v1/partners/{byAdmin}", RegistryClients.MergePatch("{\"acronym\":\"X\"}"));
        var allowed = await api.CreateAdminClient().PatchAsync($"/v1/partners/{byPublisher}", RegistryClients.MergePatch("{\"acronym\":\"ADM\"}"));

        var partner = await allowed.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(publisher.Code, partner.GetProperty("owner").GetString());
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_publishers_project_may_name_the_partner_by_id()
    {
        var owner = await api.CreatePublisherAsync("owner");
        var other = await api.CreatePublisherAsync("other");
        var id = (await CreateAsync(owner.Client)).GetProperty("id").GetGuid();

        var response = await other.Client.PutProjectAsync("bg-2024-7", RegistryClients.Project(RegistryClients.PartnerById(id)));

        var project = await response.AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(other.Code, project.GetProperty("publisher").GetString());
        Assert.Equal(id, project.PartnerIds().Single());
    }

    [Theory]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"country\":\"XX\"}", "/country")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"country\":\"lv\"}", "/country")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"website\":\"laukupartneriba.lv\"}", "/website")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"website\":\"ftp://laukupartneriba.lv\"}", "/website")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"email\":\"not-an-address\"}", "/email")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"region\":\"Nowhere\"}", "/region")]
    [InlineData("{\"name\":{}}", "/name")]
    [InlineData("{}", "/name")]
    [InlineData("{\"name\":{\"lv\":\"   \"}}", "/name/lv")]
    [InlineData("{\"name\":{\"not a tag\":\"Biedrība\"}}", "/name/not a tag")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"identifiers\":[{\"scheme\":\"LV UR\",\"value\":\"1\"}]}", "/identifiers/0/scheme")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"identifiers\":[{\"scheme\":\"lv-ur\"}]}", "/identifiers/0/value")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"colour\":\"green\"}", "/colour")]
    [InlineData("{\"name\":{\"lv\":\"Biedrība\"},\"kind\":\"castle\"}", "/kind")]
    public async Task An_invalid_partner_is_a_400_problem_pointing_at_the_bad_value(string body, string pointer)
    {
        var publisher = await api.CreatePublisherAsync();

        var response = await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(pointer, problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task An_invalid_replacement_is_a_400_problem_listing_each_bad_value()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();

        var response = await publisher.Client.PutAsync($"/v1/partners/{id}", RegistryClients.JsonBody("{\"name\":{},\"country\":\"XX\",\"website\":\"nope\"}"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/country", "/name", "/website"], problem.Errors().Select(e => e.Pointer).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_identifier_another_partner_holds_is_a_409_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var first = NewPartner();
        await CreateAsync(publisher.Client, first);
        var second = NewPartner();
        second["identifiers"] = first["identifiers"]!.DeepClone();
        var third = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();

        var created = await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(second));
        var replaced = await publisher.Client.PutAsync($"/v1/partners/{third}", RegistryClients.JsonBody(second));

        await created.AssertProblemAsync(HttpStatusCode.Conflict);
        await replaced.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_identifier_is_free_again_once_its_partner_is_deleted()
    {
        var publisher = await api.CreatePublisherAsync();
        var first = NewPartner();
        var id = (await CreateAsync(publisher.Client, first)).GetProperty("id").GetGuid();
        (await publisher.Client.DeleteAsync($"/v1/partners/{id}")).EnsureSuccessStatusCode();
        var second = NewPartner();
        second["identifiers"] = first["identifiers"]!.DeepClone();

        var response = await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(second));

        await response.AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_unknown_partner_is_a_404_problem_for_every_operation()
    {
        var publisher = await api.CreatePublisherAsync();
        var path = $"/v1/partners/{Guid.NewGuid()}";

        await (await api.CreateClient().GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await publisher.Client.PutAsync(path, RegistryClients.JsonBody(NewPartner()))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await publisher.Client.PatchAsync(path, RegistryClients.MergePatch("{\"acronym\":\"X\"}"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await publisher.Client.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/partners/not-a-guid")]
    [InlineData("/v1/partners/12345")]
    [InlineData("/v1/partners/not-a-guid/projects")]
    public async Task A_path_id_that_is_not_a_uuid_is_a_400_problem_naming_it(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors(), e => e.Parameter == "id");
    }

    [Fact]
    public async Task Writing_partners_without_a_key_is_a_401_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await CreateAsync(publisher.Client)).GetProperty("id").GetGuid();
        var anonymous = api.CreateClient();

        await (await anonymous.PostAsync("/v1/partners", RegistryClients.JsonBody(NewPartner()))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PutAsync($"/v1/partners/{id}", RegistryClients.JsonBody(NewPartner()))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PatchAsync($"/v1/partners/{id}", RegistryClients.MergePatch("{}"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.DeleteAsync($"/v1/partners/{id}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Paging_one_at_a_time_walks_every_partner_once_in_id_order()
    {
        var publisher = await api.CreatePublisherAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await CreateAsync(publisher.Client)).GetProperty("id").GetGuid());
        }

        var client = api.CreateClient();
        var seen = new List<Guid>();
        string? next = "/v1/partners?pageSize=1";
        while (next is not null)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(next);
            Assert.True(page.GetProperty("items").GetArrayLength() <= 1);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
            next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        var all = await client.ReadAllAsync("/v1/partners?pageSize=500");
        Assert.Equal(all.Select(p => p.GetProperty("id").GetGuid()), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), ids.ToHashSet());
        Assert.Equal(seen.Select(g => g.ToString()).Order(StringComparer.Ordinal), seen.Select(g => g.ToString()));
    }

    [Theory]
    [InlineData("/v1/partners?colour=green", "colour")]
    [InlineData("/v1/partners/0195f3a1-c2d3-7e4f-8a9b-0c1d2e3f4a5b?expand=all", "expand")]
    [InlineData("/v1/partners?pageSize=0", "pageSize")]
    [InlineData("/v1/partners?pageToken=garbage", "pageToken")]
    public async Task An_unknown_or_bad_query_parameter_is_a_400_problem_naming_it(string uri, string parameter)
    {
        var response = await api.CreateClient().GetAsync(uri);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.Errors().Single().Parameter);
    }
}
