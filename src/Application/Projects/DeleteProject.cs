using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// Deletes a project: its id then answers 410 Gone, the change feed carries a tombstone, and its search rows go. A
/// delete that lost a race (the project restamped or written meanwhile) runs again (<see cref="RegistryResilience.UnitOfWork"/>):
/// without <c>If-Match</c> it then deletes the newer version, with one it answers 412.
/// </summary>
public sealed class DeleteProject(IRegistryDbContext db, IProjectWrites writes, RegistryResilience resilience, TimeProvider clock)
{
    public async Task<Result<long>> HandleAsync(Caller caller, Guid id, Preconditions preconditions, CancellationToken cancellationToken)
    {
        try
        {
            return await resilience.RunAsync(token => AttemptAsync(caller, id, preconditions, token), db.ChangeTracker.Clear, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The project changed while it was being deleted; fetch it again and retry.");
        }
    }

    private async Task<Result<long>> AttemptAsync(Caller caller, Guid id, Preconditions preconditions, CancellationToken cancellationToken)
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
        await writes.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return project.Version;
    }
}
