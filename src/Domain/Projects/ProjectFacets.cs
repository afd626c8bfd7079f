namespace RuralRegistry.Domain.Projects;

/// <summary>
/// The prefixes of a project's facets: the keys its derived search row holds for every country, region,
/// partner, funding measure and goal, so that one indexed array overlap answers any filter on them. The
/// refresh in the database writes them, the project filter and the refresh calls look them up; both sides
/// take them from here (the SQL side is checked by a parity test).
/// </summary>
public static class ProjectFacets
{
    public const string Country = "c:";
    public const string Region = "r:";
    public const string PartnerCountry = "pc:";
    public const string Theme = "t:";
    public const string Language = "l:";
    public const string Partner = "p:";
    public const string FundingMeasure = "m:";
    public const string Goal = "g:";
}
