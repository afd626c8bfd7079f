using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Projects;

/// <summary>Deletes a project: its id then answers 410 Gone, the change feed carries a tombstone, and its search rows go.</summary>
public sealed class DeleteProject(IRegistryDbContext db, IProjectWrites writes, TimeProvider clock)
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
        await writes.StampAsync(project, ChangeOperation.Delete, cancellationToken);
        try
        {
            await writes.SaveAsync(cancellationToken);
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
