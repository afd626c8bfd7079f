using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Projects;

/// <summary>
/// Finding projects among the five demo records (read only): every filter, the multilingual search, the
/// sorts, the page-token rules and the statistics. Records are named by their externalId.
/// </summary>
public sealed class ProjectFindingTests(DemoRegistryApiFactory api) : IClassFixture<DemoRegistryApiFactory>
{
    private const string Ksow = "ksow-2022-wspolpraca-laczy-regiony";
    private const string Lithuanian = "bendruomeniu-vaidmuo-ir-patirtys-igyvendinant-kpp";
    private const string Bulgarian = "2018-01-25-gosti-ot-kazahstan";
    private const string Latvian = "19-00-A019.333-000005";
    private const string Zpp = "budowanie-kompetencji-wspolpracy-2012-2016";
    private static readonly string[] All = [Ksow, Lithuanian, Bulgarian, Latvian, Zpp];

    private readonly HttpClient _client = api.CreateClient();

    [Theory]
    [InlineData("wspolpraca", Ksow)]
    [InlineData("WSPÓŁPRACA", Ksow)]
    [InlineData("kaimo bendruomene", Lithuanian)]
    [InlineData("zied zeme", Latvian)]
    [InlineData("Лясковец", Bulgarian)]
    [InlineData("лясковец стражица", Bulgarian)]
    [InlineData("Ляско", Bulgarian)]
    [InlineData("Smart Vill", Latvian)]
    [InlineData("vilages", Latvian)]
    [InlineData("bendruomane", Lithuanian)]
    [InlineData("Kazakhstan", Bulgarian)]
    [InlineData("Forth Valley", Latvian)]
    [InlineData("Pieredzes brauciens", Latvian)]
    [InlineData("Kantri", Latvian)]
    [InlineData("Związek Powiatów", Zpp)]
    public async Task Q_finds_the_record_in_its_own_language_ignoring_case_diacritics_and_script(string q, string expected)
    {
        var found = await ExternalIdsAsync($"/v1/projects?q={Uri.EscapeDataString(q)}");

        Assert.Contains(expected, found);
    }

    [Theory]
    [InlineData("zzzqqqxx")]
    [InlineData("wspolpraca Лясковец")]
    [InlineData("smart bendruomene")]
    public async Task Q_needs_every_word_and_finds_nothing_that_lacks_one(string q) =>
        Assert.Empty(await ExternalIdsAsync($"/v1/projects?q={Uri.EscapeDataString(q)}"));

    [Fact]
    public async Task A_one_letter_typo_is_forgiven_only_in_longer_words()
    {
        Assert.Contains(Latvian, await ExternalIdsAsync("/v1/projects?q=networc%20smart"));
        Assert.DoesNotContain(Latvian, await ExternalIdsAsync("/v1/projects?q=smrt%20network"));
    }

