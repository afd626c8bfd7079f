using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// The front door's figures: the live projects (the derived search rows hold exactly those), the publishers, and the
/// distinct countries and languages of live projects; the newest changes with their project's title.
/// </summary>
internal sealed class RegistrySummaryQuery(RegistryDbContext db) : IRegistrySummary
{
    public async Task<RegistryCounts> CountsAsync(CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<RegistryCounts>($"""
            SELECT (SELECT count(*) FROM {RegistryDbContext.Schema}.project_search) AS projects,
                   (SELECT count(*) FROM {RegistryDbContext.Schema}.publishers) AS publishers,
                   (SELECT count(DISTINCT c) FROM {RegistryDbContext.Schema}.project_search s, unnest(s.countries) c) AS countries,
                   (SELECT count(DISTINCT l) FROM {RegistryDbContext.Schema}.projects p, unnest(p.languages) l WHERE p.deleted_at IS NULL) AS languages
            """).ToListAsync(cancellationToken)).Single();

    public async Task<IReadOnlyList<RecentChange>> LatestChangesAsync(int count, CancellationToken cancellationToken)
    {
        var changes = await db.Changes.AsNoTracking()
            .OrderByDescending(c => c.Sequence)
            .Take(count)
            .Select(c => new { c.Sequence, c.RecordType, c.RecordId, c.Operation, c.OccurredAt, Publisher = db.Publishers.Where(p => p.Id == c.PublisherId).Select(p => p.Code).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var projectIds = changes.Where(c => c.RecordType == RecordType.Project).Select(c => c.RecordId).Distinct().ToArray();
        var titles = projectIds.Length == 0 ? [] : await db.Database.SqlQuery<ProjectTitle>($"""
            SELECT id AS id, (content -> 'title')::text AS title, content ->> 'originalLanguage' AS original_language
              FROM registry.projects WHERE id = ANY({projectIds}) AND deleted_at IS NULL
            """).ToListAsync(cancellationToken);
        var byId = titles.ToDictionary(t => t.Id);
        return [.. changes.Select(c => byId.TryGetValue(c.RecordId, out var title)
            ? new RecentChange(c.Sequence, c.RecordType, c.RecordId, c.Operation, c.OccurredAt, c.Publisher, title.Title is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(title.Title), title.OriginalLanguage)
            : new RecentChange(c.Sequence, c.RecordType, c.RecordId, c.Operation, c.OccurredAt, c.Publisher, null, null))];
    }

    private sealed record ProjectTitle(Guid Id, string? Title, string? OriginalLanguage);
}
