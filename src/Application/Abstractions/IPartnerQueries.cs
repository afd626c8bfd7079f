using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Application.Abstractions;

/// <summary>
/// What a partner list filters by: every word among the folded names and acronym (<see cref="Partner.NameKey"/>),
/// any of the countries, any of the kinds; empty lists filter nothing.
/// </summary>
public sealed record PartnerCriteria(IReadOnlyList<string> Words, IReadOnlyList<string> Countries, IReadOnlyList<string> Kinds);

/// <summary>The live partners a partner list's criteria pass.</summary>
public interface IPartnerListQuery
{
    IQueryable<Partner> Matching(PartnerCriteria criteria);
}

/// <summary>
/// The lookups and row locks that resolving and deleting partners need: partners by identifier and by folded
/// name key, and share or update locks on partner rows until the open transaction ends.
/// </summary>
public interface IPartnerLookup
{
    /// <summary>Which partner holds each of these identifiers (<paramref name="schemes"/> and <paramref name="values"/> pairwise).</summary>
    Task<List<PartnerIdentifierHit>> IdentifierHitsAsync(string[] schemes, string[] values, CancellationToken cancellationToken);

    /// <summary>The live partners with any of these name keys, through the name-key index.</summary>
    Task<List<PartnerNameHit>> NamedAsync(string[] nameKeys, CancellationToken cancellationToken);

    /// <summary>The live partners among <paramref name="ids"/> (distinct), each held by a share lock until the transaction ends.</summary>
    Task<List<Guid>> HoldLiveAsync(Guid[] ids, CancellationToken cancellationToken);

    /// <summary>Holds one live partner by a share lock until the transaction ends; false when it is deleted or missing.</summary>
    Task<bool> KeepLiveAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Locks the partner's row for update: waits for the writes holding it (projects naming it) to end.</summary>
    Task LockForUpdateAsync(Guid id, CancellationToken cancellationToken);
}

public sealed record PartnerIdentifierHit(string Scheme, string Value, Guid PartnerId);

public sealed record PartnerNameHit(Guid Id, string CountryKey, string[] NameKeys, DateTimeOffset CreatedAt);
