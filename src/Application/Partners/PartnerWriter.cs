using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Application.Partners;

/// <summary>
/// Registers, replaces and deletes partners. A partner belongs to the publisher that registered it:
/// other publishers' projects may name it, but only its owner or an admin may change or delete it.
/// </summary>
public sealed class PartnerWriter(IRegistryDbContext db, IPartnerLookup lookup, IChangeLog changes, IUniqueViolationDetector uniqueViolations, IProjectWrites projectWrites, TimeProvider clock)
{
    public static Result<PartnerDetails> Validate(PartnerRequest request)
    {
        var check = new InputChecker();
        var details = ProjectRequestValidator.PartnerDetailsOf(
            check, request.Name, request.Acronym, request.Kind, request.Country, request.Region, request.Website, request.Email, request.Identifiers, string.Empty);
        return details is null ? check.Errors : details;
    }

    public async Task<Result<Written<Guid>>> CreateAsync(Caller caller, PartnerDetails details, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var partner = Partner.Create(caller.PublisherId, details, clock.GetUtcNow());
        if (await IdentifierConflictAsync(partner.Id, details, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        db.Partners.Add(partner);
        partner.Stamp(await changes.RecordAsync(RecordType.Partner, partner.Id, ChangeOperation.Upsert, caller.PublisherId, cancellationToken));
        return await SaveAsync(transaction, new Written<Guid>(partner.Id, WriteStatus.Created), cancellationToken);
    }

    public async Task<Result<Written<Guid>>> ReplaceAsync(Caller caller, Guid id, PartnerDetails details, Preconditions preconditions, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var found = await LoadOwnedAsync(caller, id, preconditions, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var partner = found.Value!;
        if (await IdentifierConflictAsync(partner.Id, details, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        var shownAlike = partner.Details.ShowsInProjectsAs(details);
        if (!partner.Update(details, clock.GetUtcNow()))
        {
            return new Written<Guid>(partner.Id, WriteStatus.Unchanged);
        }

        partner.Stamp(await changes.RecordAsync(RecordType.Partner, partner.Id, ChangeOperation.Upsert, partner.OwnerPublisherId, cancellationToken));
        return await SaveAsync(transaction, new Written<Guid>(partner.Id, WriteStatus.Updated), cancellationToken, restampProjects: !shownAlike);
    }

    public async Task<Result<long>> DeleteAsync(Caller caller, Guid id, Preconditions preconditions, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var found = await LoadOwnedAsync(caller, id, preconditions, cancellationToken);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var partner = found.Value!;

        // Projects naming the partner hold a share lock on it until they commit: wait for them, then count.
        await lookup.LockForUpdateAsync(id, cancellationToken);
        var projects = await db.Projects.CountAsync(p => p.DeletedAt == null && p.Partners.Any(pp => pp.PartnerId == id), cancellationToken);
        if (projects > 0)
        {
            return Failure.Conflict($"{projects} project(s) name this partner; remove it from them first (GET /v1/partners/{id}/projects lists them).");
        }

        partner.Delete(clock.GetUtcNow());
        partner.Stamp(await changes.RecordAsync(RecordType.Partner, partner.Id, ChangeOperation.Delete, partner.OwnerPublisherId, cancellationToken));
        var saved = await SaveAsync(transaction, new Written<Guid>(partner.Id, WriteStatus.Updated), cancellationToken);
        return saved.Failure is { } saveFailure ? saveFailure : partner.Version;
    }

    private async Task<Result<Partner>> LoadOwnedAsync(Caller caller, Guid id, Preconditions preconditions, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.Include(p => p.IdentifierRows).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return Failure.NotFound($"No partner has the id {id}.");
        }

        if (!caller.IsAdmin && (partner.OwnerPublisherId is null || partner.OwnerPublisherId != caller.PublisherId))
        {
            return Failure.Forbidden("The partner was registered by another publisher; only it (or an admin) may change it. Your projects may still name it.");
        }

        if (partner.IsDeleted)
        {
            return Failure.Gone($"The partner {id} was deleted.");
        }

        return preconditions.Check(partner.Version) is { } unmet ? unmet : partner;
    }

    private async Task<Failure?> IdentifierConflictAsync(Guid partnerId, PartnerDetails details, CancellationToken cancellationToken)
    {
        foreach (var (identifier, index) in details.Identifiers.Select((x, i) => (x, i)))
        {
            var holder = await db.PartnerIdentifiers
                .Where(i => i.Scheme == identifier.Scheme && i.Value == identifier.Value && i.PartnerId != partnerId)
                .Select(i => (Guid?)i.PartnerId)
                .FirstOrDefaultAsync(cancellationToken);
            if (holder is not null)
            {
                return Failure.Conflict($"The identifier {identifier.Scheme}:{identifier.Value} (/identifiers/{index}) belongs to the partner {holder} already.");
            }
        }

        return null;
    }

    /// <summary>
    /// Saves the partner and commits; with <paramref name="restampProjects"/> (the projects that name it now show
    /// something else of it) those projects get new versions in the same transaction, and their search rows (which
    /// hold its name and country) are refreshed.
    /// </summary>
    private async Task<Result<Written<Guid>>> SaveAsync(
        IStoreTransaction transaction, Written<Guid> written, CancellationToken cancellationToken, bool restampProjects = false)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || uniqueViolations.IsUniqueViolation(exception))
        {
            db.ChangeTracker.Clear();
            return Failure.Conflict("The partner, or one of its identifiers, changed at the same time; fetch it again and retry.");
        }

        if (restampProjects)
        {
            // Projects show and search their partners' names and countries. The partner's row is written (and locked)
            // by now, and projects naming it hold a share lock on it while they write: every project that names it
            // when this commits is restamped.
            await projectWrites.RestampAsync(new ProjectRestamp.NamingPartner(written.Value), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return written;
    }
}
