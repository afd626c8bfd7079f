using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Projects;

/// <summary>Deletes a project: its id then answers 410 Gone, and the change feed carries a tombstone.</summary>
public sealed class DeleteProject(IRegistryDbContext db, IChangeLog changes, TimeProvider clock)
{
    public async Task<Result<long>> HandleAsync(Caller caller, Guid id, Preconditions preconditions, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return Failure.NotFound($"No project has the id {id}.");
        }

        if (!caller.MayWriteFor(project.PublisherId))
        {
            return Failure.Forbidden("The project belongs to another publisher; your key may not delete it.");
        }

        if (project.IsDeleted)
        {
            return Failure.Gone($"The project {id} was deleted already.");
        }

        if (preconditions.Check(project.Version) is { } unmet)
        {
            return unmet;
        }

        project.Delete(clock.GetUtcNow());
        project.Stamp(await changes.RecordAsync(RecordType.Project, project.Id, ChangeOperation.Delete, project.PublisherId, cancellationToken));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Failure.Conflict("The project changed while it was being deleted; fetch it again and retry.");
        }

        await transaction.CommitAsync(cancellationToken);
        return project.Version;
    }
}
