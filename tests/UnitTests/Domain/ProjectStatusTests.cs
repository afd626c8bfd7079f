using System.Globalization;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.UnitTests.Domain;

public sealed class ProjectStatusTests
{
    [Theory]
    [InlineData(null, null, "2024-06-01")]
    [InlineData("2020-01-01", "2030-12-31", "2024-06-01")]
    [InlineData("2030", null, "2024-06-01")]
    [InlineData("2020", "2021", "2024-06-01")]
    public void A_declared_cancellation_wins_over_the_dates(string? start, string? end, string today)
    {
        var content = Content(ProjectStatus.Cancelled, start, end);

        var status = content.StatusOn(Day(today));

        Assert.Equal(ProjectStatus.Cancelled, status);
    }

    [Theory]
    [InlineData(ProjectStatus.Unknown, "2024-07-01", "2024-12-31", "2024-06-30")]
    [InlineData(ProjectStatus.Ongoing, "2024-07-01", "2024-12-31", "2024-06-30")]
    [InlineData(ProjectStatus.Completed, "2024-07-01", null, "2024-06-30")]
    [InlineData(ProjectStatus.Unknown, "2024-02", "2025", "2024-01-31")]
    [InlineData(ProjectStatus.Unknown, "2025", null, "2024-12-31")]
    public void Before_the_start_the_project_is_planned(ProjectStatus declared, string start, string? end, string today)
    {
        var content = Content(declared, start, end);

        var status = content.StatusOn(Day(today));

        Assert.Equal(ProjectStatus.Planned, status);
    }

    [Theory]
    [InlineData(ProjectStatus.Ongoing, "2024-01-01", "2024-06-30", "2024-07-01")]
    [InlineData(ProjectStatus.Planned, "2024-01-01", "2024-06-30", "2025-01-01")]
    [InlineData(ProjectStatus.Unknown, null, "2024-06-30", "2024-07-01")]
    [InlineData(ProjectStatus.Unknown, "2023-01", "2023-10", "2023-11-01")]
    [InlineData(ProjectStatus.Unknown, "2022", "2023", "2024-01-01")]
    public void After_the_end_the_project_is_completed(ProjectStatus declared, string? start, string end, string today)
    {
        var content = Content(declared, start, end);

        var status = content.StatusOn(Day(today));

        Assert.Equal(ProjectStatus.Completed, status);
    }

    [Theory]
    [InlineData(ProjectStatus.Unknown, "2024-01-01", "2024-12-31", "2024-06-15")]
    [InlineData(ProjectStatus.Planned, "2024-01-01", "2024-12-31", "2024-06-15")]
    [InlineData(ProjectStatus.Completed, "2024-01-01", "2024-12-31", "2024-06-15")]
    [InlineData(ProjectStatus.Unknown, "2024-01-01", "2024-12-31", "2024-01-01")]
    [InlineData(ProjectStatus.Unknown, "2024-01-01", "2024-12-31", "2024-12-31")]
    [InlineData(ProjectStatus.Unknown, "2024-05-01", "2024-05-01", "2024-05-01")]
    [InlineData(ProjectStatus.Unknown, "2023-01", "2023-10", "2023-10-31")]
    [InlineData(ProjectStatus.Unknown, "2024", "2025", "2024-01-01")]
    [InlineData(ProjectStatus.Unknown, "2024-03", "2024-09", "2024-03-01")]
    public void Between_start_and_end_the_project_is_ongoing_with_partial_dates_covering_their_whole_period(
        ProjectStatus declared, string start, string end, string today)
    {
        var content = Content(declared, start, end);

        var status = content.StatusOn(Day(today));

        Assert.Equal(ProjectStatus.Ongoing, status);
    }

    [Theory]
    [InlineData(ProjectStatus.Ongoing)]
    [InlineData(ProjectStatus.Unknown)]
    [InlineData(ProjectStatus.Planned)]
    [InlineData(ProjectStatus.Completed)]
    public void Without_dates_the_declared_status_stands(ProjectStatus declared)
    {
        var content = Content(declared, null, null);

        var status = content.StatusOn(Day("2024-06-01"));

        Assert.Equal(declared, status);
    }

    [Theory]
    [InlineData(ProjectStatus.Ongoing)]
    [InlineData(ProjectStatus.Unknown)]
    [InlineData(ProjectStatus.Planned)]
    [InlineData(ProjectStatus.Completed)]
    public void With_only_a_start_in_the_past_the_declared_status_stands(ProjectStatus declared)
    {
        var content = Content(declared, "2020-01-01", null);

        var status = content.StatusOn(Day("2024-06-01"));

        Assert.Equal(declared, status);
    }

    [Theory]
    [InlineData(ProjectStatus.Ongoing)]
    [InlineData(ProjectStatus.Unknown)]
    public void With_only_an_end_not_yet_reached_the_declared_status_stands(ProjectStatus declared)
    {
        var content = Content(declared, null, "2030-12-31");

        var status = content.StatusOn(Day("2024-06-01"));

        Assert.Equal(declared, status);
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ProjectContent Content(ProjectStatus declared, string? start, string? end) => new(
        Title: LocalizedText.FromTrusted(new Dictionary<string, string> { ["pl"] = "Współpraca łączy regiony" }),
        Summary: null,
        Description: null,
        OriginalLanguage: LanguageTag.Create("pl"),
        DeclaredStatus: declared,
        StartDate: start is null ? null : PartialDate.Parse(start),
        EndDate: end is null ? null : PartialDate.Parse(end),
        Budget: null,
        Countries: ValueList<CountryCode>.Empty,
        Regions: ValueList<RegionCode>.Empty,
        Themes: ValueList<string>.Empty,
        TargetGroups: ValueList<LocalizedText>.Empty,
        Objectives: ValueList<Objective>.Empty,
        Activities: ValueList<Activity>.Empty,
        Contact: null,
        Links: ValueList<Link>.Empty,
        Identifiers: ValueList<Identifier>.Empty);
}
