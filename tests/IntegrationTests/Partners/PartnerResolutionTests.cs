using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Partners;

/// <summary>Projects name partners by description; the same organisation must resolve to one partner.</summary>
public sealed class PartnerResolutionTests(RegistryApiFactory api) : IClassFixture<RegistryApiFactory>
{
    private static JsonObject Described(string language, string name, string? country, params (string Scheme, string Value)[] identifiers)
    {
        var partner = new JsonObject { ["name"] = new JsonObject { [language] = name } };
        if (country is not null)
        {
            partner["country"] = country;
        }

        if (identifiers.Length > 0)
        {
            partner["identifiers"] = new JsonArray([.. identifiers.Select(i => (JsonNode)new JsonObject { ["scheme"] = i.Scheme, ["value"] = i.Value })]);
        }

        return partner;
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];

    private static async Task<JsonElement> WriteAsync(TestPublisher publisher, JsonNode project, HttpStatusCode status = HttpStatusCode.Created)
    {
        var response = await publisher.Client.PutProjectAsync($"prj-{Guid.NewGuid():N}", project);
        return await response.AssertStatusAsync(status);
    }

    private async Task<List<JsonElement>> PartnersNamedAsync(string fragment) =>
        [.. (await api.CreateClient().ReadAllAsync("/v1/partners?pageSize=500"))
            .Where(p => p.GetProperty("name").EnumerateObject().Any(n => n.Value.GetString()!.Contains(fragment, StringComparison.OrdinalIgnoreCase)))];

    [Fact]
    public async Task The_same_identifier_in_two_projects_is_one_partner_however_its_name_is_spelt()
    {
        var publisher = await api.CreatePublisherAsync();
        var number = Unique();

        var first = await WriteAsync(publisher, RegistryClients.Project(Described("lv", $"Biedrība \"Kurzemes partnerība\" {number}", "LV", ("lv-ur", number))));
        var second = await WriteAsync(publisher, RegistryClients.Project(Described("en", $"Kurzeme Partnership Association {number}", "LV", ("lv-ur", number))));

        Assert.Equal(first.PartnerIds().Single(), second.PartnerIds().Single());
        Assert.Single(await PartnersNamedAsync(number));
    }

