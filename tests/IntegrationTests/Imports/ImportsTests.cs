using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Imports;

public sealed class ImportsTests(ImportsApiFactory api) : IClassFixture<ImportsApiFactory>
{
    public const string Ndjson = "application/x-ndjson";

    [Fact]
    public async Task Records_are_created_then_updated_or_left_unchanged_with_no_new_version_nor_feed_entry()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var records = Enumerable.Range(0, 5).Select(i => Record($"cu-{i}", $"Projekt {i}")).ToList();
        records[2] = Record("cu-2", "Projekt 2", Partner($"Gmina Udziałowa {Guid.NewGuid():N}", "PL"));
        records[2]["partners"]![0]!["budgetShare"] = new JsonObject { ["amount"] = "1250.50", ["currency"] = "PLN" };

        var first = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(5, Count(first, "created"));
        Assert.Equal(Enumerable.Range(0, 5), first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()));
        var ids = first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var project = await (await api.CreateClient().GetAsync($"/v1/projects/{ids[2]}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Projekt 2", project.GetProperty("title").GetProperty("pl").GetString());
        var share = project.GetProperty("partners")[0].GetProperty("budgetShare");
        Assert.Equal(("1250.50", "PLN"), (share.GetProperty("amount").GetString(), share.GetProperty("currency").GetString()));
        Assert.Equal(publisher.Code, project.GetProperty("publisher").GetString());
        var versions = await VersionsAsync(ids);
        var feed = await api.ScalarAsync("SELECT count(*) FROM registry.changes");

        var again = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(5, Count(again, "unchanged"));
        Assert.Equal(ids, again.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(versions, await VersionsAsync(ids));
        Assert.Equal(feed, await api.ScalarAsync("SELECT count(*) FROM registry.changes"));

        records[3]["title"] = new JsonObject { ["pl"] = "Zmieniony" };
        var changed = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(["unchanged", "unchanged", "unchanged", "updated", "unchanged"], changed.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        var after = await VersionsAsync(ids);
        Assert.True(after[3] > versions[3]);
        Assert.Equal(feed + 1, await api.ScalarAsync("SELECT count(*) FROM registry.changes"));
        var read = await (await api.CreateClient().GetAsync($"/v1/projects/{ids[3]}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Zmieniony", read.GetProperty("title").GetProperty("pl").GetString());
        Assert.Equal(after[3], read.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Rows_of_a_project_or_an_import_go_with_it_when_it_is_deleted_from_the_database()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var records = new[] { Record("gone-0", "Usunięty", Partner("Gmina Usunięta", "PL")), Record("gone-1", "Zostaje", Partner("Gmina Usunięta", "PL")) };
        foreach (var record in records)
        {
            record["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "M19" });
            record["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "6B" }, ["relevance"] = "primary" });
        }

        var first = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);
        var ids = first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        var importId = first.GetProperty("import").GetProperty("id").GetString();
        string[] derived = ["project_search WHERE id", "project_documents WHERE id", "import_fingerprints WHERE project_id",
            "project_partners WHERE project_id", "project_funding_measures WHERE project_id", "project_goals WHERE project_id"];
        Task<long> RowsAsync(string tableAndColumn, string? id) => api.ScalarAsync($"SELECT count(*) FROM registry.{tableAndColumn} = '{id}'");
        foreach (var table in derived)
        {
            Assert.Equal(1, await RowsAsync(table, ids[0]));
        }

        Assert.Equal(2, await RowsAsync("import_records WHERE import_id", importId));

        // No write of the API deletes a project or an import row; an operator's DELETE must still leave nothing behind.
        await api.ScalarAsync($"DELETE FROM registry.projects WHERE id = '{ids[0]}'");
        await api.ScalarAsync($"DELETE FROM registry.imports WHERE id = '{importId}'");

        foreach (var table in derived)
        {
            Assert.Equal(0, await RowsAsync(table, ids[0]));
            Assert.Equal(1, await RowsAsync(table, ids[1]));
        }

        Assert.Equal(0, await RowsAsync("import_records WHERE import_id", importId));
    }

    [Fact]
    public async Task The_same_file_again_rewrites_records_changed_since_by_other_writes_and_follows_renamed_partners()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var name = $"Gmina Zielona {Guid.NewGuid():N}";
        var records = Enumerable.Range(0, 3).Select(i => Record($"since-{i}", "Z pliku", Partner(name, "PL"))).ToList();
        var first = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);
        var ids = first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        await (await publisher.Client.PutProjectAsync("since-1", Record("since-1", "Zmieniony ręcznie", Partner(name, "PL")))).AssertStatusAsync(HttpStatusCode.OK);

        var again = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(["unchanged", "updated", "unchanged"], Statuses(again));
        var restored = await (await api.CreateClient().GetAsync($"/v1/projects/{ids[1]}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Z pliku", restored.GetProperty("title").GetProperty("pl").GetString());

        var partnerId = restored.PartnerIds().Single();
        var renamed = new JsonObject { ["name"] = new JsonObject { ["pl"] = "Gmina Przemianowana " + Guid.NewGuid().ToString("N") }, ["kind"] = "municipality", ["country"] = "PL" };
        await (await publisher.Client.PutAsync($"/v1/partners/{partnerId}", RegistryClients.JsonBody(renamed))).AssertStatusAsync(HttpStatusCode.OK);

        var afterRename = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(["updated", "updated", "updated"], Statuses(afterRename));
        var relinked = await (await api.CreateClient().GetAsync($"/v1/projects/{ids[0]}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.NotEqual(partnerId, relinked.PartnerIds().Single());
    }

    [Fact]
    public async Task Imported_records_are_found_by_search_filters_and_statistics_at_once()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var word = "Kraśnikówka" + Guid.NewGuid().ToString("N")[..6];
        var records = Enumerable.Range(0, 5).Select(i => Record($"search-{i}", $"{word} {i}", Partner($"Stowarzyszenie {word}", "LT"))).ToList();
        records[4]["title"] = new JsonObject { ["pl"] = "Bez słowa" };

        await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        var folded = "krasnikowka" + word[11..];
        Assert.Equal(5, (await api.CreateClient().ReadAllAsync($"/v1/projects?q={folded}&publisher={publisher.Code}")).Count);
        Assert.Equal(5, (await api.CreateClient().ReadAllAsync($"/v1/projects?partnerCountry=LT&country=PL&publisher={publisher.Code}")).Count);
        var stats = await (await api.CreateClient().GetAsync($"/v1/stats/projects?groupBy=publisher&publisher={publisher.Code}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(5, stats.GetProperty("total").GetProperty("projects").GetInt64());

        records[0]["title"] = new JsonObject { ["pl"] = "Przemianowany" };
        await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        var titles = (await api.CreateClient().ReadAllAsync($"/v1/projects?q=przemianowany&publisher={publisher.Code}")).Select(p => p.GetProperty("externalId").GetString());
        Assert.Equal(["search-0"], titles);
    }

    [Fact]
    public async Task A_json_array_body_is_imported_like_ndjson()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var body = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)Record($"arr-{i}", "Tablica"))]);

        var report = await (await publisher.Client.PostAsync("/v1/imports/projects", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")))
            .AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(3, Count(report, "created"));
    }

    [Fact]
    public async Task Mixed_valid_and_invalid_records_answer_207_with_pointers_to_each_failing_member_and_keep_the_valid_ones()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var bad = Record("mixed-1", "Zły");
        bad["budget"] = new JsonObject { ["total"] = new JsonObject { ["amount"] = "-5", ["currency"] = "PLN" } };
        var lines = new[]
        {
            Record("mixed-0", "Dobry").ToJsonString(),
            bad.ToJsonString(),
            "{\"externalId\": \"mixed-2\", \"colour\": \"green\"}",
            "this is not json",
            Record("mixed-4", "Dobry też").ToJsonString(),
        };

        var report = await (await ImportRawAsync(publisher.Client, string.Join('\n', lines))).AssertStatusAsync((HttpStatusCode)207);

        var records = report.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["created", "failed", "failed", "failed", "created"], records.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(2, Count(report, "created"));
        Assert.Equal(3, Count(report, "failed"));
        var problem = records[1].GetProperty("problem");
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("/1/budget/total/amount", problem.GetProperty("errors")[0].GetProperty("pointer").GetString());
        Assert.Equal("mixed-1", records[1].GetProperty("externalId").GetString());
        Assert.Equal("/2/colour", records[2].GetProperty("problem").GetProperty("errors")[0].GetProperty("pointer").GetString());
        Assert.StartsWith("/3", records[3].GetProperty("problem").GetProperty("errors")[0].GetProperty("pointer").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync($"/v1/projects/{records[4].GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(0, await ProjectCountAsync(publisher.Code, "mixed-1"));
    }

    [Fact]
    public async Task An_atomic_import_with_a_failure_writes_nothing_and_answers_422_with_the_report()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var records = Enumerable.Range(0, 5).Select(i => Record($"atomic-{i}", "Atom")).ToList();
        records[4].Remove("title");
        var feed = await api.ScalarAsync("SELECT count(*) FROM registry.changes");

        var report = await (await ImportAsync(publisher.Client, records, "?atomic=true")).AssertStatusAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(4, Count(report, "created"));
        Assert.Equal(1, Count(report, "failed"));
        Assert.Equal("/4/title", report.GetProperty("records")[4].GetProperty("problem").GetProperty("errors")[0].GetProperty("pointer").GetString());
        Assert.Equal(0, await ProjectCountAsync(publisher.Code));
        Assert.Equal(feed, await api.ScalarAsync("SELECT count(*) FROM registry.changes"));

        records[4]["title"] = new JsonObject { ["pl"] = "Atom" };
        var fixedReport = await (await ImportAsync(publisher.Client, records, "?atomic=true")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(5, Count(fixedReport, "created"));
        Assert.Equal(5, await ProjectCountAsync(publisher.Code));
    }

    [Fact]
    public async Task A_dry_run_gives_the_same_report_and_writes_nothing()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var records = Enumerable.Range(0, 3).Select(i => Record($"dry-{i}", "Próba", Partner("Próbna LGD", "PL"))).ToList();
        records.Add(Record("dry-x", "Próba", Partner("Próbna LGD", "PL"), Partner("Próbna LGD", "PL")));
        var partners = await api.ScalarAsync("SELECT count(*) FROM registry.partners");
        var feed = await api.ScalarAsync("SELECT count(*) FROM registry.changes");

        var dry = await (await ImportAsync(publisher.Client, records, "?dryRun=true")).AssertStatusAsync((HttpStatusCode)207);

        Assert.Equal(0, await ProjectCountAsync(publisher.Code));
        Assert.Equal(partners, await api.ScalarAsync("SELECT count(*) FROM registry.partners"));
        Assert.Equal(feed, await api.ScalarAsync("SELECT count(*) FROM registry.changes"));
        Assert.True(dry.GetProperty("import").GetProperty("dryRun").GetBoolean());

        var real = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync((HttpStatusCode)207);

        Assert.Equal(Statuses(dry), Statuses(real));
        Assert.Equal(3, await ProjectCountAsync(publisher.Code));
        Assert.Equal(
            dry.GetProperty("records")[3].GetProperty("problem").GetProperty("errors")[0].GetProperty("pointer").GetString(),
            real.GetProperty("records")[3].GetProperty("problem").GetProperty("errors")[0].GetProperty("pointer").GetString());
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_answer_and_refuses_another_body()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var records = Enumerable.Range(0, 3).Select(i => Record($"idem-{i}", "Raz")).ToList();
        var key = Guid.NewGuid().ToString();

        var first = await (await ImportAsync(publisher.Client, records, headers: (ImportsApiIdempotency, key))).AssertStatusAsync(HttpStatusCode.OK);
        // Another writer changes a record in between: a replay must not undo that.
        await (await publisher.Client.PutProjectAsync("idem-1", Record("idem-1", "Zmieniony inaczej"))).AssertStatusAsync(HttpStatusCode.OK);
        var versions = await VersionsAsync([.. first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString())]);

        var replay = await ImportAsync(publisher.Client, records, headers: (ImportsApiIdempotency, key));

        var replayed = await replay.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("import").GetProperty("id").GetString(), replayed.GetProperty("import").GetProperty("id").GetString());
        Assert.Equal(Statuses(first), Statuses(replayed));
        Assert.Equal(versions, await VersionsAsync([.. first.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString())]));

        records[0]["title"] = new JsonObject { ["pl"] = "Inny" };
        var mismatch = await ImportAsync(publisher.Client, records, headers: (ImportsApiIdempotency, key));
        var problem = await mismatch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Prune_deletes_the_publishers_records_missing_from_a_complete_catalogue_with_tombstones()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var other = await api.CreatePublisherAsync("imp");
        await (await ImportAsync(other.Client, [Record("prune-0", "Cudzy")])).AssertStatusAsync(HttpStatusCode.OK);
        var records = Enumerable.Range(0, 4).Select(i => Record($"prune-{i}", "Katalog")).ToList();
        var created = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);
        var goneId = created.GetProperty("records")[3].GetProperty("id").GetString();

        var withFailure = records.Take(3).Append(new JsonObject { ["externalId"] = "prune-bad" }).ToList();
        var refused = await (await ImportAsync(publisher.Client, withFailure, "?prune=true")).AssertStatusAsync((HttpStatusCode)207);
        Assert.Equal(0, Count(refused, "deleted"));
        Assert.Contains("Nothing was pruned", refused.GetProperty("import").GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync($"/v1/projects/{goneId}")).StatusCode);

        var pruned = await (await ImportAsync(publisher.Client, records.Take(3).ToList(), "?prune=true")).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(1, Count(pruned, "deleted"));
        var deleted = pruned.GetProperty("records")[3];
        Assert.Equal("deleted", deleted.GetProperty("status").GetString());
        Assert.Equal("prune-3", deleted.GetProperty("externalId").GetString());
        Assert.False(deleted.TryGetProperty("index", out var index) && index.ValueKind != JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.Gone, (await api.CreateClient().GetAsync($"/v1/projects/{goneId}")).StatusCode);
        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.changes WHERE record_id = '{goneId}' AND operation = 'Delete'"));
        Assert.Equal(1, await ProjectCountAsync(other.Code));
        Assert.Equal(3, await ProjectCountAsync(publisher.Code));
    }

    [Fact]
    public async Task A_publishers_key_cannot_touch_another_publishers_records_through_an_import()
    {
        var owner = await api.CreatePublisherAsync("imp");
        var intruder = await api.CreatePublisherAsync("imp");
        var created = await (await ImportAsync(owner.Client, [Record("owned-0", "Mój")])).AssertStatusAsync(HttpStatusCode.OK);
        var id = created.GetProperty("records")[0].GetProperty("id").GetString();
        var version = (await VersionsAsync([id]))[0];
        var foreign = Record("owned-0", "Przejęty");
        foreign["publisher"] = owner.Code;

        var report = await (await ImportAsync(intruder.Client, [foreign, Record("owned-0", "Swój")])).AssertStatusAsync((HttpStatusCode)207);

        var records = report.GetProperty("records");
        Assert.Equal("failed", records[0].GetProperty("status").GetString());
        Assert.Equal(403, records[0].GetProperty("problem").GetProperty("status").GetInt32());
        Assert.Equal("created", records[1].GetProperty("status").GetString());
        Assert.NotEqual(id, records[1].GetProperty("id").GetString());
        Assert.Equal(version, (await VersionsAsync([id]))[0]);
        var read = await (await api.CreateClient().GetAsync($"/v1/projects/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Mój", read.GetProperty("title").GetProperty("pl").GetString());

        var peek = await intruder.Client.GetAsync($"/v1/imports/{created.GetProperty("import").GetProperty("id").GetString()}");
        await peek.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_same_organisation_is_one_partner_across_records_and_batches()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var name = $"Stowarzyszenie Dolina {Guid.NewGuid():N}";
        var records = Enumerable.Range(0, 7).Select(i => Record($"dedup-{i}", "Wspólny partner", Partner(i % 2 == 0 ? name : name.ToUpperInvariant(), "PL"))).ToList();

        var report = await (await ImportAsync(publisher.Client, records)).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal(7, Count(report, "created"));
        var partnerIds = new HashSet<Guid>();
        foreach (var record in report.GetProperty("records").EnumerateArray())
        {
            var project = await (await api.CreateClient().GetAsync($"/v1/projects/{record.GetProperty("id").GetString()}")).AssertStatusAsync(HttpStatusCode.OK);
            partnerIds.UnionWith(project.PartnerIds());
        }

        Assert.Single(partnerIds);
        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.partners WHERE details->'name'->>'pl' = '{name}'"));

        var later = await (await ImportAsync(publisher.Client, [Record("dedup-late", "Później", Partner(name, "PL"))])).AssertStatusAsync(HttpStatusCode.OK);
        var project8 = await (await api.CreateClient().GetAsync($"/v1/projects/{later.GetProperty("records")[0].GetProperty("id").GetString()}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(partnerIds.Single(), project8.PartnerIds().Single());
    }

    [Fact]
    public async Task A_partner_named_by_an_identifier_in_a_later_import_is_the_one_registered_with_it()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var krs = $"{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";
        var identified = Partner($"Fundacja Pierwsza {Guid.NewGuid():N}", "PL");
        identified["identifiers"] = new JsonArray(new JsonObject { ["scheme"] = "pl-krs", ["value"] = krs });
        var renamed = Partner($"Fundacja pod inną nazwą {Guid.NewGuid():N}", "PL");
        renamed["identifiers"] = new JsonArray(new JsonObject { ["scheme"] = "pl-krs", ["value"] = krs });

        var first = await (await ImportAsync(publisher.Client, [Record("ident-0", "Pierwszy", identified)])).AssertStatusAsync(HttpStatusCode.OK);
        var second = await (await ImportAsync(publisher.Client, [Record("ident-1", "Drugi", renamed)])).AssertStatusAsync(HttpStatusCode.OK);

        var ids = new List<Guid>();
        foreach (var report in new[] { first, second })
        {
            var project = await (await api.CreateClient().GetAsync($"/v1/projects/{report.GetProperty("records")[0].GetProperty("id").GetString()}")).AssertStatusAsync(HttpStatusCode.OK);
            ids.Add(project.PartnerIds().Single());
        }

        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.partner_identifiers WHERE scheme = 'pl-krs' AND value = '{krs}'"));
    }

    [Fact]
    public async Task Oversized_imports_are_413_problems_that_say_how_to_split()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var tooMany = Enumerable.Range(0, ImportsApiFactory.MaxRecords + 1).Select(i => Record($"many-{i}", "Za dużo")).ToList();

        var problem = await (await ImportAsync(publisher.Client, tooMany)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("split", problem.GetProperty("detail").GetString());

        var huge = Record("huge", new string('x', 400));
        huge["description"] = new JsonObject { ["pl"] = new string('y', 19_000), ["en"] = new string('z', 19_000) };
        var bytes = await (await ImportAsync(publisher.Client, [huge, huge, huge])).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("split", bytes.GetProperty("detail").GetString());

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Repeat(huge.ToJsonString(), 3)))));
        chunked.Headers.ContentType = new MediaTypeHeaderValue(Ndjson);
        var streamed = await publisher.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/imports/projects") { Content = new NoLengthContent(chunked) });
        await streamed.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await ProjectCountAsync(publisher.Code));
    }

    [Fact]
    public async Task Wrong_media_types_malformed_arrays_and_missing_keys_are_refused()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        await (await publisher.Client.PostAsync("/v1/imports/projects", new StringContent("x", Encoding.UTF8, "text/csv"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await publisher.Client.PostAsync("/v1/imports/projects", new StringContent("[{\"a\": 1}", Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await api.CreateClient().PostAsync("/v1/imports/projects", new StringContent("[]", Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await publisher.Client.PostAsync("/v1/imports/projects?prune=true", new StringContent("[]", Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var conditional = await ImportAsync(publisher.Client, [Record("conditional", "Warunkowy")], headers: ("If-Match", "\"7\""));
        Assert.Equal("If-Match", (await conditional.AssertProblemAsync(HttpStatusCode.BadRequest)).Errors().Single().Parameter);
        Assert.Equal(0, await ProjectCountAsync(publisher.Code));
    }

    [Fact]
    public async Task A_connection_dropped_mid_body_leaves_no_record_behind()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var lines = string.Join('\n', Enumerable.Range(0, 30).Select(i => Record($"drop-{i}", "Przerwany").ToJsonString())) + "\n";
        var content = new StreamContent(new BreakingStream(Encoding.UTF8.GetBytes(lines), breakAfter: lines.Length / 2));
        content.Headers.ContentType = new MediaTypeHeaderValue(Ndjson);

        await Assert.ThrowsAnyAsync<Exception>(() => publisher.Client.PostAsync("/v1/imports/projects", content));

        await Task.Delay(500);
        Assert.Equal(0, await ProjectCountAsync(publisher.Code));
        Assert.Equal(0, await api.ScalarAsync($"SELECT count(*) FROM registry.imports WHERE actor = '{publisher.Code}' AND state <> 'Failed'"));
    }

    [Fact]
    public async Task An_async_import_answers_202_at_once_and_its_progress_and_report_are_readable()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var records = Enumerable.Range(0, 30).Select(i => Record($"async-{i}", "Asynchroniczny")).ToList();
        records[7].Remove("originalLanguage");

        var accepted = await ImportAsync(publisher.Client, records, headers: ("Prefer", "respond-async"));

        var body = await accepted.AssertStatusAsync(HttpStatusCode.Accepted);
        Assert.Equal("respond-async", accepted.Headers.GetValues("Preference-Applied").Single());
        var location = accepted.Headers.Location!.OriginalString;
        Assert.Equal($"/v1/imports/{body.GetProperty("id").GetString()}", location);
        Assert.Equal(30, body.GetProperty("counts").GetProperty("total").GetInt32());

        var import = await WaitAsync(publisher.Client, location);
        Assert.Equal("completed", import.GetProperty("state").GetString());
        Assert.Equal(207, import.GetProperty("resultStatus").GetInt32());
        Assert.Equal(29, import.GetProperty("counts").GetProperty("created").GetInt32());
        Assert.Equal(30, import.GetProperty("counts").GetProperty("processed").GetInt32());
        Assert.Equal(publisher.Code, import.GetProperty("actor").GetString());

        var failures = await (await publisher.Client.GetAsync($"{location}/records?status=failed")).AssertStatusAsync(HttpStatusCode.OK);
        var failure = Assert.Single(failures.GetProperty("items").EnumerateArray());
        Assert.Equal(7, failure.GetProperty("index").GetInt32());
        Assert.Equal("/7/originalLanguage", failure.GetProperty("problem").GetProperty("errors")[0].GetProperty("pointer").GetString());
        var all = await publisher.Client.ReadAllAsync($"{location}/records?pageSize=7");
        Assert.Equal(Enumerable.Range(0, 30), all.Select(r => r.GetProperty("index").GetInt32()));

        var mine = await publisher.Client.ReadAllAsync("/v1/imports?pageSize=1");
        Assert.Contains(mine, i => i.GetProperty("id").GetString() == body.GetProperty("id").GetString());
        Assert.All(mine, i => Assert.Equal(publisher.Code, i.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task An_import_cut_off_by_a_restart_is_reported_failed_not_running_forever()
    {
        var publisher = await api.CreatePublisherAsync("imp");
        var started = await (await ImportAsync(publisher.Client, [Record("restart-0", "Restart")])).AssertStatusAsync(HttpStatusCode.OK);
        var id = started.GetProperty("import").GetProperty("id").GetString();
        await api.ScalarAsync($"UPDATE registry.imports SET state = 'Running', finished_at = NULL, result_status = NULL WHERE id = '{id}' RETURNING 1");

        await using var restarted = new RestartedApiFactory(api.ConnectionString);
        await ((IAsyncLifetime)restarted).InitializeAsync();
        var import = await WaitAsync(restarted.CreateAdminClient(), $"/v1/imports/{id}");

        Assert.Equal("failed", import.GetProperty("state").GetString());
        Assert.Contains("restarted", import.GetProperty("note").GetString());
    }

    public const string ImportsApiIdempotency = "Idempotency-Key";

    private static async Task<JsonElement> WaitAsync(HttpClient client, string location)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var import = await (await client.GetAsync(location)).AssertStatusAsync(HttpStatusCode.OK);
            var state = import.GetProperty("state").GetString();
            if (state is "completed" or "failed")
            {
                return import;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{location} did not finish.");
    }

    private static JsonObject Record(string externalId, string title, params JsonNode[] partners)
    {
        var record = RegistryClients.Project(partners);
        record["externalId"] = externalId;
        record["title"] = new JsonObject { ["pl"] = title };
        record["countries"] = new JsonArray("PL");
        return record;
    }

    private static JsonObject Partner(string name, string country) => new() { ["name"] = new JsonObject { ["pl"] = name }, ["country"] = country, ["kind"] = "lag" };

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, IEnumerable<JsonObject> records, string query = "", params (string Name, string Value)[] headers) =>
        ImportRawAsync(client, string.Join('\n', records.Select(r => r.ToJsonString())), query, headers);

    private static Task<HttpResponseMessage> ImportRawAsync(HttpClient client, string body, string query = "", params (string Name, string Value)[] headers) =>
        client.SendAsync(HttpMethod.Post, "/v1/imports/projects" + query, new StringContent(body, Encoding.UTF8, Ndjson), headers);

    private static int Count(JsonElement report, string status) => report.GetProperty("import").GetProperty("counts").GetProperty(status).GetInt32();

    private static List<string?> Statuses(JsonElement report) => [.. report.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("status").GetString())];

    private async Task<List<long>> VersionsAsync(IEnumerable<string?> ids)
    {
        var versions = new List<long>();
        foreach (var id in ids)
        {
            versions.Add(await api.ScalarAsync($"SELECT version FROM registry.projects WHERE id = '{id}'"));
        }

        return versions;
    }

    private Task<long> ProjectCountAsync(string publisher, string? externalId = null) => api.ScalarAsync(
        $"SELECT count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id WHERE u.code = '{publisher}' AND p.deleted_at IS NULL" +
        (externalId is null ? string.Empty : $" AND p.external_id = '{externalId}'"));

    /// <summary>Sends its inner content without a Content-Length, as a chunked upload does.</summary>
    private sealed class NoLengthContent : HttpContent
    {
        private readonly HttpContent _inner;

        public NoLengthContent(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A body that fails part-way, as a connection dropped mid-upload does.</summary>
    private sealed class BreakingStream(byte[] bytes, int breakAfter) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= breakAfter ? throw new IOException("The connection was dropped.") : base.Read(buffer, offset, Math.Min(count, breakAfter - (int)Position));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= breakAfter ? throw new IOException("The connection was dropped.") : base.ReadAsync(buffer[..Math.Min(buffer.Length, breakAfter - (int)Position)], cancellationToken);

        public override bool CanSeek => false;
    }
}
