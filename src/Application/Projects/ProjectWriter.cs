using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Partners;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Projects;

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
/// and goals, then create, update or nothing (same content: no new version), all in one transaction,
/// stamped, fed and refreshed by <see cref="IProjectWrites"/>. A write that races another on the same natural
/// key is retried (<see cref="RegistryResilience.UnitOfWork"/>), so it ends as an update instead of a failure.
/// </summary>
public sealed class ProjectWriter(
    IRegistryDbContext db,
    IProjectWrites writes,
    RegistryResilience resilience,
    PartnerResolver partners,
    TimeProvider clock)
{
    public Task<Result<Written<Guid>>> WriteAsync(
        Caller caller, ProjectTarget target, ProjectInput input, Preconditions preconditions, CancellationToken cancellationToken) =>
        resilience.RunAsync(
            async token =>
            {
                var result = await TryWriteAsync(caller, target, input, preconditions, token);
                if (result.Failure is not null)
                {
                    Reset();
                }

                return result;
            },
            Reset,
            cancellationToken);

    /// <summary>Nothing a failed attempt staged may leak into the next save of this unit of work.</summary>
    private void Reset()
    {
        db.ChangeTracker.Clear();
        partners.Forget();
    }

    private async Task<Result<Written<Guid>>> TryWriteAsync(
        Caller caller, ProjectTarget target, ProjectInput input, Preconditions preconditions, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
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

        await writes.StampAsync(project, ChangeOperation.Upsert, cancellationToken);
        await writes.SaveAsync(cancellationToken);
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

        var publisher = await ProjectRules.PublisherOfAsync(db, caller, input.Publisher, cancellationToken);
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
            return new List<FieldError> { ProjectRules.ExternalIdRequired };
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

    // One project's links in one round trip: their product is a few dozen rows at most, so no split query.
    private static Task<Project?> Load(IQueryable<Project> query, CancellationToken cancellationToken) =>
        query.AsSingleQuery().Include(p => p.Partners).Include(p => p.FundingMeasures).Include(p => p.Goals).SingleOrDefaultAsync(cancellationToken);

    private async Task<ProjectLinks?> ResolveLinksAsync(ProjectInput input, Guid publisherId, InputChecker check, CancellationToken cancellationToken)
    {
        await partners.LockAsync(input.Partners.Select(p => p.Partner), cancellationToken);
        var partnerIds = new List<Guid?>();
        foreach (var participation in input.Partners)
        {
            partnerIds.Add(await partners.ResolveAsync(participation.Partner, publisherId, check, cancellationToken));
        }

        var measureIds = new List<Guid?>();
        foreach (var reference in input.FundingMeasures)
        {
            measureIds.Add(await (reference.Id is { } byId
                ? db.FundingMeasures.Where(m => m.Id == byId)
                : db.FundingMeasures.Where(m => m.Scheme == reference.Scheme && m.Code == reference.Code)).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(cancellationToken));
        }

        var goalIds = new List<Guid?>();
        foreach (var link in input.Goals)
        {
            var reference = link.Goal;
            goalIds.Add(await (reference.Id is { } byId
                ? db.Goals.Where(g => g.Id == byId)
                : db.Goals.Where(g => g.Scheme == reference.Scheme && g.Code == reference.Code)).Select(g => (Guid?)g.Id).SingleOrDefaultAsync(cancellationToken));
        }

        return ProjectRules.Link(input, partnerIds, measureIds, goalIds, check);
    }
}
