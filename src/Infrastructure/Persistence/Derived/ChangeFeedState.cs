namespace RuralRegistry.Infrastructure.Persistence.Derived;

/// <summary>
/// The one row of <c>registry.change_feed_state</c>: the change number through which retention has pruned the feed
/// (a reader whose position is below it must start again).
/// </summary>
public sealed class ChangeFeedState
{
    public const int SingletonId = 1;

    private ChangeFeedState()
    {
    }

    public int Id { get; private set; }

    public long PrunedThrough { get; private set; }
}
