using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Abstractions;

/// <summary>How big the registry is: live projects, publishers, and the countries and languages its live projects have.</summary>
public sealed record RegistryCounts(long Projects, long Publishers, long Countries, long Languages);

/// <summary>One recent change, with the publisher's code and, for a live project, its title by language and its original language.</summary>
public sealed record RecentChange(
    long Sequence, RecordType RecordType, Guid RecordId, ChangeOperation Operation, DateTimeOffset OccurredAt, string? Publisher,
    IReadOnlyDictionary<string, string>? Title, string? OriginalLanguage);

/// <summary>What the front door shows of the registry (counts and the latest changes), read straight from the store.</summary>
public interface IRegistrySummary
{
    Task<RegistryCounts> CountsAsync(CancellationToken cancellationToken);

    /// <summary>The <paramref name="count"/> newest committed changes, newest first.</summary>
    Task<IReadOnlyList<RecentChange>> LatestChangesAsync(int count, CancellationToken cancellationToken);
}
