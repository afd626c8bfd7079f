// A round trip through the C# client NSwag generates from openapi/v1.json (System.Text.Json), against a running
// API loaded with the demo data: list, get by id, search, a 404 problem, a publisher's create, an import answered
// 207, and the change feed followed to its end. Any mismatch exits non-zero.
// usage: NSwagRoundTrip BASE_URL ADMIN_KEY
using System.Net.Http.Headers;
using RegistryClients.NSwag;

var baseUrl = args[0];
var adminKey = args[1];
using var http = new HttpClient();
var anonymous = new RegistryClient(http) { BaseUrl = baseUrl };

// List, get by id, search.
var page = await anonymous.ListProjectsAsync(pageSize: 10);
Check(page.Items.Count >= 5, $"list: the 5 demo projects at least, got {page.Items.Count}");
var first = page.Items.First();
var got = await anonymous.GetProjectAsync(first.Id);
Check(got.ExternalId == first.ExternalId && got.Title.Count > 0, $"get by id: {first.Id}");
var found = await anonymous.ListProjectsAsync(q: "wspolpraca", sort: ProjectSort.Relevance);
Check(found.Items.Any(p => p.Publisher == "pl-ksow"), "search: q=wspolpraca finds the pl-ksow record");
var stats = await anonymous.ProjectStatisticsAsync(groupBy: ProjectGrouping.Country);
Check(stats.Total.Projects >= 5, $"statistics: the 5 demo projects at least, got {stats.Total.Projects}");

// A 404 is a problem the client hands over typed.
try
{
    await anonymous.GetProjectAsync(Guid.NewGuid());
    Fail("get of an unknown id: no exception");
}
catch (ApiException<ProblemDetails> problem) when (problem.StatusCode == 404)
{
    Check(problem.Result.Status == 404 && problem.Result.Title.Length > 0, "404: a problem with status and title");
}

// A publisher and its key, made by the admin.
using var adminHttp = new HttpClient();
adminHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
var admin = new RegistryClient(adminHttp) { BaseUrl = baseUrl };
var code = $"nswag-{Guid.NewGuid():N}"[..20];
await admin.CreatePublisherAsync(new CreatePublisherRequest { Code = code, Name = "NSwag round trip" });
var key = await admin.CreateApiKeyAsync(code, new CreateApiKeyRequest { Name = "nswag round trip" });
var recorder = new StatusRecorder { InnerHandler = new HttpClientHandler() };
using var publisherHttp = new HttpClient(recorder);
publisherHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
var publisher = new RegistryClient(publisherHttp) { BaseUrl = baseUrl };

// The publisher's create: an amount as text, an activity and a partner without the facts the page lacks (kind, role).
var created = await publisher.CreateProjectAsync(Record("nswag-create", "2024-03"));
Check(created.Publisher == code && created.Version > 0, "create: the record is the publisher's, with a version");
Check(created.Budget?.Total?.Amount == "1200.50" && created.Budget.Total.Currency == "PLN", "create: the budget as sent");
Check(created.Activities.Count == 2 && created.Activities.First().Kind == "study-visit" && created.Activities.Last().Kind is null, "create: activity kinds as sent, the missing one absent");
Check(created.Partners.Single().Role is null && created.Partners.Single().Partner.Kind == PartnerKind.Lag, "create: the partner without a role, of kind lag");
var read = await anonymous.GetProjectAsync(created.Id);
Check(read.Version == created.Version && read.Title["pl"] == created.Title["pl"], "create: read back the same");

// An import with one good and one bad record: 207 with a per-record report.
var report = await publisher.ImportProjectsAsync([Record("nswag-import-ok", "2023"), Record("nswag-import-bad", "2023-13")]);
Check(recorder.Last == 207, $"import: 207, got {recorder.Last}");
Check(report.Import.ResultStatus == 207 && report.Import.Counts.Created == 1 && report.Import.Counts.Failed == 1, "import: counts 1 created, 1 failed");
var bad = report.Records.Single(r => r.Index == 1);
Check(bad.Status == ImportRecordStatus.Failed && bad.Problem!.Errors!.Any(e => e.Pointer == "/1/startDate"), "import: the bad record's problem points at /1/startDate");

// Follow the change feed to its end: every change, of every record type, reads; the create is in it.
var seen = new HashSet<Guid>();
var types = new HashSet<RecordType>();
long? after = null;
for (var pages = 0; ; pages++)
{
    if (pages == 1000)
    {
        Fail("change feed: no end after 1000 pages");
    }

    var changes = await anonymous.ListChangesAsync(after: after, pageSize: 50);
    foreach (var change in changes.Items)
    {
        seen.Add(change.Id!.Value);
        types.Add(change.Type!.Value);
    }

    after = changes.ResumeAfter;
    if (!changes.HasMore)
    {
        break;
    }
}

Check(seen.Contains(created.Id), "change feed: holds the created project");
Check(types.Contains(RecordType.FundingMeasure) && types.Contains(RecordType.Partner), $"change feed: reads every type ({string.Join(", ", types)})");
Console.WriteLine($"client-check: nswag round trip ok ({page.Items.Count} projects, {seen.Count} records in the change feed)");
return 0;

static CreateProjectRequest Record(string externalId, string startDate) => new()
{
    ExternalId = externalId,
    Title = new Dictionary<string, string> { ["pl"] = $"Wizyta studyjna {externalId}" },
    OriginalLanguage = "pl",
    StartDate = startDate,
    Countries = ["PL"],
    Budget = new Budget2 { Total = new Total2 { Amount = "1200.50", Currency = "PLN" } },
    Activities =
    [
        new ActivityDto { Kind = "study-visit", Title = new Dictionary<string, string> { ["pl"] = "Wyjazd" } },
        new ActivityDto { Title = new Dictionary<string, string> { ["pl"] = "Biuletyn" } },
    ],
    Partners = [new ParticipationRequest { Partner = new Partner { Name = new Dictionary<string, string> { ["pl"] = "LGD Round Trip" }, Country = "PL", Kind = "lag" } }],
};

static void Check(bool condition, string what)
{
    if (!condition)
    {
        Fail(what);
    }

    Console.WriteLine($"ok: {what}");
}

static void Fail(string what)
{
    Console.Error.WriteLine($"client-check: nswag FAILED: {what}");
    Environment.Exit(1);
}

/// <summary>Notes the status of the last response, which the generated client does not hand out for a 207.</summary>
internal sealed class StatusRecorder : DelegatingHandler
{
    public int Last { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        Last = (int)response.StatusCode;
        return response;
    }
}
