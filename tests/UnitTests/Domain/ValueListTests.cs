using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.UnitTests.Domain;

public sealed class ValueListTests
{
    [Fact]
    public void Lists_with_the_same_items_in_the_same_order_are_equal()
    {
        var first = new ValueList<string>(["PL", "LT", "BG"]);

        var second = new List<string> { "PL", "LT", "BG" }.ToValueList();

        Assert.NotSame(first, second);
        Assert.True(first.Equals(second));
        Assert.True(first.Equals((object)second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Order_matters()
    {
        var first = new ValueList<string>(["PL", "LT"]);

        var second = new ValueList<string>(["LT", "PL"]);

        Assert.False(first.Equals(second));
    }

    [Fact]
    public void Lists_of_different_length_or_content_are_not_equal()
    {
        var list = new ValueList<int>([1, 2, 3]);

        Assert.False(list.Equals(new ValueList<int>([1, 2])));
        Assert.False(list.Equals(new ValueList<int>([1, 2, 4])));
        Assert.False(list.Equals(null));
        Assert.True(ValueList<int>.Empty.Equals(new ValueList<int>([])));
    }

    [Fact]
    public void The_list_is_a_copy_of_its_source()
    {
        var source = new List<int> { 1, 2 };

        var list = source.ToValueList();
        source.Add(3);

        Assert.Equal(2, list.Count);
        Assert.Equal([1, 2], list);
    }

    [Fact]
    public void Records_holding_value_lists_compare_by_content()
    {
        var goal = Guid.CreateVersion7();
        var measure = Guid.CreateVersion7();

        var first = new ProjectLinks(ValueList<Participation>.Empty, new[] { measure }.ToValueList(), new[] { new GoalLink(goal, GoalRelevance.Primary) }.ToValueList());
        var second = new ProjectLinks(new ValueList<Participation>([]), new List<Guid> { measure }.ToValueList(), new List<GoalLink> { new(goal, GoalRelevance.Primary) }.ToValueList());

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }
}