    [Theory]
    [InlineData("country=LV", new[] { Latvian })]
    [InlineData("country=EL", new[] { Latvian })]
    [InlineData("country=KZ&country=NO", new[] { Bulgarian, Zpp })]
    [InlineData("region=GB-SCT", new[] { Latvian })]
    [InlineData("region=BG-04", new[] { Bulgarian })]
    [InlineData("publisher=lv-lad", new[] { Latvian })]
    [InlineData("publisher=lv-lad&publisher=pl-zpp", new[] { Latvian, Zpp })]
    [InlineData("status=completed", new[] { Ksow, Zpp })]
    [InlineData("status=unknown", new[] { Lithuanian, Bulgarian, Latvian })]
    [InlineData("status=planned", new string[0])]
    [InlineData("fundingMeasure=lv-rdp-2014-2020:19.3", new[] { Latvian })]
    [InlineData("fundingMeasure=lv-rdp-2014-2020:M19", new[] { Latvian })]
    [InlineData("fundingMeasure=pl-prow-2014-2020:pl-prow-2014-2020", new[] { Ksow })]
    [InlineData("fundingMeasure=eea-grants-2009-2014:PL&fundingMeasure=lt-kpp-2014-2020:M20", new[] { Lithuanian, Zpp })]
    [InlineData("goal=eu-rdp-2014-2020:P6", new[] { Ksow, Latvian })]
    [InlineData("goal=eu-rdp-2014-2020:6B", new[] { Latvian })]
    [InlineData("partnerCountry=FI", new[] { Latvian })]
    [InlineData("partnerCountry=NO", new[] { Zpp })]
    [InlineData("theme=smart-villages", new[] { Latvian })]
    [InlineData("theme=study-visits", new[] { Ksow, Latvian, Zpp })]
    [InlineData("language=lt", new[] { Lithuanian })]
    [InlineData("language=bg&language=lv", new[] { Bulgarian, Latvian })]
    [InlineData("activeOn=2023-01-15", new[] { Ksow })]
    [InlineData("activeOn=2014", new[] { Zpp })]
    [InlineData("activeOn=2020-01-01", new string[0])]
    [InlineData("startFrom=2020", new[] { Ksow })]
    [InlineData("startTo=2015-12", new[] { Zpp })]
    [InlineData("startFrom=2012-07-01&startTo=2012-07-01", new[] { Zpp })]
    [InlineData("endFrom=2020-01-01", new[] { Ksow })]
    [InlineData("endTo=2016-04", new[] { Zpp })]
    [InlineData("endTo=2016-03", new string[0])]
    [InlineData("updatedSince=2000-01-01T00:00:00Z", new[] { Ksow, Lithuanian, Bulgarian, Latvian, Zpp })]
    [InlineData("updatedSince=2999-01-01T00:00:00%2B02:00", new string[0])]
    [InlineData("currency=PLN", new[] { Ksow, Zpp })]
    [InlineData("currency=PLN&budgetMin=1000000", new[] { Zpp })]
    [InlineData("currency=PLN&budgetMax=176072.20", new[] { Ksow })]
    [InlineData("currency=PLN&budgetMin=176072.21&budgetMax=10622115", new[] { Zpp })]
    [InlineData("currency=EUR", new string[0])]
    [InlineData("country=PL&status=completed&theme=study-visits&language=en", new[] { Ksow, Zpp })]
    [InlineData("q=wspolpraca&country=PL&startFrom=2020", new[] { Ksow })]
    public async Task Each_filter_finds_exactly_the_records_that_match(string query, string[] expected)
    {
        var found = await ExternalIdsAsync("/v1/projects?pageSize=500&" + query);

        Assert.Equal(expected.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_partner_filter_takes_partner_ids()
    {
        var latvian = await ProjectAsync(Latvian);
        var partner = latvian.PartnerIds()[^1];

        Assert.Equal([Latvian], await ExternalIdsAsync($"/v1/projects?partner={partner}"));
        Assert.Empty(await ExternalIdsAsync($"/v1/projects?partner={Guid.NewGuid()}"));
    }

    [Fact]
    public async Task A_measure_or_goal_is_named_by_id_as_well()
    {
        var latvian = await ProjectAsync(Latvian);
        var measure = latvian.GetProperty("fundingMeasures")[0].GetProperty("id").GetString();
        var goal = latvian.GetProperty("goals")[0].GetProperty("goal").GetProperty("id").GetString();

        Assert.Equal([Latvian], await ExternalIdsAsync($"/v1/projects?fundingMeasure={measure}"));
        Assert.Equal([Latvian], await ExternalIdsAsync($"/v1/projects?goal={goal}"));
    }

    [Theory]
    [InlineData("country=Poland", "country")]
    [InlineData("region=Mazowsze", "region")]
    [InlineData("publisher=nobody", "publisher")]
    [InlineData("status=done", "status")]
    [InlineData("fundingMeasure=nope:nope", "fundingMeasure")]
    [InlineData("fundingMeasure=00000000-0000-0000-0000-000000000001", "fundingMeasure")]
    [InlineData("goal=nonsense", "goal")]
    [InlineData("partner=not-a-uuid", "partner")]
    [InlineData("partnerCountry=XX1", "partnerCountry")]
    [InlineData("theme=Smart%20Villages", "theme")]
    [InlineData("language=english", "language")]
    [InlineData("activeOn=2024-13-01", "activeOn")]
    [InlineData("startFrom=yesterday", "startFrom")]
    [InlineData("startTo=2024-02-30", "startTo")]
    [InlineData("endFrom=24", "endFrom")]
    [InlineData("endTo=2024/01", "endTo")]
    [InlineData("updatedSince=2024-01-01", "updatedSince")]
    [InlineData("updatedSince=2024-01-01T10:00:00", "updatedSince")]
    [InlineData("budgetMin=100", "currency")]
    [InlineData("budgetMin=-5&currency=PLN", "budgetMin")]
    [InlineData("budgetMax=lots&currency=PLN", "budgetMax")]
    [InlineData("budgetMin=10&budgetMax=5&currency=PLN", "budgetMax")]
    [InlineData("currency=ABC", "currency")]
    [InlineData("q=%20%2B%2B%20", "q")]
    [InlineData("q=a&q=b", "q")]
    [InlineData("sort=colour", "sort")]
    [InlineData("sort=relevance", "sort")]
    [InlineData("colour=green", "colour")]
    public async Task A_malformed_filter_is_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        foreach (var path in new[] { "/v1/projects", "/v1/stats/projects?groupBy=country", "/v1/exports/projects.ndjson" })
        {
            if (parameter == "sort" && path != "/v1/projects")
            {
                continue;
            }

            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var response = await _client.GetAsync(path + separator + query);

            var problem = await response.AssertStatusAsync(HttpStatusCode.BadRequest);
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.TryGetProperty("parameter", out var p) && p.GetString() == parameter);
        }
    }