    [Fact]
    public async Task The_same_identifier_from_another_publisher_is_the_same_partner()
    {
        var one = await api.CreatePublisherAsync("one");
        var two = await api.CreatePublisherAsync("two");
        var number = Unique();

        var first = await WriteAsync(one, RegistryClients.Project(Described("lt", $"VVG Nemunas {number}", "LT", ("lt-jar", number))));
        var second = await WriteAsync(two, RegistryClients.Project(Described("lt", $"Nemuno VVG {number}", "LT", ("lt-jar", number))));

        Assert.Equal(first.PartnerIds().Single(), second.PartnerIds().Single());
        var partner = Assert.Single(await PartnersNamedAsync(number));
        Assert.Equal(one.Code, partner.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task The_same_name_in_another_case_without_diacritics_or_quotes_in_the_same_country_is_one_partner()
    {
        var publisher = await api.CreatePublisherAsync();

        var first = await WriteAsync(publisher, RegistryClients.Project(Described("lv", "PPP biedrība \"Zied zeme\"", "LV")));
        var second = await WriteAsync(publisher, RegistryClients.Project(Described("lv", "ppp biedriba zied zeme", "LV")));

        var id = first.PartnerIds().Single();
        Assert.Equal(id, second.PartnerIds().Single());
        Assert.Equal("PPP biedrība \"Zied zeme\"", second.GetProperty("partners")[0].GetProperty("partner").GetProperty("name").GetProperty("lv").GetString());
    }

    [Fact]
    public async Task A_name_in_another_language_entry_matches_too()
    {
        var publisher = await api.CreatePublisherAsync();
        var suffix = Unique();
        var both = new JsonObject
        {
            ["name"] = new JsonObject { ["pl"] = $"Stowarzyszenie Łączy Nas {suffix}", ["en"] = $"Connects Us Association {suffix}" },
            ["country"] = "PL",
        };

        var first = await WriteAsync(publisher, RegistryClients.Project(both));
        var second = await WriteAsync(publisher, RegistryClients.Project(Described("en", $"CONNECTS US ASSOCIATION {suffix}", "PL")));
        var third = await WriteAsync(publisher, RegistryClients.Project(Described("pl", $"stowarzyszenie laczy nas {suffix}", "PL")));

        Assert.Equal(first.PartnerIds().Single(), second.PartnerIds().Single());
        Assert.Equal(first.PartnerIds().Single(), third.PartnerIds().Single());
    }

    [Fact]
    public async Task The_same_name_in_another_country_is_another_partner()
    {
        var publisher = await api.CreatePublisherAsync();
        var name = $"Kaimo bendruomenė Ąžuolas {Unique()}";

        var lithuanian = await WriteAsync(publisher, RegistryClients.Project(Described("lt", name, "LT")));
        var latvian = await WriteAsync(publisher, RegistryClients.Project(Described("lt", name, "LV")));
        var nowhere = await WriteAsync(publisher, RegistryClients.Project(Described("lt", name, null)));

        Assert.Equal(3, new[] { lithuanian.PartnerIds().Single(), latvian.PartnerIds().Single(), nowhere.PartnerIds().Single() }.Distinct().Count());
    }

    [Fact]
    public async Task A_different_name_in_the_same_country_is_another_partner()
    {
        var publisher = await api.CreatePublisherAsync();
        var suffix = Unique();

        var first = await WriteAsync(publisher, RegistryClients.Project(Described("bg", $"МИГ Тунджа {suffix}", "BG")));
        var second = await WriteAsync(publisher, RegistryClients.Project(Described("bg", $"МИГ Марица {suffix}", "BG")));

        Assert.NotEqual(first.PartnerIds().Single(), second.PartnerIds().Single());
    }

    [Fact]
    public async Task A_described_partner_resolves_to_one_registered_over_the_partners_api()
    {
        var publisher = await api.CreatePublisherAsync();
        var name = $"Fundacja Wiejska {Unique()}";
        var registered = await (await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(Described("pl", name, "PL"))))
            .AssertStatusAsync(HttpStatusCode.Created);

        var project = await WriteAsync(publisher, RegistryClients.Project(Described("pl", name.ToUpperInvariant(), "PL")));

        Assert.Equal(registered.GetProperty("id").GetGuid(), project.PartnerIds().Single());
    }

    [Fact]
    public async Task A_described_partner_that_is_new_is_registered_and_owned_by_the_writing_publisher()
    {
        var publisher = await api.CreatePublisherAsync();
        var name = $"Vietējā rīcības grupa {Unique()}";

        var project = await WriteAsync(publisher, RegistryClients.Project(Described("lv", name, "LV")));

        var id = project.PartnerIds().Single();
        var partner = await (await api.CreateClient().GetAsync($"/v1/partners/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(name, partner.GetProperty("name").GetProperty("lv").GetString());
        Assert.Equal(publisher.Code, partner.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Naming_the_same_partner_twice_in_one_project_is_a_400_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var suffix = Unique();
        var byDescription = RegistryClients.ProjectWithRoles(
            (Described("lv", $"Biedrība Zemgale {suffix}", "LV"), "lead"),
            (Described("lv", $"BIEDRĪBA \"ZEMGALE\" {suffix}", "LV"), "partner"));

        var response = await publisher.Client.PutProjectAsync($"dup-{suffix}", byDescription);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/partners/1/partner", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Naming_the_same_partner_by_id_twice_is_a_400_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await WriteAsync(publisher, RegistryClients.Project(Described("lv", $"Biedrība Latgale {Unique()}", "LV")))).PartnerIds().Single();

        var response = await publisher.Client.PutProjectAsync($"dup-id-{Unique()}", RegistryClients.ProjectWithRoles(
            (RegistryClients.PartnerById(id), "lead"), (RegistryClients.PartnerById(id), "funder")));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/partners/1/partner", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Naming_a_partner_by_id_and_by_its_description_in_one_project_is_a_400_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var name = $"Biedrība Vidzeme {Unique()}";
        var id = (await WriteAsync(publisher, RegistryClients.Project(Described("lv", name, "LV")))).PartnerIds().Single();

        var response = await publisher.Client.PutProjectAsync($"dup-mixed-{Unique()}", RegistryClients.Project(
            RegistryClients.PartnerById(id), Described("lv", name, "LV")));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/partners/1/partner", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Naming_a_partner_by_an_unknown_id_is_a_400_problem_pointing_at_the_id()
    {
        var publisher = await api.CreatePublisherAsync();

        var response = await publisher.Client.PutProjectAsync($"unknown-{Unique()}", RegistryClients.Project(RegistryClients.PartnerById(Guid.NewGuid())));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/partners/0/partner/id", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Naming_a_deleted_partner_by_id_is_a_400_problem_pointing_at_the_id()
    {
        var publisher = await api.CreatePublisherAsync();
        var id = (await (await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(Described("lv", $"Biedrība Sēlija {Unique()}", "LV"))))
            .AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await publisher.Client.DeleteAsync($"/v1/partners/{id}")).EnsureSuccessStatusCode();

        var response = await publisher.Client.PutProjectAsync($"deleted-{Unique()}", RegistryClients.Project(RegistryClients.PartnerById(id)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/partners/0/partner/id", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task A_described_partner_never_resolves_to_a_deleted_one()
    {
        var publisher = await api.CreatePublisherAsync();
        var name = $"Biedrība Augšzeme {Unique()}";
        var number = Unique();
        var id = (await (await publisher.Client.PostAsync("/v1/partners", RegistryClients.JsonBody(Described("lv", name, "LV", ("lv-ur", number)))))
            .AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await publisher.Client.DeleteAsync($"/v1/partners/{id}")).EnsureSuccessStatusCode();

        var byName = await WriteAsync(publisher, RegistryClients.Project(Described("lv", name, "LV")));
        var byIdentifier = await WriteAsync(publisher, RegistryClients.Project(Described("lv", $"Other spelling {Unique()}", "LV", ("lv-ur", number))));

        Assert.NotEqual(id, byName.PartnerIds().Single());
        Assert.NotEqual(id, byIdentifier.PartnerIds().Single());
    }

    [Fact]
    public async Task Naming_a_partner_both_by_id_and_by_description_is_a_400_problem()
    {
        var publisher = await api.CreatePublisherAsync();
        var both = Described("lv", "Biedrība", "LV");
        both["id"] = Guid.NewGuid().ToString();

        var response = await publisher.Client.PutProjectAsync($"both-{Unique()}", RegistryClients.Project(both));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("/partners/0/partner", problem.Errors().Single().Pointer);
    }

    [Fact]
    public async Task Concurrent_projects_describing_the_same_new_organisation_register_it_once()
    {
        var publisher = await api.CreatePublisherAsync();
        var suffix = Unique();
        var name = $"Biedrība \"Vienota sacensība\" {suffix}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            publisher.Client.PutProjectAsync($"race-{suffix}-{i}", RegistryClients.Project(Described("lv", name, "LV")))));

        var ids = new List<Guid>();
        foreach (var response in responses)
        {
            ids.Add((await response.AssertStatusAsync(HttpStatusCode.Created)).PartnerIds().Single());
        }

        Assert.Single(ids.Distinct());
        var registered = Assert.Single(await PartnersNamedAsync(suffix));
        Assert.Equal(ids[0], registered.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Concurrent_projects_of_two_publishers_giving_the_same_identifier_register_it_once()
    {
        var one = await api.CreatePublisherAsync("race-one");
        var two = await api.CreatePublisherAsync("race-two");
        var number = Unique();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? one : two).Client.PutProjectAsync($"race-id-{number}-{i}",
                RegistryClients.Project(Described("lt", $"Asociacija {i} {number}", "LT", ("lt-jar", number))))));

        var ids = new List<Guid>();
        foreach (var response in responses)
        {
            ids.Add((await response.AssertStatusAsync(HttpStatusCode.Created)).PartnerIds().Single());
        }

        Assert.Single(ids.Distinct());
        Assert.Single(await PartnersNamedAsync(number));
    }
}
