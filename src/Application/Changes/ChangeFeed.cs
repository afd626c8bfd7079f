using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Goals;
using RuralRegistry.Application.Partners;
using RuralRegistry.Domain.Changes;

namespace RuralRegistry.Application.Changes;

public sealed record ChangesQuery(long? After, IReadOnlyList<string> Types, string? Publisher, bool IncludeRecord, int? PageSize);

/// <summary>One change of one record.</summary>
/// <param name="Sequence">The change's number in the registry's one change sequence; also the record's version after it.</param>
/// <param name="Type">The record's type.</param>
/// <param name="Id">The record's id.</param>
/// <param name="Operation"><c>upsert</c> (created or changed) or <c>delete</c> (a tombstone).</param>
/// <param name="OccurredAt">When the change was made (UTC).</param>
/// <param name="Version">The record's version after the change (equal to the sequence number).</param>
/// <param name="Publisher">The code of the publisher that owns the record, when it has one.</param>
/// <param name="Record">With <c>include=record</c>: the record's current representation (null once deleted).</param>
public sealed record ChangeEntry(
    long Sequence, RecordType Type, Guid Id, ChangeOperation Operation, DateTimeOffset OccurredAt, long Version, string? Publisher, object? Record);

/// <summary>A page of the change feed.</summary>
/// <param name="Items">Changes in commit-safe sequence order.</param>
/// <param name="ResumeAfter">The cursor to send as <c>after</c> next time: every change up to it has been handed out (or filtered out).</param>
/// <param name="HasMore">Whether more changes are available right away.</param>
public sealed record ChangePage(IReadOnlyList<ChangeEntry> Items, long ResumeAfter, bool HasMore);

/// <summary>
/// The change feed: every create, update and delete in sequence order, resumable from a cursor, never
/// skipping a change. Only numbers below the settled bound are handed out, so a transaction that took
/// a lower number and commits late is never jumped over.
/// </summary>
public sealed class ChangeFeed(
    IRegistryDbContext db, IChangeFeedStore store, PartnerQueries partners,
    FundingMeasureService measures, GoalService goals)
{
    public const string ParameterAfter = "after";

    private static readonly Dictionary<string, RecordType> TypeNames = new(StringComparer.Ordinal)
    {
        ["project"] = RecordType.Project,
        ["partner"] = RecordType.Partner,
        ["funding-measure"] = RecordType.FundingMeasure,
        ["goal"] = RecordType.Goal,
    };

    public async Task<Result<ChangePage>> ReadAsync(ChangesQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var after = query.After ?? 0;
        if (after < 0)
        {
            errors.Add(FieldError.Query(ParameterAfter, "after is a change number from an earlier page (0 to start from the beginning)."));
        }

        var types = new List<RecordType>();
        foreach (var name in query.Types)
        {
            if (TypeNames.TryGetValue(name, out var type))
            {
                types.Add(type);
            }
            else
            {
                errors.Add(FieldError.Query("type", $"'{name}' is not a record type; use {string.Join(", ", TypeNames.Keys)}."));
            }
        }

        Guid? publisherId = null;
        if (query.Publisher is not null)
        {
            publisherId = await db.Publishers.Where(p => p.Code == query.Publisher).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
            if (publisherId is null)
            {
                errors.Add(FieldError.Query("publisher", $"No publisher has the code '{query.Publisher}'."));
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        // The bound, then the pruned-through mark and the page in one snapshot: retention's delete and its mark commit
        // together, so a page read with a mark at or below the cursor lacks no entry above it.
        var page = await store.PageAsync(after, types, publisherId, size + 1, query.IncludeRecord, cancellationToken);
        ChangeFeedTelemetry.Read(after, page.Bound);
        if (after < page.PrunedThrough)
        {
            return Failure.Gone(
                $"Changes up to {page.PrunedThrough} are no longer kept, so the feed cannot resume after {after}. " +
                "Load a fresh export (its Registry-Change-Cursor header says where to resume) and follow the feed from there.");
        }

        var bound = page.Bound;
        var rows = page.Rows;
        var hasMore = rows.Count > size;
        if (hasMore)
        {
            rows.RemoveAt(size);
        }

        var records = query.IncludeRecord ? await RecordsAsync(rows, cancellationToken) : [];
        var items = rows.Select(r => new ChangeEntry(
            r.Change.Sequence, r.Change.RecordType, r.Change.RecordId, r.Change.Operation, r.Change.OccurredAt, r.Change.Sequence, r.Publisher,
            records.GetValueOrDefault((r.Change.RecordType, r.Change.RecordId)))).ToList();

        // Without more rows right now, everything below the bound has been looked at, filters or not.
        var resumeAfter = hasMore ? items[^1].Sequence : Math.Max(after, bound - 1);
        return new ChangePage(items, resumeAfter, hasMore);
    }

    /// <summary>The entries' records: projects' as the page read them; partners', measures' and goals' one read per type.</summary>
    private async Task<Dictionary<(RecordType, Guid), object?>> RecordsAsync(IReadOnlyList<ChangeFeedRow> rows, CancellationToken cancellationToken)
    {
        var records = new Dictionary<(RecordType, Guid), object?>();
        foreach (var row in rows.Where(r => r.Body is not null))
        {
            records[(RecordType.Project, row.Change.RecordId)] = row.Body;
        }

        var live = rows.Select(r => r.Change).Where(c => c.Operation == ChangeOperation.Upsert && c.RecordType != RecordType.Project)
            .Select(c => (c.RecordType, c.RecordId)).Distinct().ToList();
        // Partners, measures and goals: one read per type for the whole page, not one per entry.
        var partnerBodies = await partners.GetManyAsync(IdsOf(live, RecordType.Partner), cancellationToken);
        var measureBodies = await measures.GetManyAsync(IdsOf(live, RecordType.FundingMeasure), cancellationToken);
        var goalBodies = await goals.GetManyAsync(IdsOf(live, RecordType.Goal), cancellationToken);
        foreach (var (type, id) in live)
        {
            records[(type, id)] = type switch
            {
                RecordType.Partner => partnerBodies.GetValueOrDefault(id),
                RecordType.FundingMeasure => measureBodies.GetValueOrDefault(id),
                _ => goalBodies.GetValueOrDefault(id),
            };
        }

        return records;
    }

    private static List<Guid> IdsOf(List<(RecordType Type, Guid Id)> keys, RecordType type) => [.. keys.Where(k => k.Type == type).Select(k => k.Id)];
}
