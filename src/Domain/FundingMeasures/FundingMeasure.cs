using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.FundingMeasures;

/// <summary>
/// A node of a funding hierarchy (programme &gt; priority or measure &gt; sub-measure &gt; action),
/// named by a scheme-qualified code such as <c>lv-rdp-2014-2020</c> / <c>19.3</c>.
/// </summary>
public sealed class FundingMeasure
{
    public const int SchemeMaxLength = 64;
    public const int CodeMaxLength = 64;
    public const int NameMaxLength = 500;

    private FundingMeasure(Guid id, string scheme, string code, FundingMeasureDetails details)
    {
        Id = id;
        Scheme = scheme;
        Code = code;
        Details = details;
    }

    public Guid Id { get; private set; }

    public string Scheme { get; private set; }

    public string Code { get; private set; }

    public FundingMeasureDetails Details { get; private set; }

    public Guid? ParentId { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static FundingMeasure Create(string scheme, string code, FundingMeasureDetails details, Guid? parentId, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), scheme, code, details) { ParentId = parentId, CreatedAt = now, UpdatedAt = now };

    public bool Update(FundingMeasureDetails details, Guid? parentId, DateTimeOffset now)
    {
        if (details == Details && parentId == ParentId)
        {
            return false;
        }

        Details = details;
        ParentId = parentId;
        UpdatedAt = now;
        return true;
    }

    public void Stamp(long version) => Version = version;
}

public sealed record FundingMeasureDetails(
    string Level,
    LocalizedText Name,
    string? Fund,
    CountryCode? Country,
    PartialDate? PeriodStart,
    PartialDate? PeriodEnd);
