using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Application.Partners;

/// <summary>A partner one record of a batch names, with the publisher that would own it if registered and the record's checker.</summary>
public sealed record PartnerClaim(PartnerReference Reference, Guid? OwnerPublisherId, InputChecker Check);

/// <summary>
/// Finds the partner a write names, so the same organisation is one partner however it is named:
/// by id; else by any of its identifiers; else by a name in the same country (case and diacritics
/// aside); else registers it, owned by the writing publisher. Writers that might register the same
/// organisation at once are serialised by a lock on its identifiers and name, so none is made twice.
/// Lives for one unit of work and remembers what it resolved, new partners included.
/// </summary>
public sealed class PartnerResolver(IRegistryDbContext db, IPartnerLookup lookup, IChangeLog changes, TimeProvider clock)
{
    private const int MaxDescribed = 20_000;

    private readonly Dictionary<string, Guid> _known = new(StringComparer.Ordinal);

    // Descriptions worked out before (folded name keys, lock keys), by value: an import names the same organisation
    // in many records, and folding its names is most of what resolving a remembered partner costs.
    private readonly Dictionary<PartnerDetails, Described> _described = [];

    public void Forget() => _known.Clear();

    /// <summary>
    /// Takes, in one sorted order, the locks of every organisation a write describes, so two writes naming
    /// the same organisations in different orders wait for each other instead of deadlocking.
    /// </summary>
    public async Task LockAsync(IEnumerable<PartnerReference> references, CancellationToken cancellationToken)
    {
        var keys = references.Where(r => r.Details is not null).SelectMany(r => Keys(r.Details!)).Distinct().ToList();
        await changes.LockAsync(keys, cancellationToken);
    }

    /// <summary>Resolves one reference; the write must have taken <see cref="LockAsync"/> for all its references first.</summary>
    public async Task<Guid?> ResolveAsync(PartnerReference reference, Guid? ownerPublisherId, InputChecker check, CancellationToken cancellationToken)
    {
        if (reference.Id is { } id)
        {
            if (await KeepAsync(id, cancellationToken))
            {
                return id;
            }

            check.Fail($"{reference.Pointer}/id", $"No partner has the id {id}.");
            return null;
        }

        var details = reference.Details!;
        var keys = Keys(details);
        foreach (var key in keys)
        {
            if (_known.TryGetValue(key, out var seen))
            {
                return seen;
            }
        }

        var found = await FindAsync(details, cancellationToken);
        if (found is not null && !await KeepAsync(found.Id, cancellationToken))
        {
            found = null;
        }

        if (found is null)
        {
            var now = clock.GetUtcNow();
            found = Partner.Create(ownerPublisherId, details, now);
            db.Partners.Add(found);
            found.Stamp(await changes.RecordAsync(RecordType.Partner, found.Id, ChangeOperation.Upsert, ownerPublisherId, cancellationToken));
        }

        foreach (var key in keys)
        {
            _known[key] = found.Id;
        }

        return found.Id;
    }

    /// <summary>
    /// Resolves the partners a batch of records names, with the same outcome as resolving them one by one in
    /// order (<see cref="ResolveAsync"/>), but set-based: a few statements for the whole batch instead of a few
    /// per partner. Locks are taken only for descriptions that match no partner yet, just before registering them.
    /// Failures go to each claim's own checker; its slot in the answer is then null.
    /// </summary>
    public async Task<Guid?[]> ResolveBatchAsync(IReadOnlyList<PartnerClaim> claims, CancellationToken cancellationToken)
    {
        var results = new Guid?[claims.Count];
        // Each description's lock keys and name keys, folded once: they are looked at several times below.
        var described = claims.Select(c => c.Reference.Details is { } details ? DescribedOf(details) : null).ToArray();
        var remembered = described.OfType<Described>().Select(Remembered).OfType<Guid>().ToHashSet();
        var live = await HoldAsync([.. claims.Select(c => c.Reference.Id).OfType<Guid>().Concat(remembered)], cancellationToken);
        remembered.ExceptWith(live);
        foreach (var stale in _known.Where(k => remembered.Contains(k.Value)).Select(k => k.Key).ToList())
        {
            _known.Remove(stale);
        }

        var pending = new List<int>();
        for (var i = 0; i < claims.Count; i++)
        {
            var reference = claims[i].Reference;
            if (reference.Id is { } id)
            {
                if (live.Contains(id))
                {
                    results[i] = id;
                }
                else
                {
                    claims[i].Check.Fail($"{reference.Pointer}/id", $"No partner has the id {id}.");
                }
            }
            else if (Remembered(described[i]!) is { } known)
            {
                results[i] = known;
            }
            else
            {
                pending.Add(i);
            }
        }

        pending = await FindBatchAsync(described, pending, results, cancellationToken);
        if (pending.Count == 0)
        {
            return results;
        }

        await changes.LockAsync([.. pending.SelectMany(i => described[i]!.Keys).Distinct()], cancellationToken);
        pending = await FindBatchAsync(described, pending, results, cancellationToken);
        var registered = new List<Partner>();
        foreach (var i in pending)
        {
            var partnerId = Remembered(described[i]!);
            if (partnerId is null)
            {
                var partner = Partner.Create(claims[i].OwnerPublisherId, described[i]!.Details, clock.GetUtcNow());
                db.Partners.Add(partner);
                registered.Add(partner);
                Remember(described[i]!, partner.Id);
                partnerId = partner.Id;
            }

            results[i] = partnerId;
        }

        var numbers = await changes.RecordManyAsync(RecordType.Partner, [.. registered.Select(p => (p.Id, p.OwnerPublisherId))], ChangeOperation.Upsert, cancellationToken);
        for (var i = 0; i < registered.Count; i++)
        {
            registered[i].Stamp(numbers[i]);
        }

        return results;
    }

