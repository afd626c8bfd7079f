using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Projects;

public sealed class ProjectsTests(PublishersApiFactory api) : IClassFixture<PublishersApiFactory>
{
    private static int _counter;

    [Fact]
    public async Task A_publisher_creates_a_project_and_anyone_reads_it_with_its_etag()
    {
        var externalId = NewExternalId();

        var created = await api.PublisherA.PostAsJsonAsync("/v1/projects", Project(externalId));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/v1/projects/{body.GetProperty("id").GetString()}", created.Headers.Location!.OriginalString);
        Assert.Equal(7, Guid.Parse(body.GetProperty("id").GetString()!).Version);
        Assert.Equal("pub-a", body.GetProperty("publisher").GetString());
        Assert.Equal($"\"{body.GetProperty("version").GetInt64()}\"", created.Headers.ETag!.Tag);
        Assert.Equal("176072.20", body.GetProperty("budget").GetProperty("total").GetProperty("amount").GetString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("2022-07", body.GetProperty("startDate").GetString());
        Assert.Equal("2023", body.GetProperty("endDate").GetString());
        Assert.Equal(["PL", "GR", "GB"], body.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));

        var fetched = await api.CreateClient().GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(created.Headers.ETag, fetched.Headers.ETag);
    }

    [Fact]
    public async Task A_get_with_the_current_etag_is_a_bodiless_304()
    {
        var (location, etag) = await CreateAsync(api.PublisherA);
        using var request = new HttpRequestMessage(HttpMethod.Get, location);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));

        var response = await api.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task A_second_post_with_the_same_external_id_is_a_409_problem()
    {
        var externalId = NewExternalId();
        (await api.PublisherA.PostAsJsonAsync("/v1/projects", Project(externalId))).EnsureSuccessStatusCode();

        var again = await api.PublisherA.PostAsJsonAsync("/v1/projects", Project(externalId));

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_same_external_id_may_be_used_by_another_publisher()
    {
        var externalId = NewExternalId();
        (await api.PublisherA.PostAsJsonAsync("/v1/projects", Project(externalId))).EnsureSuccessStatusCode();

        var other = await api.PublisherB.PostAsJsonAsync("/v1/projects", Project(externalId));

        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Put_replaces_and_the_same_put_again_keeps_the_version()
    {
        var (location, _) = await CreateAsync(api.PublisherA);
        var changed = Project(null, title: "Nowy tytuł");

        var first = await api.PublisherA.PutAsJsonAsync(location, changed);
        var second = await api.PublisherA.PutAsJsonAsync(location, changed);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("updated", first.Headers.GetValues("Registry-Write-Status").Single());
        Assert.Equal("unchanged", second.Headers.GetValues("Registry-Write-Status").Single());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Nowy tytuł", body.GetProperty("title").GetProperty("pl").GetString());
    }

    [Fact]
    public async Task A_stale_if_match_is_a_412_problem_and_a_current_one_succeeds()
    {
        var (location, etag) = await CreateAsync(api.PublisherA);
        (await api.PublisherA.PutAsJsonAsync(location, Project(null, title: "Zmiana"))).EnsureSuccessStatusCode();

        var stale = await SendAsync(api.PublisherA, HttpMethod.Put, location, Project(null, title: "Druga zmiana"), ifMatch: etag);
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var current = (await api.CreateClient().GetAsync(location)).Headers.ETag!.Tag;
        var fresh = await SendAsync(api.PublisherA, HttpMethod.Put, location, Project(null, title: "Druga zmiana"), ifMatch: current);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("\"abc\"")]
    [InlineData("abc")]
    public async Task A_malformed_if_match_is_a_400_problem(string ifMatch)
    {
        var (location, _) = await CreateAsync(api.PublisherA);
        using var request = new HttpRequestMessage(HttpMethod.Put, location) { Content = JsonContent.Create(Project(null)) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        var response = await api.PublisherA.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("If-Match", problem.Errors().Single().Parameter);
    }

    [Fact]
    public async Task Put_by_external_id_creates_then_replaces_and_if_none_match_star_only_creates()
    {
        var url = $"/v1/projects/external/{Uri.EscapeDataString("UM/2023/" + NewExternalId())}";

        var created = await SendAsync(api.PublisherA, HttpMethod.Put, url, Project(null), ifNoneMatch: "*");
        var again = await SendAsync(api.PublisherA, HttpMethod.Put, url, Project(null, title: "Inny"), ifNoneMatch: "*");
        var replaced = await api.PublisherA.PutAsJsonAsync(url, Project(null, title: "Inny"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("UM/2023/", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("externalId").GetString(), StringComparison.Ordinal);
        await again.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
    }

    [Fact]
    public async Task Publisher_and_external_id_never_change()
    {
        var (location, _) = await CreateAsync(api.PublisherA);

        var response = await api.PublisherA.PutAsJsonAsync(location, Project("another-id", publisher: "pub-b"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/externalId", "/publisher"], problem.Errors().Select(e => e.Pointer).Order());
    }

    [Fact]
    public async Task Merge_patch_changes_only_what_it_names_and_null_removes_a_member()
    {
        var (location, _) = await CreateAsync(api.PublisherA);

        var response = await PatchAsync(api.PublisherA, location, """{"summary": null, "themes": ["smart-villages"], "title": {"en": "Cooperation"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("summary").ValueKind);
        Assert.Equal(["smart-villages"], body.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Cooperation", body.GetProperty("title").GetProperty("en").GetString());
        Assert.Equal("Współpraca łączy regiony", body.GetProperty("title").GetProperty("pl").GetString());
        Assert.Equal("176072.20", body.GetProperty("budget").GetProperty("total").GetProperty("amount").GetString());
        Assert.Single(body.GetProperty("partners").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_merge_patches_of_different_members_all_survive()
    {
        var (location, _) = await CreateAsync(api.PublisherA);

        var patches = await Task.WhenAll(
            PatchAsync(api.PublisherA, location, """{"themes": ["smart-villages"]}"""),
            PatchAsync(api.PublisherA, location, """{"regions": ["PL91"]}"""),
            PatchAsync(api.PublisherA, location, """{"endDate": "2023-12"}"""));

        Assert.All(patches, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        var final = await api.CreateClient().GetFromJsonAsync<JsonElement>(location);
        Assert.Equal(["smart-villages"], final.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["PL91"], final.GetProperty("regions").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("2023-12", final.GetProperty("endDate").GetString());
    }

    [Fact]
    public async Task Writes_naming_the_same_new_partners_in_opposite_orders_do_not_deadlock()
    {
        var writes = Enumerable.Range(0, 8).SelectMany(i =>
        {
            var first = $"LGD Pierwsza {i} {Guid.NewGuid():N}";
            var second = $"LGD Druga {i} {Guid.NewGuid():N}";
            return new[] { (first, second), (second, first) };
        }).Select(async pair =>
        {
            var body = Project(NewExternalId());
            body["partners"] = new JsonArray(
                new JsonObject { ["partner"] = new JsonObject { ["name"] = new JsonObject { ["pl"] = pair.Item1 }, ["country"] = "PL" }, ["role"] = "lead" },
                new JsonObject { ["partner"] = new JsonObject { ["name"] = new JsonObject { ["pl"] = pair.Item2 }, ["country"] = "PL" }, ["role"] = "partner" });
            return await api.PublisherA.PostAsJsonAsync("/v1/projects", body);
        });

        var responses = await Task.WhenAll(writes);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
    }

    [Theory]
    [InlineData("""{"version": 5}""", "/version")]
    [InlineData("""{"id": "01936f0e-5c2a-7d41-9a53-2f1c7e0b6a10"}""", "/id")]
    [InlineData("""{"createdAt": "2026-01-01T00:00:00Z"}""", "/createdAt")]
    [InlineData("""{"startDate": "2024-13"}""", "/startDate")]
    public async Task Merge_patch_refuses_read_only_members_and_invalid_values(string patch, string pointer)
    {
        var (location, _) = await CreateAsync(api.PublisherA);

        var response = await PatchAsync(api.PublisherA, location, patch);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(pointer, problem.Errors().First().Pointer);
    }

    [Fact]
    public async Task Merge_patch_in_another_media_type_is_a_415_problem()
    {
        var (location, _) = await CreateAsync(api.PublisherA);

        var response = await api.PublisherA.PatchAsync(location, new StringContent("{}", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_deleted_project_is_gone_and_comes_back_through_its_external_id()
    {
        var externalId = NewExternalId();
        var created = await api.PublisherA.PostAsJsonAsync("/v1/projects", Project(externalId));
        var location = created.Headers.Location!.OriginalString;

        var deleted = await api.PublisherA.DeleteAsync(location);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await api.CreateClient().GetAsync(location)).AssertProblemAsync(HttpStatusCode.Gone);
        await (await api.PublisherA.PutAsJsonAsync(location, Project(null))).AssertProblemAsync(HttpStatusCode.Gone);
        await (await api.PublisherA.DeleteAsync(location)).AssertProblemAsync(HttpStatusCode.Gone);
        var list = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/projects?publisher=pub-a&pageSize=500");
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), p => p.GetProperty("externalId").GetString() == externalId);

        var back = await api.PublisherA.PutAsJsonAsync($"/v1/projects/external/{externalId}", Project(null));
        Assert.Equal(HttpStatusCode.Created, back.StatusCode);
        Assert.Equal(location, back.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Missing_records_are_404_problems()
    {
        var missing = $"/v1/projects/{Guid.CreateVersion7()}";

        await (await api.CreateClient().GetAsync(missing)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.PublisherA.PutAsJsonAsync(missing, Project(null))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await api.PublisherA.DeleteAsync(missing)).AssertProblemAsync(HttpStatusCode.NotFound);

        // A malformed id is the client's mistake, not a missing record: 400 naming the parameter.
        await (await api.CreateClient().GetAsync("/v1/projects/not-a-guid")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await api.CreateClient().GetAsync("/v1/projects/..%2F..%2Fetc%2Fpasswd")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Writes_without_a_key_are_401_problems()
    {
        var (location, _) = await CreateAsync(api.PublisherA);
        var anonymous = api.CreateClient();

        await (await anonymous.PostAsJsonAsync("/v1/projects", Project(NewExternalId()))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PutAsJsonAsync(location, Project(null))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await PatchAsync(anonymous, location, "{}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.DeleteAsync(location)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PutAsJsonAsync("/v1/projects/external/x", Project(null))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_publishers_key_cannot_change_delete_or_reparent_a_record()
    {
        var (location, _) = await CreateAsync(api.PublisherA);

        await (await api.PublisherB.PutAsJsonAsync(location, Project(null))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await PatchAsync(api.PublisherB, location, """{"title": {"pl": "Przejęty"}}""")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.PublisherB.DeleteAsync(location)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.PublisherB.PutAsJsonAsync($"/v1/projects/external/{NewExternalId()}", Project(null, publisher: "pub-a"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.PublisherB.PostAsJsonAsync("/v1/projects", Project(NewExternalId(), publisher: "pub-a"))).AssertProblemAsync(HttpStatusCode.Forbidden);

        var unchanged = await api.CreateClient().GetFromJsonAsync<JsonElement>(location);
        Assert.Equal("pub-a", unchanged.GetProperty("publisher").GetString());
        Assert.Equal("Współpraca łączy regiony", unchanged.GetProperty("title").GetProperty("pl").GetString());
    }

    [Fact]
    public async Task An_admin_writes_for_any_publisher_but_must_name_it()
    {
        var admin = api.CreateAdminClient();

        var unnamed = await admin.PostAsJsonAsync("/v1/projects", Project(NewExternalId()));
        var named = await admin.PostAsJsonAsync("/v1/projects", Project(NewExternalId(), publisher: "pub-b"));
        var unknown = await admin.PostAsJsonAsync("/v1/projects", Project(NewExternalId(), publisher: "nobody"));

        Assert.Equal("/publisher", (await unnamed.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        Assert.Equal("/publisher", (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
    }

    public static TheoryData<string, string> InvalidMembers() => new()
    {
        { """{"title": null}""", "/title" },
        { """{"title": {}}""", "/title" },
        { """{"title": {"pl": "  "}}""", "/title/pl" },
        { """{"title": {"polish": "Tytuł"}}""", "/title/polish" },
        { """{"originalLanguage": "lt"}""", "/originalLanguage" },
        { """{"startDate": "01.07.2022"}""", "/startDate" },
        { """{"startDate": "2024-05-01", "endDate": "2024-04"}""", "/endDate" },
        { """{"budget": {"total": {"amount": "-5", "currency": "PLN"}}}""", "/budget/total/amount" },
        { """{"budget": {"total": {"amount": "176 072,20", "currency": "PLN"}}}""", "/budget/total/amount" },
        { """{"budget": {"total": {"amount": "10", "currency": "zł"}}}""", "/budget/total/currency" },
        { """{"budget": {"contributions": [{"source": "eu"}]}}""", "/budget/contributions/0/amount" },
        { """{"countries": ["XX"]}""", "/countries/0" },
        { """{"countries": ["pl"]}""", "/countries/0" },
        { """{"regions": ["Mazowieckie"]}""", "/regions/0" },
        { """{"themes": ["Smart Villages"]}""", "/themes/0" },
        { """{"targetGroups": [{"pl": ""}]}""", "/targetGroups/0/pl" },
        { """{"objectives": [{"kind": "primary", "text": {"pl": "Cel"}}]}""", "/objectives/0/kind" },
        { """{"objectives": [{"kind": "main"}]}""", "/objectives/0/text" },
        { """{"activities": [{"kind": "study-visit"}]}""", "/activities/0/title" },
        { """{"activities": [{"title": {"pl": "Wyjazd"}, "participants": 1000001}]}""", "/activities/0/participants" },
        { """{"activities": [{"kind": "study-visit", "title": {"pl": "Wyjazd"}, "participants": -1}]}""", "/activities/0/participants" },
        { """{"activities": [{"kind": "picnic", "title": {"pl": "Wyjazd"}}]}""", "/activities/0/kind" },
        { """{"contact": {"email": "not-an-address"}}""", "/contact/email" },
        { """{"links": [{"url": "javascript:alert(1)"}]}""", "/links/0/url" },
        { """{"identifiers": [{"scheme": "PL KRS", "value": "1"}]}""", "/identifiers/0/scheme" },
        { """{"fundingMeasures": [{"scheme": "lv-rdp-2014-2020", "code": "99.9"}]}""", "/fundingMeasures/0" },
        { """{"fundingMeasures": [{"id": "01936f0e-5c2a-7d41-9a53-2f1c7e0b6a10"}]}""", "/fundingMeasures/0" },
        { """{"goals": [{"goal": {"scheme": "eu-rdp-2014-2020", "code": "6B"}, "relevance": "main"}]}""", "/goals/0/relevance" },
        { """{"goals": [{"goal": {"scheme": "eu-rdp-2014-2020", "code": "6Z"}, "relevance": "primary"}]}""", "/goals/0/goal" },
        { """{"partners": [{"partner": {"name": {"pl": "LGD"}, "country": "PL"}, "role": "sponsor"}]}""", "/partners/0/role" },
        { """{"budget": {"contributions": [{"source": "lottery", "amount": {"amount": "1", "currency": "PLN"}}]}}""", "/budget/contributions/0/source" },
        { """{"partners": [{"partner": {"id": "01936f0e-5c2a-7d41-9a53-2f1c7e0b6a10"}, "role": "lead"}]}""", "/partners/0/partner/id" },
        { """{"partners": [{"partner": {"name": {"pl": "LGD"}, "country": "XX"}, "role": "lead"}]}""", "/partners/0/partner/country" },
        { """{"status": "finished"}""", "/status" },
        { """{"unknownField": 1}""", "/unknownField" },
        { """{"id": "01936f0e-5c2a-7d41-9a53-2f1c7e0b6a10"}""", "/id" },
        { """{"version": 3}""", "/version" },
        { """{"countries": "PL"}""", "/countries" },
    };

    [Theory]
    [MemberData(nameof(InvalidMembers))]
    public async Task Each_invalid_value_is_a_400_problem_pointing_at_it(string change, string pointer)
    {
        var body = Project(NewExternalId());
        foreach (var (name, value) in JsonNode.Parse(change)!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        var response = await api.PublisherA.PostAsJsonAsync("/v1/projects", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(pointer, problem.Errors().Select(e => e.Pointer));
    }

    [Fact]
    public async Task Every_invalid_value_of_one_request_is_listed()
    {
        var body = Project(NewExternalId());
        body["countries"] = new JsonArray("XX", "YY");
        body["startDate"] = "yesterday";
        body["contact"] = new JsonObject { ["website"] = "ftp://example.org" };

        var response = await api.PublisherA.PostAsJsonAsync("/v1/projects", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["/contact/website", "/countries/0", "/countries/1", "/startDate"], problem.Errors().Select(e => e.Pointer).Order());
    }

    [Fact]
    public async Task Eu_aliases_are_accepted_and_stored_as_iso_codes()
    {
        var body = Project(NewExternalId());
        body["countries"] = new JsonArray("EL", "UK");

        var response = await api.PublisherA.PostAsJsonAsync("/v1/projects", body);

        var stored = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["GR", "GB"], stored.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Oversized_values_and_bodies_are_refused()
    {
        var longTitle = Project(NewExternalId());
        longTitle["title"] = new JsonObject { ["pl"] = new string('x', 501) };
        var manyCountries = Project(NewExternalId());
        manyCountries["countries"] = new JsonArray([.. Enumerable.Range(0, 61).Select(_ => (JsonNode?)JsonValue.Create("PL"))]);
        var hugeBody = Project(NewExternalId());
        hugeBody["description"] = new JsonObject { ["pl"] = new string('x', 1_100_000) };

        var title = await api.PublisherA.PostAsJsonAsync("/v1/projects", longTitle);
        var countries = await api.PublisherA.PostAsJsonAsync("/v1/projects", manyCountries);
        var huge = await api.PublisherA.PostAsync("/v1/projects", new StringContent(hugeBody.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal("/title/pl", (await title.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        Assert.Equal("/countries", (await countries.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Pointer);
        await huge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_failed_write_leaves_nothing_behind()
    {
        var externalId = NewExternalId();
        var body = Project(externalId);
        body["partners"] = new JsonArray(
            new JsonObject { ["partner"] = new JsonObject { ["name"] = new JsonObject { ["pl"] = $"Nowa organizacja {externalId}" }, ["country"] = "PL" }, ["role"] = "lead" },
            new JsonObject { ["partner"] = new JsonObject { ["id"] = Guid.CreateVersion7().ToString() }, ["role"] = "partner" });

        var response = await api.PublisherA.PostAsJsonAsync("/v1/projects", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var partners = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/partners?pageSize=500");
        Assert.DoesNotContain(partners.GetProperty("items").EnumerateArray(), p => p.GetProperty("name").GetProperty("pl").GetString() == $"Nowa organizacja {externalId}");
        await (await api.PublisherA.PutAsJsonAsync($"/v1/projects/external/{externalId}", Project(null)))
            .Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Status_follows_the_dates_unless_the_publisher_cancels()
    {
        var planned = Project(NewExternalId());
        planned["startDate"] = "2100-01";
        planned["endDate"] = null;
        var cancelled = Project(NewExternalId());
        cancelled["status"] = "cancelled";

        var plannedBody = await (await api.PublisherA.PostAsJsonAsync("/v1/projects", planned)).Content.ReadFromJsonAsync<JsonElement>();
        var cancelledBody = await (await api.PublisherA.PostAsJsonAsync("/v1/projects", cancelled)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("planned", plannedBody.GetProperty("status").GetString());
        Assert.Equal("cancelled", cancelledBody.GetProperty("status").GetString());
        Assert.Equal("cancelled", cancelledBody.GetProperty("declaredStatus").GetString());
    }

    [Fact]
    public async Task The_list_pages_by_keyset_and_filters_by_publisher()
    {
        for (var i = 0; i < 3; i++)
        {
            (await api.PublisherB.PostAsJsonAsync("/v1/projects", Project(NewExternalId()))).EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        string? next = "/v1/projects?publisher=pub-b&pageSize=2";
        while (next is not null)
        {
            var page = await api.CreateClient().GetFromJsonAsync<JsonElement>(next);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
            Assert.All(page.GetProperty("items").EnumerateArray(), p => Assert.Equal("pub-b", p.GetProperty("publisher").GetString()));
            next = page.TryGetProperty("next", out var link) ? link.GetString() : null;
        }

        Assert.True(seen.Count >= 3);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var tokenPage = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/projects?publisher=pub-b&pageSize=1");
        var replayed = await api.CreateClient().GetAsync($"/v1/projects?publisher=pub-a&pageSize=1&pageToken={tokenPage.GetProperty("nextPageToken").GetString()}");
        Assert.Equal("pageToken", (await replayed.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Parameter);
    }

    private static string NewExternalId() => $"proj-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}";

    private static JsonObject Project(string? externalId, string title = "Współpraca łączy regiony", string? publisher = null)
    {
        var project = new JsonObject
        {
            ["title"] = new JsonObject { ["pl"] = title },
            ["summary"] = new JsonObject { ["pl"] = "Wymiana doświadczeń lokalnych grup działania." },
            ["originalLanguage"] = "pl",
            ["startDate"] = "2022-07",
            ["endDate"] = "2023",
            ["budget"] = new JsonObject { ["total"] = new JsonObject { ["amount"] = 176072.20m, ["currency"] = "PLN" } },
            ["countries"] = new JsonArray("PL", "GR", "GB"),
            ["activities"] = new JsonArray(new JsonObject { ["kind"] = "study-visit", ["title"] = new JsonObject { ["pl"] = "Wyjazd studyjny" }, ["participants"] = 20 }),
            ["partners"] = new JsonArray(new JsonObject
            {
                ["partner"] = new JsonObject { ["name"] = new JsonObject { ["pl"] = "LGD Partnerstwo Wschodnie" }, ["country"] = "PL", ["kind"] = "lag" },
                ["role"] = "lead",
            }),
            ["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "M19" }),
            ["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "6B" }, ["relevance"] = "primary" }),
        };
        if (externalId is not null)
        {
            project["externalId"] = externalId;
        }

        if (publisher is not null)
        {
            project["publisher"] = publisher;
        }

        return project;
    }

    private async Task<(string Location, string ETag)> CreateAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/v1/projects", Project(NewExternalId()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (created.Headers.Location!.OriginalString, created.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string location, string patch) =>
        client.PatchAsync(location, new StringContent(patch, Encoding.UTF8, "application/merge-patch+json"));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, JsonObject body, string? ifMatch = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await client.SendAsync(request);
    }
}
