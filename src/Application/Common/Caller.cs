namespace RuralRegistry.Application.Common;

/// <summary>Who is writing: an admin, or a publisher through one of its API keys.</summary>
public sealed record Caller(bool IsAdmin, Guid? PublisherId, string? PublisherCode)
{
    public static Caller Admin { get; } = new(true, null, null);

    public static Caller ForPublisher(Guid publisherId, string code) => new(false, publisherId, code);

    /// <summary>Admins act for every publisher; a publisher's key only for its own records.</summary>
    public bool MayWriteFor(Guid? publisherId) => IsAdmin || (publisherId is not null && publisherId == PublisherId);
}
