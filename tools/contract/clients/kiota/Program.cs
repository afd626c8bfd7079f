// A round trip through the C# client Kiota generates from openapi/v1.json, against a running API loaded with the
// demo data: list, get by id, search, a 404 problem, a publisher's create, an import answered 207, and the change
// feed followed to its end. Any mismatch exits non-zero.
// usage: KiotaRoundTrip BASE_URL ADMIN_KEY
using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using RegistryClients.Kiota;
using RegistryClients.Kiota.Models;

var baseUrl = args[0];
var adminKey = args[1];
var anonymous = Client(null, out _);

// List, get by id, search.
var page = await anonymous.V1.Projects.GetAsync(c => c.QueryParameters.PageSize = 10);
Check(page?.Items?.Count >= 5, $"list: the 5 demo projects at least, got {page?.Items?.Count}");
var first = page!.Items![0];
var got = await anonymous.V1.Projects[first.Id!.Value].GetAsync();
Check(got?.ExternalId == first.ExternalId && got?.Title?.AdditionalData.Count > 0, $"get by id: {first.Id}");
var found = await anonymous.V1.Projects.GetAsync(c =>
{
    c.QueryParameters.Q = "wspolpraca";
    c.QueryParameters.Sort = ProjectSort.Relevance;
});
Check(found?.Items?.Any(p => p.Publisher == "pl-ksow") == true, "search: q=wspolpraca finds the pl-ksow record");

// A 404 is a problem the client throws typed.
try
{
    await anonymous.V1.Projects[Guid.NewGuid()].GetAsync();
    Fail("get of an unknown id: no exception");
}
catch (ProblemDetails problem) when (problem.ResponseStatusCode == 404)
{
    Check(problem.Status == 404 && !string.IsNullOrEmpty(problem.Title), "404: a problem with status and title");
}

// A publisher and its key, made by the admin.
var admin = Client(adminKey, out _);
var code = $"kiota-{Guid.NewGuid():N}"[..20];
await admin.V1.Publishers.PostAsync(new CreatePublisherRequest { Code = code, Name = "Kiota round trip" });
var key = await admin.V1.Publishers[code].ApiKeys.PostAsync(new CreateApiKeyRequest { Name = "kiota round trip" });
var publisher = Client(key!.Secret, out var recorder);

// The publisher's create: an amount as text, an activity and a partner without the facts the page lacks (kind, role).
var project = Record("kiota-create", "2024-03");
project.Budget = new ProjectRequest_budget
{
    Total = new BudgetRequest_total { Amount = new MoneyRequest.MoneyRequest_amount { String = "1200.50" }, Currency = "PLN" },
};
var created = await publisher.V1.Projects.PostAsync(project);
Check(created?.Publisher == code && created.Version > 0, "create: the record is the publisher's, with a version");
Check(created!.Budget?.Total?.Amount == "1200.50" && created.Budget.Total.Currency == "PLN", "create: the budget as sent");
Check(created.Activities?.Count == 2 && created.Activities[0].Kind == "study-visit" && created.Activities[1].Kind is null, "create: activity kinds as sent, the missing one absent");
Check(created.Partners?.Single().Role is null && created.Partners.Single().Partner?.Kind == PartnerKind.Lag, "create: the partner without a role, of kind lag");
var read = await anonymous.V1.Projects[created.Id!.Value].GetAsync();
Check(read?.Version == created.Version && read.Title?.AdditionalData["pl"] as string == created.Title?.AdditionalData["pl"] as string, "create: read back the same");

// An import with one good and one bad record: 207 with a per-record report.
var report = await publisher.V1.Imports.Projects.PostAsync([Record("kiota-import-ok", "2023"), Record("kiota-import-bad", "2023-13")]);
Check(recorder.Last == 207, $"import: 207, got {recorder.Last}");
Check(report?.Import?.ResultStatus == 207 && report.Import.Counts?.Created == 1 && report.Import.Counts.Failed == 1, "import: counts 1 created, 1 failed");
var bad = report!.Records!.Single(r => r.Index == 1);
Check(bad.Status == ImportRecordStatus.Failed && bad.Problem?.Errors?.Any(e => e.Pointer == "/1/startDate") == true, "import: the bad record's problem points at /1/startDate");

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

    var changes = await anonymous.V1.Changes.GetAsync(c =>
    {
        c.QueryParameters.After = after;
        c.QueryParameters.PageSize = 50;
    });
    foreach (var change in changes!.Items!)
    {
        seen.Add(change.Id!.Value);
        types.Add(change.Type!.Value);
    }

    after = changes.ResumeAfter;
    if (changes.HasMore != true)
    {
        break;
    }
}

Check(seen.Contains(created.Id.Value), "change feed: holds the created project");
Check(types.Contains(RecordType.FundingMeasure) && types.Contains(RecordType.Partner), $"change feed: reads every type ({string.Join(", ", types)})");
Console.WriteLine($"client-check: kiota round trip ok ({page.Items.Count} projects, {seen.Count} records in the change feed)");
return 0;

RegistryApiClient Client(string? secret, out StatusRecorder statuses)
{
    statuses = new StatusRecorder { InnerHandler = new HttpClientHandler() };
    var http = new HttpClient(statuses);
    if (secret is not null)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
    }

    return new RegistryApiClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });
}

static CreateProjectRequest Record(string externalId, string startDate) => new()
{
    ExternalId = externalId,
    Title = new ProjectRequest_title { AdditionalData = { ["pl"] = $"Wizyta studyjna {externalId}" } },
    OriginalLanguage = "pl",
    StartDate = startDate,
    Countries = ["PL"],
    Activities =
    [
        new ActivityDto { Kind = "study-visit", Title = new ActivityDto_title { AdditionalData = { ["pl"] = "Wyjazd" } } },
        new ActivityDto { Title = new ActivityDto_title { AdditionalData = { ["pl"] = "Biuletyn" } } },
    ],
    Partners =
    [
        new ParticipationRequest
        {
            Partner = new ParticipationRequest_partner { Name = new PartnerReferenceDto_name { AdditionalData = { ["pl"] = "LGD Round Trip" } }, Country = "PL", Kind = "lag" },
        },
    ],
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
    Console.Error.WriteLine($"client-check: kiota FAILED: {what}");
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
