using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.Goals;

/// <summary>
/// An objective of a policy framework that projects serve: an EU rural-development priority or focus
/// area (<c>eu-rdp-2014-2020</c> / <c>6B</c>), a CAP specific objective, a national network's objective.
/// </summary>
public sealed class Goal : HierarchyNode<GoalDetails>
{
    private Goal(Guid id, string scheme, string code, string level, GoalDetails details)
        : base(id, scheme, code, level, details)
    {
    }

    public static Goal Create(string scheme, string code, string level, GoalDetails details, Guid? parentId, DateTimeOffset now)
    {
        var goal = new Goal(Guid.CreateVersion7(now), scheme, code, level, details);
        goal.Place(parentId, now);
        return goal;
    }
}

/// <summary>What describes a goal besides its code.</summary>
public sealed record GoalDetails(LocalizedText Name);
