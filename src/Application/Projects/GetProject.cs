using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Projects;

/// <summary>One project by id; a deleted one is gone (410), not missing.</summary>
public sealed class GetProject(IRegistryDbContext db, ProjectReader reader)
{
    public async Task<Result<ProjectResponse>> HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        var state = await db.Projects.Where(p => p.Id == id).Select(p => new { p.DeletedAt }).SingleOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            return Failure.NotFound($"No project has the id {id}.");
        }

        if (state.DeletedAt is not null)
        {
            return Failure.Gone($"The project {id} was deleted on {state.DeletedAt:yyyy-MM-dd}.");
        }

        var read = await reader.ReadAsync([id], cancellationToken);
        return read.Count == 1 ? read[0] : Failure.Gone($"The project {id} was deleted.");
    }

    /// <summary>The current version of a live project, for conditional requests; null when there is none.</summary>
    public Task<long?> VersionAsync(Guid id, CancellationToken cancellationToken) =>
        db.Projects.Where(p => p.Id == id && p.DeletedAt == null).Select(p => (long?)p.Version).SingleOrDefaultAsync(cancellationToken);
}
