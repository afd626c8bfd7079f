using System.Data;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.FundingMeasures;
using RuralRegistry.Domain.Goals;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>
/// Runs every hand-written query of Infrastructure (each query class and method, every branch of the filter,
/// sort and statistics builders, page positions and snapshots, the search) against a real database holding
/// data, and checks that the rows map: a column alias that disagrees with the naming convention fails here
/// as an exception or as default values where data exists.
/// </summary>
public sealed class HandWrittenQueriesTests(QueryPathsApiFactory api) : IClassFixture<QueryPathsApiFactory>
{
    public static TheoryData<string> Sorts() => [.. ListProjects.Sorts];

    /// <summary>One query string per filter (and a few together), each matching at least one demo record.</summary>
    public static TheoryData<string> Filters() =>
    [
        "",
        "q=wspolpraca",
        "q=Лясковец&country=BG",
        "country=LV",
        "region=GB-SCT",
        "partnerCountry=FI",
        "theme=study-visits",
        "language=lt",
        "publisher=lv-lad&publisher=pl-zpp",
        "status=completed",
        "status=unknown",
        "status=planned&status=ongoing&status=cancelled&status=completed",
        "fundingMeasure=lv-rdp-2014-2020:19.3",
        "goal=eu-rdp-2014-2020:P6",
        "partner=*",
        "activeOn=2023-01-15",
        "startFrom=2020",
        "startTo=2015-12",
        "endFrom=2020-01-01",
        "endTo=2016-04",
        "updatedSince=2000-01-01T00:00:00Z",
        "currency=PLN&budgetMin=100&budgetMax=20000000",
    ];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_filter_runs_in_the_key_query_the_export_query_and_the_statistics(string query)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var filter = await FilterAsync(scope.ServiceProvider, query);
        var list = scope.ServiceProvider.GetRequiredService<IProjectListQuery>();
        var sort = ProjectSort.For(filter.Search is null ? ListProjects.RecentlyUpdated : ListProjects.Relevance);

        foreach (var limit in new[] { 1, 2, 500 })
        {
            var page = await list.PageAsync(filter, sort, snapshot: null, after: null, limit, CancellationToken.None);
            Assert.NotEmpty(page.Rows);
            AssertMapped(page.Rows);
            Assert.All(page.Rows, r => Assert.Equal(r.Id, ReadId(r.Body!)));
        }

        var matching = await list.Matching(filter).ToListAsync();
        Assert.NotEmpty(matching);
        Assert.All(matching, p => Assert.NotEqual(Guid.Empty, p.Id));
        Assert.All(matching, p => Assert.NotEqual(0, p.Version));
        Assert.All(matching, p => Assert.NotEqual(Guid.Empty, p.PublisherId));