    [Theory]
    [InlineData("startDate", new[] { Zpp, Ksow })]
    [InlineData("-startDate", new[] { Ksow, Zpp })]
    [InlineData("title", new[] { Lithuanian, Zpp, Latvian, Ksow, Bulgarian })]
    public async Task Sorts_order_the_records_and_put_missing_dates_last(string sort, string[] expectedFirst)
    {
        var found = await ExternalIdsAsync($"/v1/projects?sort={sort}");

        Assert.Equal(expectedFirst, found.Take(expectedFirst.Length));
        Assert.Equal(All.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_default_order_is_most_recently_changed_first_and_with_q_the_most_relevant()
    {
        var versions = (await _client.GetFromJsonAsync<JsonElement>("/v1/projects")).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("version").GetInt64()).ToList();
        Assert.Equal(versions.OrderDescending(), versions);

        // "współpraca" is in both Polish titles (one with a typo's distance); the KSOW title holds the word itself.
        var relevant = await ExternalIdsAsync("/v1/projects?q=wspolpraca");
        Assert.Equal(Ksow, relevant[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&sort=startDate")]
    [InlineData("&sort=-startDate")]
    [InlineData("&sort=title")]
    [InlineData("&q=leader")]
    [InlineData("&q=wspolpraca&sort=title")]
    public async Task Walking_pages_of_two_gives_the_same_records_in_the_same_order_as_one_page(string query)
    {
        var whole = await ExternalIdsAsync("/v1/projects?pageSize=500" + query);
        var walked = (await _client.ReadAllAsync("/v1/projects?pageSize=2" + query)).Select(p => p.GetProperty("externalId").GetString()!).ToList();

        Assert.NotEmpty(whole);
        Assert.Equal(whole, walked);
    }

    [Fact]
    public async Task A_page_token_is_bound_to_its_filters_and_sort()
    {
        var page = await _client.GetFromJsonAsync<JsonElement>("/v1/projects?pageSize=1&sort=title&language=en");
        var token = Uri.EscapeDataString(page.GetProperty("nextPageToken").GetString()!);

        (await _client.GetAsync($"/v1/projects?pageSize=1&sort=title&language=en&pageToken={token}")).EnsureSuccessStatusCode();
        foreach (var other in new[] { "sort=startDate&language=en", "sort=title&language=lv", "sort=title", "sort=title&language=en&country=PL", "language=en" })
        {
            var problem = await (await _client.GetAsync($"/v1/projects?pageSize=1&{other}&pageToken={token}")).AssertStatusAsync(HttpStatusCode.BadRequest);
            Assert.Equal("pageToken", problem.GetProperty("errors")[0].GetProperty("parameter").GetString());
        }

        foreach (var forged in new[] { "bm9uc2Vuc2U", token[..^4], "eyJWIjoxLCJTIjoiIiwiSyI6WyJ4Il19" })
        {
            await (await _client.GetAsync($"/v1/projects?sort=title&language=en&pageToken={forged}")).AssertStatusAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Statistics_count_projects_and_sum_budgets_per_currency_per_group()
    {
        var byCountry = await _client.GetWireAsync<ProjectStatisticsWire>("/v1/stats/projects?groupBy=country");

        Assert.Equal("country", byCountry.GroupBy);
        Assert.Equal(5, byCountry.Total.Projects);
        var pln = Assert.Single(byCountry.Total.Budgets);
        Assert.Equal("PLN", pln.Currency);
        Assert.Equal(10798187.20m, decimal.Parse(pln.Amount, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, pln.Projects);

        var groups = byCountry.Groups.ToDictionary(g => g.Key ?? "");
        Assert.Equal((2, 1, 1), (groups["PL"].Projects, groups["GR"].Projects, groups["KZ"].Projects));
        Assert.Empty(groups["LV"].Budgets);
        Assert.Equal("10622115.00", groups["NO"].Budgets[0].Amount);
    }

    [Theory]
    [InlineData("groupBy=status", "completed:2,unknown:3")]
    [InlineData("groupBy=startYear", "2012:1,2022:1,:3")]
    [InlineData("groupBy=publisher", "bg-mig-lyaskovets-strazhitsa:1,lt-kaimo-tinklas:1,lv-lad:1,pl-ksow:1,pl-zpp:1")]
    [InlineData("groupBy=fundingMeasure", ":1,eea-grants-2009-2014:PL:1,lt-kpp-2014-2020:20.2:1,lv-rdp-2014-2020:19.3:1,pl-prow-2014-2020:KSOW-4:1")]
    [InlineData("groupBy=goal", ":3,eu-rdp-2014-2020:6B:1,eu-rdp-2014-2020:P6:1,pl-ksow-2014-2020:5:1")]
    [InlineData("groupBy=status&country=PL", "completed:2")]
    [InlineData("groupBy=country&q=Лясковец", "BG:1,KZ:1")]
    [InlineData("groupBy=startYear&currency=EUR", "")]
    public async Task Statistics_group_by_each_grouping_under_the_list_filters(string query, string expected)
    {
        var stats = await _client.GetFromJsonAsync<JsonElement>("/v1/stats/projects?" + query);

        var actual = stats.GetProperty("groups").EnumerateArray()
            .Select(g => $"{g.GetProperty("key").GetString()}:{g.GetProperty("projects").GetInt64()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(',', actual));
    }

    [Theory]
    [InlineData("")]
    [InlineData("groupBy=colour")]
    [InlineData("groupBy=country&groupBy=status")]
    public async Task Statistics_need_one_known_grouping(string query)
    {
        var problem = await (await _client.GetAsync("/v1/stats/projects?" + query)).AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal("groupBy", problem.GetProperty("errors")[0].GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("q=lokalna%20grupa", 3)]
    [InlineData("q=LOKALNA%20dzialania%20puszcza", 1)]
    [InlineData("q=лясковец", 2)]
    [InlineData("country=FI", 2)]
    [InlineData("country=FI&country=GB", 3)]
    [InlineData("kind=ministry", 1)]
    [InlineData("kind=union&country=PL", 3)]
    [InlineData("q=zwiazek&kind=union", 4)]
    public async Task Partners_are_found_by_words_of_their_names_country_and_kind(string query, int expected)
    {
        var partners = await _client.ReadAllAsync("/v1/partners?pageSize=2&" + query);

        Assert.Equal(expected, partners.Count);
    }

    [Theory]
    [InlineData("/v1/partners?kind=farm", "kind")]
    [InlineData("/v1/partners?country=Latvia", "country")]
    [InlineData("/v1/partners?q=%20", "q")]
    [InlineData("/v1/funding-measures?q=%20", "q")]
    public async Task Partner_and_reference_filters_refuse_malformed_values(string path, string parameter)
    {
        var problem = await (await _client.GetAsync(path)).AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem.GetProperty("errors")[0].GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("/v1/funding-measures?q=19.3", "19.3")]
    [InlineData("/v1/funding-measures?q=lv-rdp%2019.3", "19.3")]
    [InlineData("/v1/goals?q=6b", "6B")]
    public async Task Measures_and_goals_are_found_by_code_or_name(string path, string code)
    {
        var nodes = await _client.ReadAllAsync(path);

        Assert.Contains(nodes, n => n.GetProperty("code").GetString() == code);
        Assert.True(nodes.Count < 10, $"{nodes.Count} nodes for {path}");
    }

    private async Task<JsonElement> ProjectAsync(string externalId) =>
        (await _client.GetFromJsonAsync<JsonElement>("/v1/projects?pageSize=500")).GetProperty("items").EnumerateArray()
            .Single(p => p.GetProperty("externalId").GetString() == externalId);

    private async Task<List<string>> ExternalIdsAsync(string path)
    {
        var response = await _client.GetAsync(path);
        var page = await response.AssertStatusAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("externalId").GetString()!)];
    }
}
