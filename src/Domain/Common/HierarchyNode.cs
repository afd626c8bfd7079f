namespace RuralRegistry.Domain.Common;

/// <summary>
/// A node of a reference hierarchy named by a scheme-qualified code (<c>lv-rdp-2014-2020</c> / <c>19.3</c>,
/// <c>eu-rdp-2014-2020</c> / <c>6B</c>): funding measures and goals. The scheme and code never change.
/// </summary>
public abstract class HierarchyNode<TDetails>
    where TDetails : class
{
    public const int SchemeMaxLength = 64;
    public const int CodeMaxLength = 64;
    public const int NameMaxLength = 500;

    protected HierarchyNode(Guid id, string scheme, string code, string level, TDetails details)
    {
        Id = id;
        Scheme = scheme;
        Code = code;
        Level = level;
        Details = details;
    }

    public Guid Id { get; private set; }

    public string Scheme { get; private set; }

    public string Code { get; private set; }

    public string Level { get; private set; }

    public TDetails Details { get; private set; }

    public Guid? ParentId { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Takes new values; false (and nothing changed) when they are the current ones.</summary>
    public bool Update(string level, TDetails details, Guid? parentId, DateTimeOffset now)
    {
        if (parentId == Id)
        {
            throw new DomainException("A node cannot be its own parent.");
        }

        if (level == Level && details.Equals(Details) && parentId == ParentId)
        {
            return false;
        }

        Level = level;
        Details = details;
        ParentId = parentId;
        UpdatedAt = now;
        return true;
    }

    public void Stamp(long version) => Version = version;

    protected void Place(Guid? parentId, DateTimeOffset now)
    {
        ParentId = parentId;
        CreatedAt = now;
        UpdatedAt = now;
    }
}
