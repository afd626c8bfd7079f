using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.UnitTests.Domain;

public sealed class ProjectTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid PublisherId = Guid.CreateVersion7();
    private static readonly Guid PartnerA = new("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid PartnerB = new("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid PartnerC = new("00000000-0000-0000-0000-00000000000c");
    private static readonly Guid MeasureA = new("10000000-0000-0000-0000-00000000000a");
    private static readonly Guid MeasureB = new("10000000-0000-0000-0000-00000000000b");
    private static readonly Guid GoalA = new("20000000-0000-0000-0000-00000000000a");
    private static readonly Guid GoalB = new("20000000-0000-0000-0000-00000000000b");

    [Fact]
    public void Create_gives_a_version_7_id_and_equal_creation_and_update_times()
    {
        var content = Content();

        var project = Project.Create(PublisherId, "19-00-A019.333-000005", content, Links(PartnerA), Created);

        Assert.Equal(7, project.Id.Version);
        Assert.Equal(PublisherId, project.PublisherId);
        Assert.Equal("19-00-A019.333-000005", project.ExternalId);
        Assert.Equal(content, project.Content);
        Assert.Equal(Created, project.CreatedAt);
        Assert.Equal(Created, project.UpdatedAt);
        Assert.Null(project.DeletedAt);
        Assert.False(project.IsDeleted);
    }

    [Fact]
    public void Create_refuses_an_invalid_external_id()
    {
        Assert.Throws<DomainException>(() => Project.Create(PublisherId, " x", Content(), Links(), Created));
    }

    [Fact]
    public void Content_built_twice_from_the_same_values_is_equal()
    {
        var first = Content();

        var second = Content();

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(Links(PartnerA, PartnerB), Links(PartnerA, PartnerB));
    }

    [Fact]
    public void Update_with_equal_content_and_links_changes_nothing()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA, PartnerB), Created);
        var contentBefore = project.Content;

        var changed = project.Update(Content(), Links(PartnerA, PartnerB), Created.AddHours(1));

        Assert.False(changed);
        Assert.Same(contentBefore, project.Content);
        Assert.Equal(Created, project.UpdatedAt);
        Assert.Equal(Links(PartnerA, PartnerB), project.CurrentLinks());
    }

    [Fact]
    public void Update_with_different_content_takes_it_and_moves_the_update_time()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA), Created);
        var newContent = Content(title: "Współpraca łączy regiony 2");

        var changed = project.Update(newContent, Links(PartnerA), Created.AddHours(1));

        Assert.True(changed);
        Assert.Equal(newContent, project.Content);
        Assert.Equal(Created, project.CreatedAt);
        Assert.Equal(Created.AddHours(1), project.UpdatedAt);
    }

    [Fact]
    public void Update_with_a_different_budget_is_a_change()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA), Created);

        var changed = project.Update(Content(budgetTotal: "176072.21"), Links(PartnerA), Created.AddHours(1));

        Assert.True(changed);
    }

    [Fact]
    public void Update_with_different_links_is_a_change()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA, PartnerB), Created);

        var changed = project.Update(Content(), Links(PartnerB, PartnerA), Created.AddHours(1));

        Assert.True(changed);
        Assert.Equal(Links(PartnerB, PartnerA), project.CurrentLinks());
        Assert.Equal(Created.AddHours(1), project.UpdatedAt);
    }

    [Fact]
    public void Current_links_keep_the_order_given()
    {
        var links = new ProjectLinks(
            new[] { Lead(PartnerC), new Participation(PartnerA, PartnerRole.Partner, null), new Participation(PartnerB, PartnerRole.Associated, null) }.ToValueList(),
            new[] { MeasureB, MeasureA }.ToValueList(),
            new[] { new GoalLink(GoalB, GoalRelevance.Primary), new GoalLink(GoalA, GoalRelevance.Secondary) }.ToValueList());

        var project = Project.Create(PublisherId, "UM/2023/15", Content(), links, Created);

        var current = project.CurrentLinks();
        Assert.Equal(links, current);
        Assert.Equal([PartnerC, PartnerA, PartnerB], current.Partners.Select(p => p.PartnerId));
        Assert.Equal([MeasureB, MeasureA], current.FundingMeasures);
        Assert.Equal([GoalB, GoalA], current.Goals.Select(g => g.GoalId));
    }

    [Fact]
    public void Updating_links_reorders_keeps_and_drops_them_as_given()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA, PartnerB, PartnerC), Created);
        var wanted = new ProjectLinks(
            new[] { new Participation(PartnerC, PartnerRole.Funder, Money.FromTrusted(500m, "EUR")), Lead(PartnerA) }.ToValueList(),
            new[] { MeasureA }.ToValueList(),
            ValueList<GoalLink>.Empty);

        var changed = project.Update(Content(), wanted, Created.AddHours(1));

        Assert.True(changed);
        Assert.Equal(wanted, project.CurrentLinks());
        Assert.Equal([PartnerC, PartnerA], project.Partners.OrderBy(p => p.Position).Select(p => p.PartnerId));
        Assert.All(project.Partners, p => Assert.Equal(project.Id, p.ProjectId));
        Assert.Empty(project.Goals);
    }

    [Fact]
    public void Delete_marks_the_project_deleted()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA), Created);

        project.Delete(Created.AddDays(1));

        Assert.True(project.IsDeleted);
        Assert.Equal(Created.AddDays(1), project.DeletedAt);
        Assert.Equal(Created.AddDays(1), project.UpdatedAt);
    }

    [Fact]
    public void Update_after_delete_with_the_same_content_brings_the_project_back()
    {
        var project = Project.Create(PublisherId, "UM/2023/15", Content(), Links(PartnerA), Created);
        project.Delete(Created.AddDays(1));

        var changed = project.Update(Content(), Links(PartnerA), Created.AddDays(2));

        Assert.True(changed);
        Assert.False(project.IsDeleted);
        Assert.Null(project.DeletedAt);
        Assert.Equal(Created.AddDays(2), project.UpdatedAt);
    }

    [Theory]
    [InlineData("19-00-A019.333-000005")]
    [InlineData("UM/2023/15")]
    [InlineData("x")]
    [InlineData("МИГ 2023/1")]
    [InlineData("a b")]
    public void Valid_external_ids_are_accepted(string externalId)
    {
        var valid = Project.IsValidExternalId(externalId, out var error);

        Assert.True(valid);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData(" x")]
    [InlineData("x ")]
    [InlineData(" ")]
    [InlineData("UM/2023\n15")]
    [InlineData("UM\t15")]
    [InlineData("UM\u000015")]
    public void Invalid_external_ids_are_refused_with_a_message(string? externalId)
    {
        var valid = Project.IsValidExternalId(externalId, out var error);

        Assert.False(valid);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void External_ids_longer_than_200_characters_are_refused()
    {
        var longest = new string('7', Project.ExternalIdMaxLength);
        var tooLong = new string('7', Project.ExternalIdMaxLength + 1);

        var longestValid = Project.IsValidExternalId(longest, out _);
        var tooLongValid = Project.IsValidExternalId(tooLong, out _);

        Assert.Equal(200, Project.ExternalIdMaxLength);
        Assert.True(longestValid);
        Assert.False(tooLongValid);
    }

    private static Participation Lead(Guid partnerId) => new(partnerId, PartnerRole.Lead, Money.FromTrusted(176072.20m, "PLN"));

    private static ProjectLinks Links(params Guid[] partners) => new(
        partners.Select((p, i) => i == 0 ? Lead(p) : new Participation(p, PartnerRole.Partner, null)).ToValueList(),
        new[] { MeasureA, MeasureB }.ToValueList(),
        new[] { new GoalLink(GoalA, GoalRelevance.Primary) }.ToValueList());

    /// <summary>Builds every member afresh on each call, so equality can only come from values.</summary>
    private static ProjectContent Content(string title = "Współpraca łączy regiony", string budgetTotal = "176072.20") => new(
        Title: Localized(("pl", title), ("en", "Cooperation connects regions")),
        Summary: Localized(("lt", "kaimo bendruomenė")),
        Description: Localized(("lv", "Zied zeme ģimenēm\nOtrā rinda")),
        OriginalLanguage: LanguageTag.Create("pl"),
        DeclaredStatus: ProjectStatus.Ongoing,
        StartDate: PartialDate.Parse("2022-07-01"),
        EndDate: PartialDate.Parse("2024"),
        Budget: new Budget(Amount(budgetTotal, "PLN"), [new Contribution(FundingSource.Eu, Amount("10622115.00", "EUR"))]),
        Countries: new[] { CountryCode.Create("PL"), CountryCode.Create("EL") }.ToValueList(),
        Regions: new[] { RegionCode.Create("PL91"), RegionCode.Create("GB-SCT") }.ToValueList(),
        Themes: new[] { "smart-villages", "rural-youth" }.ToValueList(),
        TargetGroups: new[] { Localized(("bg", "МИГ Лясковец-Стражица")) }.ToValueList(),
        Objectives: new[] { new Objective(ObjectiveKind.Main, Localized(("pl", "Cel główny"))) }.ToValueList(),
        Activities: new[]
        {
            new Activity(
                ActivityKind.StudyVisit,
                Localized(("pl", "Wizyta studyjna")),
                null,
                PartialDate.Parse("2023-05"),
                null,
                CountryCode.Create("LT"),
                25,
                new[] { "https://example.org/visit" }.ToValueList()),
        }.ToValueList(),
        Contact: new Contact("biuro@example.pl", "https://example.pl", null),
        Links: new[] { new Link("https://example.pl/projekt", Localized(("pl", "Strona projektu"))) }.ToValueList(),
        Identifiers: new[] { new Identifier("arimr", "19-00-A019.333-000005") }.ToValueList());

    private static LocalizedText Localized(params (string Language, string Value)[] entries)
    {
        var errors = new List<DomainError>();
        var text = LocalizedText.Create(entries.ToDictionary(e => e.Language, e => (string?)e.Value), 10_000, errors);
        Assert.Empty(errors);
        return text!;
    }

    private static Money Amount(string amount, string currency)
    {
        var errors = new List<DomainError>();
        var money = Money.Create(amount, currency, errors);
        Assert.Empty(errors);
        return money!;
    }
}
