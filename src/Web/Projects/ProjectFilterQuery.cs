using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Web.Projects;

/// <summary>The filter parameters of the project list, the exports and the statistics, bound from the query string.</summary>
internal sealed class ProjectFilterQuery
{
    /// <summary>The parameter names for <c>AllowQuery</c>: the list-valued ones may be repeated.</summary>
    public static readonly string[] Allowed =
    [
        "q", "country*", "region*", "publisher*", "status*", "fundingMeasure*", "goal*", "partner*", "partnerCountry*", "theme*", "language*",
        "activeOn", "startFrom", "startTo", "endFrom", "endTo", "updatedSince", "budgetMin", "budgetMax", "currency",
    ];

    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [FromQuery(Name = "country")]
    public string[]? Country { get; init; }

    [FromQuery(Name = "region")]
    public string[]? Region { get; init; }

    [FromQuery(Name = "publisher")]
    public string[]? Publisher { get; init; }

    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    [FromQuery(Name = "fundingMeasure")]
    public string[]? FundingMeasure { get; init; }

    [FromQuery(Name = "goal")]
    public string[]? Goal { get; init; }

    [FromQuery(Name = "partner")]
    public string[]? Partner { get; init; }

    [FromQuery(Name = "partnerCountry")]
    public string[]? PartnerCountry { get; init; }

    [FromQuery(Name = "theme")]
    public string[]? Theme { get; init; }

    [FromQuery(Name = "language")]
    public string[]? Language { get; init; }

    [FromQuery(Name = "activeOn")]
    public string? ActiveOn { get; init; }

    [FromQuery(Name = "startFrom")]
    public string? StartFrom { get; init; }

    [FromQuery(Name = "startTo")]
    public string? StartTo { get; init; }

    [FromQuery(Name = "endFrom")]
    public string? EndFrom { get; init; }

    [FromQuery(Name = "endTo")]
    public string? EndTo { get; init; }

    [FromQuery(Name = "updatedSince")]
    public string? UpdatedSince { get; init; }

    [FromQuery(Name = "budgetMin")]
    public string? BudgetMin { get; init; }

    [FromQuery(Name = "budgetMax")]
    public string? BudgetMax { get; init; }

    [FromQuery(Name = "currency")]
    public string? Currency { get; init; }

    public ProjectFilterInput ToInput() => new()
    {
        Q = Q,
        Country = Country ?? [],
        Region = Region ?? [],
        Publisher = Publisher ?? [],
        Status = Status ?? [],
        FundingMeasure = FundingMeasure ?? [],
        Goal = Goal ?? [],
        Partner = Partner ?? [],
        PartnerCountry = PartnerCountry ?? [],
        Theme = Theme ?? [],
        Language = Language ?? [],
        ActiveOn = ActiveOn,
        StartFrom = StartFrom,
        StartTo = StartTo,
        EndFrom = EndFrom,
        EndTo = EndTo,
        UpdatedSince = UpdatedSince,
        BudgetMin = BudgetMin,
        BudgetMax = BudgetMax,
        Currency = Currency,
    };
}
