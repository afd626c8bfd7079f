using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Every operation of openapi/v1.json, called on the API loaded with the demo data: its successes and its
/// errors answer as the contract says (declared status, media type, schema, headers).
/// </summary>
public sealed class ResponsesMatchContractTests(DemoRegistryApiFactory api) : IClassFixture<DemoRegistryApiFactory>
{
    private readonly OpenApiContract _contract = OpenApiContract.Load();
    private readonly HashSet<string> _covered = [];

    [Fact]
    public async Task Every_operation_answers_as_the_contract_says_on_success_and_on_error()
    {
        var anonymous = api.CreateClient();
        var admin = api.CreateAdminClient();

        // Publishers and keys.
        await Check("GET", "/v1/publishers", await anonymous.GetAsync("/v1/publishers?pageSize=2"));
        await Check("GET", "/v1/publishers", await anonymous.GetAsync("/v1/publishers?pageSize=0"));
        await Check("GET", "/v1/publishers/{code}", await anonymous.GetAsync("/v1/publishers/pl-ksow"));
        await Check("GET", "/v1/publishers/{code}", await anonymous.GetAsync("/v1/publishers/no-such-publisher"));
        var code = RegistryClients.NewCode("contract");
        await Check("POST", "/v1/publishers", await admin.PostAsJsonAsync("/v1/publishers", new { code, name = "Contract test publisher" }));
        await Check("POST", "/v1/publishers", await admin.PostAsJsonAsync("/v1/publishers", new { code, name = "Again" }));
        await Check("POST", "/v1/publishers", await anonymous.PostAsJsonAsync("/v1/publishers", new { code = "x", name = "y" }));
        var issued = await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "contract test" });
        await Check("POST", "/v1/publishers/{code}/api-keys", issued);
        var key = JsonNode.Parse(await issued.Content.ReadAsStringAsync())!;
        await Check("POST", "/v1/publishers/{code}/api-keys", await admin.PostAsJsonAsync($"/v1/publishers/{code}/api-keys", new { name = "" }));
        var publisher = api.CreateClient();
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key["secret"]!.GetValue<string>());

        // Projects.
        var list = await anonymous.GetAsync("/v1/projects?pageSize=2");
        await Check("GET", "/v1/projects", list);
        var first = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["items"]![0]!;
        var projectId = first["id"]!.GetValue<string>();
        await Check("GET", "/v1/projects", await anonymous.GetAsync("/v1/projects?publisher=pl-ksow"));
        await Check("GET", "/v1/projects", await anonymous.GetAsync("/v1/projects?colour=green"));
        var got = await anonymous.GetAsync($"/v1/projects/{projectId}");
        await Check("GET", "/v1/projects/{id}", got);
        await Check("GET", "/v1/projects/{id}", await Send(anonymous, HttpMethod.Get, $"/v1/projects/{projectId}", etag: got.Headers.ETag!.Tag));
        await Check("GET", "/v1/projects/{id}", await anonymous.GetAsync($"/v1/projects/{Guid.NewGuid()}"));

        var demo = JsonNode.Parse(await File.ReadAllTextAsync(DemoRegistryApiFactory.DemoFiles().First()))!.AsObject();
        demo.Remove("publisher");
        demo["externalId"] = "contract-test-project";
        var created = await publisher.PostAsync("/v1/projects", Json(demo));
        await Check("POST", "/v1/projects", created);
        await Check("POST", "/v1/projects", await publisher.PostAsync("/v1/projects", Json(demo)));
        await Check("POST", "/v1/projects", await anonymous.PostAsync("/v1/projects", Json(demo)));
        await Check("POST", "/v1/projects", await publisher.PostAsync("/v1/projects", new StringContent("{}", Encoding.UTF8, "text/plain")));
        var ownId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        await Check("PUT", "/v1/projects/{id}", await publisher.PutAsync($"/v1/projects/{ownId}", Json(demo)));
        await Check("PUT", "/v1/projects/{id}", await publisher.PutAsync($"/v1/projects/{projectId}", Json(demo)));
        await Check("PUT", "/v1/projects/{id}", await Send(publisher, HttpMethod.Put, $"/v1/projects/{ownId}", Json(demo), ifMatch: "\"1\""));
        await Check("PATCH", "/v1/projects/{id}", await publisher.PatchAsync($"/v1/projects/{ownId}", new StringContent("{\"endDate\": \"2024-02\"}", Encoding.UTF8, RegistryClients.MergePatchType)));
        await Check("PATCH", "/v1/projects/{id}", await publisher.PatchAsync($"/v1/projects/{ownId}", new StringContent("{\"colour\": 1}", Encoding.UTF8, RegistryClients.MergePatchType)));
        demo["externalId"] = "contract-test-upsert";
        await Check("PUT", "/v1/projects/external/{externalId}", await publisher.PutAsync("/v1/projects/external/contract-test-upsert", Json(demo)));
        await Check("PUT", "/v1/projects/external/{externalId}", await publisher.PutAsync("/v1/projects/external/contract-test-upsert", Json(demo)));
        await Check("PUT", "/v1/projects/external/{externalId}", await Send(publisher, HttpMethod.Put, "/v1/projects/external/contract-test-upsert", Json(demo), ifNoneMatch: "*"));
        await Check("DELETE", "/v1/projects/{id}", await publisher.DeleteAsync($"/v1/projects/{projectId}"));
        await Check("DELETE", "/v1/projects/{id}", await publisher.DeleteAsync($"/v1/projects/{ownId}"));
        await Check("DELETE", "/v1/projects/{id}", await publisher.DeleteAsync($"/v1/projects/{ownId}"));
        await Check("GET", "/v1/projects/{id}", await anonymous.GetAsync($"/v1/projects/{ownId}"));

        // Partners.
        var partners = await anonymous.GetAsync("/v1/partners?pageSize=3");
        await Check("GET", "/v1/partners", partners);
        await Check("GET", "/v1/partners", await anonymous.GetAsync("/v1/partners?pageToken=nonsense"));
        var partnerId = JsonNode.Parse(await partners.Content.ReadAsStringAsync())!["items"]![0]!["id"]!.GetValue<string>();
        await Check("GET", "/v1/partners/{id}", await anonymous.GetAsync($"/v1/partners/{partnerId}"));
        await Check("GET", "/v1/partners/{id}", await anonymous.GetAsync($"/v1/partners/{Guid.NewGuid()}"));
        await Check("GET", "/v1/partners/{id}/projects", await anonymous.GetAsync($"/v1/partners/{partnerId}/projects"));
        await Check("GET", "/v1/partners/{id}/projects", await anonymous.GetAsync($"/v1/partners/{Guid.NewGuid()}/projects"));
        var partnerBody = new JsonObject { ["name"] = new JsonObject { ["pl"] = "Fundacja Testu Kontraktu" }, ["kind"] = "ngo", ["country"] = "PL" };
        var newPartner = await publisher.PostAsync("/v1/partners", Json(partnerBody));
        await Check("POST", "/v1/partners", newPartner);
        await Check("POST", "/v1/partners", await publisher.PostAsync("/v1/partners", Json(new JsonObject { ["kind"] = "spaceship" })));
        var newPartnerId = JsonNode.Parse(await newPartner.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        partnerBody["acronym"] = "FTK";
        await Check("PUT", "/v1/partners/{id}", await publisher.PutAsync($"/v1/partners/{newPartnerId}", Json(partnerBody)));
        await Check("PUT", "/v1/partners/{id}", await publisher.PutAsync($"/v1/partners/{partnerId}", Json(partnerBody)));
        await Check("PATCH", "/v1/partners/{id}", await publisher.PatchAsync($"/v1/partners/{newPartnerId}", new StringContent("{\"website\": \"https://example.org\"}", Encoding.UTF8, RegistryClients.MergePatchType)));
        await Check("PATCH", "/v1/partners/{id}", await publisher.PatchAsync($"/v1/partners/{newPartnerId}", Json(partnerBody)));
        await Check("DELETE", "/v1/partners/{id}", await publisher.DeleteAsync($"/v1/partners/{newPartnerId}"));
        await Check("DELETE", "/v1/partners/{id}", await publisher.DeleteAsync($"/v1/partners/{newPartnerId}"));

        // Reference data.
        foreach (var noun in new[] { "funding-measures", "goals" })
        {
            var page = await anonymous.GetAsync($"/v1/{noun}?pageSize=2");
            await Check("GET", $"/v1/{noun}", page);
            await Check("GET", $"/v1/{noun}", await anonymous.GetAsync($"/v1/{noun}?level=nonsense&pageSize=501"));
            var node = JsonNode.Parse(await page.Content.ReadAsStringAsync())!["items"]![0]!;
            await Check("GET", $"/v1/{noun}/{{id}}", await anonymous.GetAsync($"/v1/{noun}/{node["id"]}"));
            await Check("GET", $"/v1/{noun}/{{id}}", await anonymous.GetAsync($"/v1/{noun}/{Guid.NewGuid()}"));
            var request = node.DeepClone().AsObject();
            foreach (var readOnly in new[] { "id", "createdAt", "updatedAt", "version" })
            {
                request.Remove(readOnly);
            }

            request["parent"] = null;
            await Check("POST", $"/v1/{noun}", await admin.PostAsync($"/v1/{noun}", Json(request)));
            await Check("POST", $"/v1/{noun}", await publisher.PostAsync($"/v1/{noun}", Json(request)));
            await Check("PUT", $"/v1/{noun}/{{id}}", await admin.PutAsync($"/v1/{noun}/{node["id"]}", Json(request)));
            await Check("PUT", $"/v1/{noun}/{{id}}", await admin.PutAsync($"/v1/{noun}/{Guid.NewGuid()}", Json(request)));
        }

        // Change feed and exports.
        await Check("GET", "/v1/changes", await anonymous.GetAsync("/v1/changes?pageSize=5&include=record"));
        await Check("GET", "/v1/changes", await anonymous.GetAsync("/v1/changes?type=project&type=partner&publisher=pl-ksow"));
        await Check("GET", "/v1/changes", await anonymous.GetAsync("/v1/changes?type=nonsense"));
        await Check("GET", "/v1/projects", await anonymous.GetAsync("/v1/projects?q=wspolpraca&country=PL&sort=relevance&pageSize=1"));
        await Check("GET", "/v1/projects", await anonymous.GetAsync("/v1/projects?sort=-startDate&status=completed&startFrom=2010"));
        await Check("GET", "/v1/stats/projects", await anonymous.GetAsync("/v1/stats/projects?groupBy=country"));
        await Check("GET", "/v1/stats/projects", await anonymous.GetAsync("/v1/stats/projects?groupBy=fundingMeasure&country=PL&currency=PLN&budgetMin=1000"));
        await Check("GET", "/v1/stats/projects", await anonymous.GetAsync("/v1/stats/projects?groupBy=colour"));
        await Check("GET", "/v1/partners", await anonymous.GetAsync("/v1/partners?q=lokalna&country=PL&kind=lag"));
        await Check("GET", "/v1/exports/projects.ndjson", await anonymous.GetAsync("/v1/exports/projects.ndjson?publisher=lv-lad"));
        await Check("GET", "/v1/exports/projects.ndjson", await anonymous.GetAsync("/v1/exports/projects.ndjson?publisher=nobody"));
        await Check("GET", "/v1/exports/projects.csv", await anonymous.GetAsync("/v1/exports/projects.csv"));
        await Check("GET", "/v1/exports/projects.csv", await anonymous.GetAsync("/v1/exports/projects.csv?colour=green"));
        await Check("GET", "/v1/exports/projects.columns.json", await anonymous.GetAsync("/v1/exports/projects.columns.json"));
        await Check("GET", "/v1/exports/partners.ndjson", await anonymous.GetAsync("/v1/exports/partners.ndjson"));

        // Imports.
        var record = demo.DeepClone().AsObject();
        record["externalId"] = "contract-import";
        var invalid = record.DeepClone().AsObject();
        invalid["externalId"] = "contract-import-invalid";
        invalid.Remove("title");
        var imported = await publisher.PostAsync("/v1/imports/projects", Json(new JsonArray(record.DeepClone())));
        await Check("POST", "/v1/imports/projects", imported);
        await Check("POST", "/v1/imports/projects", await publisher.PostAsync("/v1/imports/projects", Ndjson(record, invalid)));
        await Check("POST", "/v1/imports/projects", await publisher.PostAsync("/v1/imports/projects?atomic=true", Ndjson(record, invalid)));
        var keyed = new HttpRequestMessage(HttpMethod.Post, "/v1/imports/projects") { Content = Ndjson(record) };
        keyed.Headers.Add("Idempotency-Key", "contract-key");
        await Check("POST", "/v1/imports/projects", await publisher.SendAsync(keyed));
        var reused = new HttpRequestMessage(HttpMethod.Post, "/v1/imports/projects") { Content = Ndjson(invalid) };
        reused.Headers.Add("Idempotency-Key", "contract-key");
        await Check("POST", "/v1/imports/projects", await publisher.SendAsync(reused));
        var deferred = new HttpRequestMessage(HttpMethod.Post, "/v1/imports/projects?dryRun=true") { Content = Ndjson(record) };
        deferred.Headers.Add("Prefer", "respond-async");
        await Check("POST", "/v1/imports/projects", await publisher.SendAsync(deferred));
        await Check("POST", "/v1/imports/projects", await publisher.PostAsync("/v1/imports/projects", new StringContent("a,b", Encoding.UTF8, "text/csv")));
        await Check("POST", "/v1/imports/projects", await anonymous.PostAsync("/v1/imports/projects", Ndjson(record)));
        var importId = JsonNode.Parse(await imported.Content.ReadAsStringAsync())!["import"]!["id"]!.GetValue<string>();
        await Check("GET", "/v1/imports", await publisher.GetAsync("/v1/imports?pageSize=2"));
        await Check("GET", "/v1/imports", await anonymous.GetAsync("/v1/imports"));
        await Check("GET", "/v1/imports/{id}", await publisher.GetAsync($"/v1/imports/{importId}"));
        await Check("GET", "/v1/imports/{id}", await publisher.GetAsync($"/v1/imports/{Guid.NewGuid()}"));
        await Check("GET", "/v1/imports/{id}/records", await publisher.GetAsync($"/v1/imports/{importId}/records?pageSize=1"));
        await Check("GET", "/v1/imports/{id}/records", await publisher.GetAsync($"/v1/imports/{importId}/records?status=nonsense"));

        // Audit log.
        await Check("GET", "/v1/audit", await admin.GetAsync("/v1/audit?pageSize=3"));
        await Check("GET", "/v1/audit", await admin.GetAsync($"/v1/audit?actor={code}"));
        await Check("GET", "/v1/audit", await publisher.GetAsync("/v1/audit"));
        await Check("GET", "/v1/audit", await anonymous.GetAsync("/v1/audit"));
        await Check("GET", "/v1/audit", await admin.GetAsync("/v1/audit?pageToken=forged"));

        await Check("DELETE", "/v1/publishers/{code}/api-keys/{keyId}", await admin.DeleteAsync($"/v1/publishers/{code}/api-keys/{key["id"]}"));
        await Check("DELETE", "/v1/publishers/{code}/api-keys/{keyId}", await admin.DeleteAsync($"/v1/publishers/{code}/api-keys/{Guid.NewGuid()}"));

        var missing = _contract.Operations().Select(o => $"{o.Method.ToUpperInvariant()} {o.Path}").Where(o => !_covered.Contains(o)).ToList();
        Assert.True(missing.Count == 0, "operations no call checked: " + string.Join(", ", missing));
    }

    private async Task Check(string method, string template, HttpResponseMessage response)
    {
        _covered.Add($"{method} {template}");
        await _contract.AssertConformsAsync(method, template, response);
    }

    private static StringContent Ndjson(params JsonNode[] records) =>
        new(string.Join('\n', records.Select(r => r.ToJsonString())), Encoding.UTF8, "application/x-ndjson");

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, HttpContent? content = null, string? etag = null, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return client.SendAsync(request);
    }
}
