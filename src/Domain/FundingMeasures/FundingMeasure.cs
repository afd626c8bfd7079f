using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.FundingMeasures;

/// <summary>
/// A node of a funding hierarchy (programme &gt; priority or measure &gt; sub-measure &gt; action),
/// named by a scheme-qualified code such as <c>lv-rdp-2014-2020</c> / <c>19.3</c>.
/// </summary>
public sealed class FundingMeasure : HierarchyNode<FundingMeasureDetails>
{
    private FundingMeasure(Guid id, string scheme, string code, string level, FundingMeasureDetails details)
        : base(id, scheme, code, level, details)
    {
    }

    public static FundingMeasure Create(string scheme, string code, string level, FundingMeasureDetails details, Guid? parentId, DateTimeOffset now)
    {
        var measure = new FundingMeasure(Guid.CreateVersion7(now), scheme, code, level, details);
        measure.Place(parentId, now);
        return measure;
    }
}

/// <summary>What describes a funding measure besides its code.</summary>
public sealed record FundingMeasureDetails(
    LocalizedText Name,
    string? Fund,
    CountryCode? Country,
    PartialDate? PeriodStart,
    PartialDate? PeriodEnd);
