using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Partners;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Projects;

/// <summary>Which record a project write is aimed at.</summary>
public abstract record ProjectTarget
{
    /// <summary>A new record (POST): its external id comes in the body.</summary>
    public sealed record New : ProjectTarget;

    /// <summary>An existing record by its server id (PUT, PATCH).</summary>
    public sealed record ById(Guid Id) : ProjectTarget;

    /// <summary>Create-or-replace by the publisher's own id (PUT /external/{externalId}).</summary>
    public sealed record ByExternalId(string ExternalId) : ProjectTarget;
}

/// <summary>
/// The one path every project write takes: ownership, preconditions, resolution of partners, measures
/// and goals, then create, update or nothing (same content: no new version), all in one transaction.
/// A write that races another on the same natural key is retried, so it ends as an update instead of
/// a failure.
/// </summary>
public sealed class ProjectWriter(
    IRegistryDbContext db,
    IChangeLog changes,
    IUniqueViolationDetector uniqueViolations,
    PartnerResolver partners,
    IProjectSearchIndex searchIndex,
    TimeProvider clock)
{
    private const int Attempts = 3;

    public async Task<Result<Written<Guid>>> WriteAsync(
        Caller caller, ProjectTarget target, ProjectInput input, Preconditions preconditions, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await TryWriteAsync(caller, target, input, preconditions, cancellationToken);
                if (result.Failure is not null)
                {
                    Reset();
                }

                return result;
            }
            catch (Exception exception) when (attempt < Attempts
                && (exception is DbUpdateConcurrencyException
                    || (exception is DbUpdateException update && uniqueViolations.IsUniqueViolation(update))
                    || uniqueViolations.IsTransient(exception)))
            {
                Reset();
            }
        }
    }

    /// <summary>Nothing a failed attempt staged may leak into the next save of this unit of work.</summary>
    private void Reset()
    {
        db.ChangeTracker.Clear();
        partners.Forget();
    }

    private async Task<Result<Written<Guid>>> TryWriteAsync(
        Caller caller, ProjectTarget target, ProjectInput input, Preconditions preconditions, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var located = await LocateAsync(caller, target, input, cancellationToken);
        if (located.Failure is { } failure)
        {
            return failure;
        }

        var (publisherId, externalId, project) = located.Value!;
        var live = project is { IsDeleted: false } ? project : null;
        if (preconditions.Check(live?.Version) is { } unmet)
        {
            return unmet;
        }

        var check = new InputChecker();
        var links = await ResolveLinksAsync(input, publisherId, check, cancellationToken);
        if (!check.IsValid)
        {
            return check.Errors;
        }

        var now = clock.GetUtcNow();
        WriteStatus status;
        if (project is null)
        {
            project = Project.Create(publisherId, externalId, input.Content, links!, now);
            db.Projects.Add(project);
            status = WriteStatus.Created;
        }
        else if (project.Update(input.Content, links!, now))
        {
            status = live is null ? WriteStatus.Created : WriteStatus.Updated;
        }
        else
        {
            return new Written<Guid>(project.Id, WriteStatus.Unchanged);
        }

        project.Stamp(await changes.RecordAsync(RecordType.Project, project.Id, ChangeOperation.Upsert, publisherId, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await searchIndex.RefreshAsync([project.Id], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Written<Guid>(project.Id, status);
    }

    private sealed record Located(Guid PublisherId, string ExternalId, Project? Project);

    private async Task<Result<Located>> LocateAsync(Caller caller, ProjectTarget target, ProjectInput input, CancellationToken cancellationToken)
    {
        if (target is ProjectTarget.ById byId)
        {
            var existing = await Load(db.Projects.Where(p => p.Id == byId.Id), cancellationToken);
            if (existing is null)
            {
                return Failure.NotFound($"No project has the id {byId.Id}.");
            }

            if (!caller.MayWriteFor(existing.PublisherId))
            {
                return Failure.Forbidden("The project belongs to another publisher; your key may not change it.");
            }

            if (existing.IsDeleted)
            {
                return Failure.Gone($"The project {byId.Id} was deleted. To bring it back, PUT it to /v1/projects/external/{{externalId}}.");
            }

            var errors = new List<FieldError>();
            var code = await db.Publishers.Where(p => p.Id == existing.PublisherId).Select(p => p.Code).SingleAsync(cancellationToken);
            if (input.Publisher is not null && input.Publisher != code)
            {
                errors.Add(FieldError.Body("/publisher", $"A project's publisher never changes; this one belongs to '{code}'."));
            }

            if (input.ExternalId is not null && input.ExternalId != existing.ExternalId)
            {
                errors.Add(FieldError.Body("/externalId", $"A project's externalId never changes; this one is '{existing.ExternalId}'."));
            }

            return errors.Count > 0 ? errors : new Located(existing.PublisherId, existing.ExternalId, existing);
        }

        var publisher = await PublisherOfAsync(caller, input.Publisher, cancellationToken);
        if (publisher.Failure is { } failure)
        {
            return failure;
        }

        var publisherId = publisher.Value;
        string externalId;
        if (target is ProjectTarget.ByExternalId byExternalId)
        {
            if (!Project.IsValidExternalId(byExternalId.ExternalId, out var error))
            {
                return new List<FieldError> { FieldError.Query("externalId", error!) };
            }

            if (input.ExternalId is not null && input.ExternalId != byExternalId.ExternalId)
            {
                return new List<FieldError> { FieldError.Body("/externalId", "The body's externalId differs from the one in the URL; leave it out or make them equal.") };
            }

            externalId = byExternalId.ExternalId;
        }
        else if (input.ExternalId is null)
        {
            return new List<FieldError> { FieldError.Body("/externalId", "Required: your own id of the project, e.g. its project number.") };
        }
        else
        {
            externalId = input.ExternalId;
        }

        var project = await Load(db.Projects.Where(p => p.PublisherId == publisherId && p.ExternalId == externalId), cancellationToken);
        if (target is ProjectTarget.New && project is { IsDeleted: false })
        {
            return Failure.Conflict($"This publisher has a project with the externalId '{externalId}' already ({project.Id}); PUT /v1/projects/external/{{externalId}} replaces it.");
        }

        return new Located(publisherId, externalId, project);
    }

    private async Task<Result<Guid>> PublisherOfAsync(Caller caller, string? publisherCode, CancellationToken cancellationToken)
    {
        if (publisherCode is null)
        {
            return caller.PublisherId is { } own
                ? own
                : new List<FieldError> { FieldError.Body("/publisher", "Required when an admin writes: the code of the publisher the project belongs to.") };
        }

        // A value that cannot be a code (control characters among them) is never looked up.
        var publisherId = PublisherCode.TryCreate(publisherCode, out _, out _)
            ? await db.Publishers.Where(p => p.Code == publisherCode).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (publisherId is null)
        {
            return new List<FieldError> { FieldError.Body("/publisher", $"No publisher has the code '{publisherCode}'.") };
        }

        return caller.MayWriteFor(publisherId)
            ? publisherId.Value
            : Failure.Forbidden($"Your key may not write records of the publisher '{publisherCode}'.");
    }

    private static Task<Project?> Load(IQueryable<Project> query, CancellationToken cancellationToken) =>
        query.Include(p => p.Partners).Include(p => p.FundingMeasures).Include(p => p.Goals).SingleOrDefaultAsync(cancellationToken);

    private async Task<ProjectLinks?> ResolveLinksAsync(ProjectInput input, Guid publisherId, InputChecker check, CancellationToken cancellationToken)
    {
        await partners.LockAsync(input.Partners.Select(p => p.Partner), cancellationToken);
        var participations = new List<Participation>();
        var seenPartners = new HashSet<Guid>();
        foreach (var participation in input.Partners)
        {
            var partnerId = await partners.ResolveAsync(participation.Partner, publisherId, check, cancellationToken);
            if (partnerId is null)
            {
                continue;
            }

            if (!seenPartners.Add(partnerId.Value))
            {
                check.Fail(participation.Partner.Pointer, $"This names the partner {partnerId} again; a partner takes part in a project once (give it the role that matters most).");
                continue;
            }

            participations.Add(new Participation(partnerId.Value, participation.Role, participation.BudgetShare));
        }

        var measures = new List<Guid>();
        foreach (var reference in input.FundingMeasures)
        {
            var id = await (reference.Id is { } byId
                ? db.FundingMeasures.Where(m => m.Id == byId)
                : db.FundingMeasures.Where(m => m.Scheme == reference.Scheme && m.Code == reference.Code)).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                check.Fail(reference.Pointer, $"No funding measure is {reference}; GET /v1/funding-measures lists them.");
            }
            else if (measures.Contains(id.Value))
            {
                check.Fail(reference.Pointer, $"The funding measure {reference} is named twice.");
            }
            else
            {
                measures.Add(id.Value);
            }
        }

        var goals = new List<GoalLink>();
        foreach (var link in input.Goals)
        {
            var reference = link.Goal;
            var id = await (reference.Id is { } byId
                ? db.Goals.Where(g => g.Id == byId)
                : db.Goals.Where(g => g.Scheme == reference.Scheme && g.Code == reference.Code)).Select(g => (Guid?)g.Id).SingleOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                check.Fail(reference.Pointer, $"No goal is {reference}; GET /v1/goals lists them.");
            }
            else if (goals.Exists(g => g.GoalId == id))
            {
                check.Fail(reference.Pointer, $"The goal {reference} is named twice.");
            }
            else
            {
                goals.Add(new GoalLink(id.Value, link.Relevance));
            }
        }

        return check.IsValid ? new ProjectLinks(participations.ToValueList(), measures.ToValueList(), goals.ToValueList()) : null;
    }
}