    /// <summary>Finds stored partners for the pending claims, in order; returns the claims still unresolved.</summary>
    private async Task<List<int>> FindBatchAsync(Described?[] described, List<int> pending, Guid?[] results, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return pending;
        }

        var identifiers = pending.SelectMany(i => described[i]!.Details.Identifiers).Distinct().ToList();
        var schemes = identifiers.Select(i => i.Scheme).ToArray();
        var values = identifiers.Select(i => i.Value).ToArray();
        var byIdentifier = identifiers.Count == 0
            ? []
            : (await lookup.IdentifierHitsAsync(schemes, values, cancellationToken))
              .ToDictionary(h => (h.Scheme, h.Value), h => h.PartnerId);
        var nameKeys = pending.SelectMany(i => described[i]!.NameKeys).Distinct().ToList();
        var named = nameKeys.Count == 0
            ? []
            : await lookup.NamedAsync([.. nameKeys], cancellationToken);
        var byName = named
            .SelectMany(p => p.NameKeys.Select(k => (Key: (p.CountryKey, k), Hit: p)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Hit).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).First());

        var found = new Dictionary<int, Guid?>();
        foreach (var i in pending)
        {
            var description = described[i]!;
            var identified = description.Details.Identifiers.Where(id => byIdentifier.ContainsKey((id.Scheme, id.Value))).Select(id => (Guid?)byIdentifier[(id.Scheme, id.Value)]).FirstOrDefault();
            if (identified is not null)
            {
                found[i] = identified;
                continue;
            }

            found[i] = description.NameKeys.Select(k => byName.GetValueOrDefault((description.CountryKey, k))).OfType<PartnerNameHit>()
                .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => (Guid?)p.Id).FirstOrDefault();
        }

        var live = await HoldAsync([.. found.Values.OfType<Guid>()], cancellationToken);
        var unresolved = new List<int>();
        foreach (var i in pending)
        {
            if (Remembered(described[i]!) is { } known)
            {
                results[i] = known;
            }
            else if (found[i] is { } id && live.Contains(id))
            {
                Remember(described[i]!, id);
                results[i] = id;
            }
            else
            {
                unresolved.Add(i);
            }
        }

        return unresolved;
    }

    /// <summary>The live partners among <paramref name="ids"/>, each held (a share lock on its row) until this transaction ends.</summary>
    private async Task<HashSet<Guid>> HoldAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        var distinct = ids.Distinct().ToArray();
        return [.. await lookup.HoldLiveAsync(distinct, cancellationToken)];
    }

    private Described DescribedOf(PartnerDetails details)
    {
        if (!_described.TryGetValue(details, out var described))
        {
            if (_described.Count >= MaxDescribed)
            {
                _described.Clear();
            }

            described = new Described(details);
            _described[details] = described;
        }

        return described;
    }

    private Guid? Remembered(Described described) => Remembered(described.Keys);

    private Guid? Remembered(List<string> keys)
    {
        foreach (var key in keys)
        {
            if (_known.TryGetValue(key, out var seen))
            {
                return seen;
            }
        }

        return null;
    }

    private void Remember(Described described, Guid partnerId) => Remember(described.Keys, partnerId);

    private void Remember(List<string> keys, Guid partnerId)
    {
        foreach (var key in keys)
        {
            _known[key] = partnerId;
        }
    }

    /// <summary>
    /// Holds a live partner until this transaction ends (a share lock on its row), so a concurrent delete
    /// waits and then sees this project naming it; false when it is deleted meanwhile.
    /// </summary>
    private Task<bool> KeepAsync(Guid id, CancellationToken cancellationToken) => lookup.KeepLiveAsync(id, cancellationToken);

    private async Task<Partner?> FindAsync(PartnerDetails details, CancellationToken cancellationToken)
    {
        foreach (var identifier in details.Identifiers)
        {
            var owner = await db.PartnerIdentifiers
                .Where(i => i.Scheme == identifier.Scheme && i.Value == identifier.Value)
                .Select(i => (Guid?)i.PartnerId)
                .FirstOrDefaultAsync(cancellationToken);
            if (owner is not null)
            {
                return await db.Partners.FirstAsync(p => p.Id == owner, cancellationToken);
            }
        }

        var countryKey = Partner.KeyOf(details.Country);
        var nameKeys = NameKeys(details);
        return await db.Partners
            .Where(p => p.DeletedAt == null && p.CountryKey == countryKey && p.NameKeys.Any(k => nameKeys.Contains(k)))
            .OrderBy(p => p.CreatedAt)
            .ThenBy(p => p.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static string[] NameKeys(PartnerDetails details) =>
        [.. details.Name.Values.Select(Partner.NameKey).Where(k => k.Length > 0).Distinct()];

    private static List<string> Keys(PartnerDetails details) => Keys(details, Partner.KeyOf(details.Country), NameKeys(details));

    private static List<string> Keys(PartnerDetails details, string countryKey, string[] nameKeys)
    {
        var keys = details.Identifiers.Select(i => $"partner-id:{i.Scheme}:{i.Value}").ToList();
        keys.AddRange(nameKeys.Select(k => $"partner-name:{countryKey}:{k}"));
        return keys;
    }

    /// <summary>A description with its folded country, name keys and lock keys, worked out once.</summary>
    private sealed class Described
    {
        public Described(PartnerDetails details)
        {
            Details = details;
            CountryKey = Partner.KeyOf(details.Country);
            NameKeys = PartnerResolver.NameKeys(details);
            Keys = PartnerResolver.Keys(details, CountryKey, NameKeys);
        }

        public PartnerDetails Details { get; }

        public string CountryKey { get; }

        public string[] NameKeys { get; }

        public List<string> Keys { get; }
    }
}