        var rows = await scope.ServiceProvider.GetRequiredService<IProjectStatisticsQuery>().RowsAsync(filter, ProjectGrouping.Country, CancellationToken.None);
        Assert.Contains(rows, r => r.Total && r.Projects > 0);
        Assert.Contains(rows, r => !r.Total && r.Key is not null && r.Projects > 0);
    }

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task Every_sort_reads_a_first_page_and_resumes_after_its_key_in_every_path(string sortName)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var list = scope.ServiceProvider.GetRequiredService<IProjectListQuery>();
        var sort = ProjectSort.For(sortName);

        // No filter (the sort's index); one that many pass (walked, then more than the bound); one that one passes
        // (the bound holds); one that none passes; the search alone (documents only) and with another filter.
        string[] queries = sort.IsRelevance
            ? ["q=wspolpr", "q=wspolpr&country=PL", "q=wspolpraca&country=LV"]
            : ["", "theme=study-visits", "country=LV", "country=EE", "q=wspolpr", "q=wspolpr&country=PL"];
        var snapshot = (await list.PageAsync(await FilterAsync(scope.ServiceProvider, queries[0]), sort, null, null, 1, CancellationToken.None)).Snapshot;
        Assert.Matches("^[0-9]+:[0-9]+:", snapshot);
        foreach (var query in queries)
        {
            var filter = await FilterAsync(scope.ServiceProvider, query);
            foreach (var seen in new[] { null, snapshot })
            {
                var first = (await list.PageAsync(filter, sort, seen, after: null, limit: 2, CancellationToken.None)).Rows;
                AssertMapped(first);
                if (query != "country=EE" && query != "q=wspolpraca&country=LV")
                {
                    Assert.NotEmpty(first);
                }

                if (first.Count == 0)
                {
                    continue;
                }

                var key = sort.KeyOf(first[0]).ToList();
                Assert.True(sort.IsValidKey(key), $"{sortName}: the key {string.Join(",", key)} of {query} is not valid");
                var next = (await list.PageAsync(filter, sort, seen, key, limit: 500, CancellationToken.None)).Rows;
                AssertMapped(next);
                Assert.DoesNotContain(next, r => r.Id == first[0].Id);
                if (first.Count == 2)
                {
                    Assert.Contains(next, r => r.Id == first[1].Id);
                }
            }
        }
    }

    [Theory]
    [InlineData(ProjectGrouping.Country, "PL")]
    [InlineData(ProjectGrouping.Publisher, "pl-ksow")]
    [InlineData(ProjectGrouping.FundingMeasure, "lv-rdp-2014-2020:19.3")]
    [InlineData(ProjectGrouping.Goal, "eu-rdp-2014-2020:6B")]
    [InlineData(ProjectGrouping.Status, "completed")]
    [InlineData(ProjectGrouping.StartYear, "2022")]
    public async Task Every_grouping_counts_and_sums_the_projects(ProjectGrouping grouping, string key)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var statistics = scope.ServiceProvider.GetRequiredService<IProjectStatisticsQuery>();

        foreach (var query in new[] { "", "currency=PLN", "q=wspolpraca" })
        {
            var rows = await statistics.RowsAsync(await FilterAsync(scope.ServiceProvider, query), grouping, CancellationToken.None);

            var total = rows.Where(r => r.Total).ToList();
            Assert.True(total.Sum(r => r.Projects) > 0, query);
            Assert.All(total, r => Assert.Null(r.Key));
            Assert.Contains(total, r => r.Currency == "PLN" && r.Amount > 0);
            var groups = rows.Where(r => !r.Total).ToList();
            Assert.Contains(groups, r => r.Key is not null && r.Projects > 0);
            Assert.All(groups, r => Assert.True(r.Currency is null ? r.Amount is null : r.Amount >= 0));
            if (query.Length == 0)
            {
                Assert.Contains(groups, r => r.Key == key && r.Projects > 0);
            }
        }
    }

    [Fact]
    public async Task The_search_terms_fold_the_words_and_find_near_ones()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var terms = scope.ServiceProvider.GetRequiredService<IProjectSearchTerms>();

        // The words come back without diacritics but in the case given (ts_debug shows the first dictionary's lexeme, before
        // the simple dictionary lowercases it); to_tsquery folds them the rest of the way.
        var folded = await terms.TermsAsync("współpraca łączy, Лясковец! łączy", 5, 12, CancellationToken.None);
        Assert.Equal(new[] { "wspolpraca", "laczy", "лясковец" }, folded.Words);
        Assert.Equal(new[] { "Wspolpraca", "LACZY" }, (await terms.TermsAsync("Współpraca ŁĄCZY", 5, 12, CancellationToken.None)).Words);
        var near = await terms.TermsAsync("vilages bendruomane eco", 5, 12, CancellationToken.None);
        Assert.Equal(new[] { "vilages", "bendruomane", "eco" }, near.Words);
        Assert.Contains(near.Variants, v => v.Word == "vilages" && v.Term == "villages");
        Assert.Contains(near.Variants, v => v.Word == "bendruomane" && v.Term.StartsWith("bendruomen", StringComparison.Ordinal));
        Assert.DoesNotContain(near.Variants, v => v.Word == "eco" || v.Term == v.Word);

        // Words shorter than the typo length, or a query of more words than a search takes, look up no near words.
        Assert.Empty((await terms.TermsAsync("vilages bendruomane", 12, 12, CancellationToken.None)).Variants);
        var tooMany = await terms.TermsAsync("vilages bendruomane eco", 5, 2, CancellationToken.None);
        Assert.Equal(3, tooMany.Words.Count);
        Assert.Empty(tooMany.Variants);
    }

    [Fact]
    public async Task The_partner_list_filters_by_words_country_and_kind()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var partners = scope.ServiceProvider.GetRequiredService<IPartnerListQuery>();

        foreach (var criteria in new PartnerCriteria[]
        {
            new([], [], []),
            new(["zwiazek", "powiatow"], [], []),
            new([], ["NO", "FI"], []),
            new([], [], ["union"]),
            new(["лясковец"], ["BG"], ["lag", "municipality"]),
        })
        {
            var found = await partners.Matching(criteria).ToListAsync();
            Assert.NotEmpty(found);
            Assert.All(found, p => Assert.NotEqual(Guid.Empty, p.Id));
            Assert.All(found, p => Assert.NotEmpty(p.Details.Name.Values));
            Assert.All(found, p => Assert.NotEqual(0, p.Version));
            Assert.All(found, p => Assert.Null(p.DeletedAt));
            Assert.All(criteria.Countries.Count == 0 ? [] : found, p => Assert.Contains(p.CountryKey, criteria.Countries));
        }
    }

    [Fact]
    public async Task The_partner_lookups_and_locks_find_and_hold_live_partners()
    {
        var publisher = await api.CreatePublisherAsync("lookups");
        var value = Guid.NewGuid().ToString("N");
        var created = await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(new JsonObject
        {
            ["name"] = new JsonObject { ["pl"] = "Stowarzyszenie Łąka Kraśnicka" },
            ["kind"] = "ngo",
            ["country"] = "PL",
            ["identifiers"] = new JsonArray(new JsonObject { ["scheme"] = "pl-krs", ["value"] = value }),
        }));
        var id = (await created.AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await using var scope = api.Services.CreateAsyncScope();
        var lookup = scope.ServiceProvider.GetRequiredService<IPartnerLookup>();
        await using var transaction = await scope.ServiceProvider.GetRequiredService<IRegistryDbContext>().BeginTransactionAsync();

        var byIdentifier = Assert.Single(await lookup.IdentifierHitsAsync(["pl-krs", "pl-krs"], [value, "no-such-value"], CancellationToken.None));
        Assert.Equal(new PartnerIdentifierHit("pl-krs", value, id), byIdentifier);

        var named = Assert.Single(await lookup.NamedAsync([Partner.NameKey("Stowarzyszenie Łąka Kraśnicka")], CancellationToken.None), n => n.Id == id);
        Assert.Equal("PL", named.CountryKey);
        Assert.Equal(new[] { "stowarzyszenie laka krasnicka" }, named.NameKeys);
        Assert.NotEqual(default, named.CreatedAt);

        Assert.Equal(new[] { id }, await lookup.HoldLiveAsync([id, Guid.NewGuid()], CancellationToken.None));
        Assert.True(await lookup.KeepLiveAsync(id, CancellationToken.None));
        Assert.False(await lookup.KeepLiveAsync(Guid.NewGuid(), CancellationToken.None));
        await lookup.LockForUpdateAsync(id, CancellationToken.None);
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task The_reference_search_reads_every_node_table()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<IReferenceNodeSearch>();

        var measure = Assert.Single(await search.Matching<FundingMeasure>(["lv-rdp-2014-2020", "19.3"]).ToListAsync(), m => m.Code == "19.3");
        Assert.Equal("lv-rdp-2014-2020", measure.Scheme);
        Assert.NotEqual(Guid.Empty, measure.Id);
        Assert.NotEqual(0, measure.Version);
        Assert.NotEmpty(measure.Details.Name.Values);

        var goal = Assert.Single(await search.Matching<Goal>(["EU-RDP", "6b"]).ToListAsync(), g => g.Code == "6B");
        Assert.Equal("eu-rdp-2014-2020", goal.Scheme);
        Assert.NotNull(goal.ParentId);
        Assert.NotEmpty(goal.Details.Name.Values);
    }

    [Fact]
    public async Task The_change_log_and_feed_store_statements_run()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IRegistryDbContext>();
        var changes = services.GetRequiredService<IChangeLog>();
        var feed = services.GetRequiredService<IChangeFeedStore>();
        var projectIds = await db.Projects.Select(p => p.Id).ToListAsync();
        var partnerId = await db.Partners.Select(p => p.Id).FirstAsync();

        // The feed's page with every branch (types, a publisher, the projects' bodies), before the transaction below
        // holds the bound's lock.
        var all = await feed.PageAsync(0, [], null, 500, projectBodies: true, CancellationToken.None);
        Assert.True(all.Bound > 1 && all.PrunedThrough >= 0 && all.Rows.Count > 0);
        Assert.Contains(all.Rows, r => r.Change.RecordType == RecordType.Project && r.Body is not null);
        var publisherId = all.Rows.First(r => r.Change.PublisherId is not null).Change.PublisherId;
        var narrowed = await feed.PageAsync(0, [RecordType.Project], publisherId, 500, projectBodies: false, CancellationToken.None);
        Assert.NotEmpty(narrowed.Rows);
        Assert.All(narrowed.Rows, r => Assert.True(r.Change.RecordType == RecordType.Project && r.Change.PublisherId == publisherId && r.Body is null && r.Publisher is not null));

        await using var transaction = await db.BeginTransactionAsync();
        var bound = await feed.SettledBoundAsync(CancellationToken.None);
        Assert.True(bound > 1);
        var one = await changes.RecordAsync(RecordType.Project, projectIds[0], ChangeOperation.Upsert, null, CancellationToken.None);
        var taken = await changes.TakeNumbersAsync(3, CancellationToken.None);
        var many = await changes.RecordManyAsync(RecordType.Partner, [(partnerId, null), (Guid.NewGuid(), null)], ChangeOperation.Upsert, CancellationToken.None);
        Assert.Equal(3, taken.Count);
        Assert.True(taken.SequenceEqual(taken.Order()) && taken[0] > one);
        Assert.True(many.Count == 2 && many[0] > taken[^1] && many[1] > many[0]);
        await changes.LockAsync(["partner-name:PL:a", "partner-id:x:1"], CancellationToken.None);
        Assert.True(await feed.PruneAsync(DateTimeOffset.UnixEpoch, CancellationToken.None) >= 0);
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task The_search_index_refreshes_run_and_keep_the_derived_rows()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<IRegistryDbContext>();
        var writes = services.GetRequiredService<IProjectWrites>();
        var pending = services.GetRequiredService<RegistryDbContext>().PendingRefreshes;
        var projectIds = await db.Projects.Where(p => p.DeletedAt == null).Select(p => p.Id).ToListAsync();
        var partnerId = await db.Projects.Where(p => p.DeletedAt == null).SelectMany(p => p.Partners).Select(p => p.PartnerId).FirstAsync();
        var measureId = await db.FundingMeasures.Where(m => m.Scheme == "lv-rdp-2014-2020" && m.Code == "19.3").Select(m => m.Id).SingleAsync();
        var goalId = await db.Goals.Where(g => g.Scheme == "eu-rdp-2014-2020" && g.Code == "6B").Select(g => g.Id).SingleAsync();
        var list = services.GetRequiredService<IProjectListQuery>();
        var filter = await FilterAsync(services, "");

        await using var transaction = await db.BeginTransactionAsync();
        pending.Projects.UnionWith(projectIds); // what the write unit holds for the projects it stamped
        // Every scope of the restamp, each of its statements run against data (the status one finds nothing outdated).
        foreach (var restamp in (ProjectRestamp[])[
            new ProjectRestamp.NamingPartner(partnerId), new ProjectRestamp.NamingMeasure(measureId), new ProjectRestamp.UnderMeasure(measureId),
            new ProjectRestamp.NamingGoal(goalId), new ProjectRestamp.UnderGoal(goalId), new ProjectRestamp.StatusOutdated(Guid.Empty, 10)])
        {
            var restamped = await writes.RestampAsync(restamp, CancellationToken.None);
            Assert.True(restamp is ProjectRestamp.StatusOutdated ? restamped.Count == 0 : restamped.Count > 0, $"{restamp}: {restamped.Count}");
        }

        await writes.SaveAsync(CancellationToken.None);
        Assert.True(pending.IsEmpty);
        // Read in the write's transaction (the list reads on a connection of its own, which sees only what is committed).
        var derived = await services.GetRequiredService<RegistryDbContext>().Database
            .SqlQueryRaw<Guid>("SELECT id AS \"Value\" FROM registry.project_search").ToListAsync();
        Assert.Equal(projectIds.Order(), derived.Order());
        await transaction.RollbackAsync();
    }

    private async Task<ProjectFilter> FilterAsync(IServiceProvider services, string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToLookup(pair => pair[0], pair => pair[1]);
        var db = services.GetRequiredService<IRegistryDbContext>();
        var partners = values["partner"].Any() ? [(await db.Partners.Select(p => p.Id).FirstAsync()).ToString()] : Array.Empty<string>();
        string? One(string name) => values[name].SingleOrDefault();
        var input = new ProjectFilterInput
        {
            Q = One("q"),
            Country = [.. values["country"]],
            Region = [.. values["region"]],
            Publisher = [.. values["publisher"]],
            Status = [.. values["status"]],
            FundingMeasure = [.. values["fundingMeasure"]],
            Goal = [.. values["goal"]],
            Partner = partners,
            PartnerCountry = [.. values["partnerCountry"]],
            Theme = [.. values["theme"]],
            Language = [.. values["language"]],
            ActiveOn = One("activeOn"),
            StartFrom = One("startFrom"),
            StartTo = One("startTo"),
            EndFrom = One("endFrom"),
            EndTo = One("endTo"),
            UpdatedSince = One("updatedSince"),
            BudgetMin = One("budgetMin"),
            BudgetMax = One("budgetMax"),
            Currency = One("currency"),
        };
        var parsed = await ProjectFilter.ParseAsync(
            input, db, services.GetRequiredService<IProjectSearchTerms>(), CancellationToken.None);
        Assert.True(parsed.Failure is null, $"{query}: {parsed.Failure?.Detail}");
        return parsed.Value!;
    }

    private static Guid ReadId(StoredJson body) => Guid.Parse(JsonNode.Parse(body.Utf8)!["id"]!.GetValue<string>());

    private static void AssertMapped(List<ProjectKeyRow> rows)
    {
        Assert.All(rows, r => Assert.NotEqual(Guid.Empty, r.Id));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.K)));
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
    }
}
