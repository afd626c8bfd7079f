namespace RuralRegistry.Application.Abstractions;

/// <summary>
/// The columns that lists, search and statistics filter on (countries, measures with their ancestors,
/// partner names, the text search document, ...) are derived from a project's content and links.
/// Every path that writes projects calls this, inside the same transaction and after the rows are saved,
/// with the ids of the projects it created, updated or deleted.
/// </summary>
public interface IProjectSearchIndex
{
    Task RefreshAsync(IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken);

    /// <summary>After a partner's name or country changed: the projects it takes part in.</summary>
    Task RefreshForPartnerAsync(Guid partnerId, CancellationToken cancellationToken);

    /// <summary>After a funding measure moved in its hierarchy: the projects under it.</summary>
    Task RefreshForMeasureAsync(Guid measureId, CancellationToken cancellationToken);

    /// <summary>After a goal moved in its hierarchy: the projects under it.</summary>
    Task RefreshForGoalAsync(Guid goalId, CancellationToken cancellationToken);
}
