using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.Goals;

/// <summary>
/// An objective of a policy framework that projects serve: an EU rural-development priority or focus
/// area (<c>eu-rdp-2014-2020</c> / <c>6B</c>), a CAP specific objective, a national network's objective.
/// </summary>
public sealed class Goal
{
    public const int SchemeMaxLength = 64;
    public const int CodeMaxLength = 64;
    public const int NameMaxLength = 500;

    private Goal(Guid id, string scheme, string code, GoalDetails details)
    {
        Id = id;
        Scheme = scheme;
        Code = code;
        Details = details;
    }

    public Guid Id { get; private set; }

    public string Scheme { get; private set; }

    public string Code { get; private set; }

    public GoalDetails Details { get; private set; }

    public Guid? ParentId { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Goal Create(string scheme, string code, GoalDetails details, Guid? parentId, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), scheme, code, details) { ParentId = parentId, CreatedAt = now, UpdatedAt = now };

    public bool Update(GoalDetails details, Guid? parentId, DateTimeOffset now)
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

public sealed record GoalDetails(string Level, LocalizedText Name);
