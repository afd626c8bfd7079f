using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Application.Partners;

/// <summary>
/// Finds the partner a write names, so the same organisation is one partner however it is named:
/// by id; else by any of its identifiers; else by a name in the same country (case and diacritics
/// aside); else registers it, owned by the writing publisher. Writers that might register the same
/// organisation at once are serialised by a lock on its identifiers and name, so none is made twice.
/// Lives for one unit of work and remembers what it resolved, new partners included.
/// </summary>
public sealed class PartnerResolver(IRegistryDbContext db, IChangeLog changes, TimeProvider clock)
{
    private readonly Dictionary<string, Partner> _known = new(StringComparer.Ordinal);

    public void Forget() => _known.Clear();

    /// <summary>
    /// Takes, in one sorted order, the locks of every organisation a write describes, so two writes naming
    /// the same organisations in different orders wait for each other instead of deadlocking.
    /// </summary>
    public async Task LockAsync(IEnumerable<PartnerReference> references, CancellationToken cancellationToken)
    {
        var keys = references.Where(r => r.Details is not null).SelectMany(r => Keys(r.Details!)).Distinct().Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            await changes.LockAsync(key, cancellationToken);
        }
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
                return seen.Id;
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
            _known[key] = found;
        }

        return found.Id;
    }

    /// <summary>
    /// Holds a live partner until this transaction ends (a share lock on its row), so a concurrent delete
    /// waits and then sees this project naming it; false when it is deleted meanwhile.
    /// </summary>
    private async Task<bool> KeepAsync(Guid id, CancellationToken cancellationToken) =>
        (await db.Database
            .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM registry.partners WHERE id = {id} AND deleted_at IS NULL FOR SHARE")
            .ToListAsync(cancellationToken)).Count == 1;

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

    private static List<string> Keys(PartnerDetails details)
    {
        var country = Partner.KeyOf(details.Country);
        var keys = details.Identifiers.Select(i => $"partner-id:{i.Scheme}:{i.Value}").ToList();
        keys.AddRange(NameKeys(details).Select(k => $"partner-name:{country}:{k}"));
        return keys;
    }
}
