using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Partners;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Imports;

/// <summary>
/// Checks, resolves and writes an import's batches on one unit of work (its own DbContext, and so its own connection
/// and transaction). An import that commits batch by batch runs two of them in turn (see <see cref="ImportProjects"/>),
/// so that one batch is resolved and written while the next is checked and resolved: the API's work and PostgreSQL's
/// overlap on the two cores instead of taking turns.
/// </summary>
public sealed class ImportBatchWriter(
    IRegistryDbContext db,
    IImportStore store,
    IChangeLog changeLog,
    PartnerResolver partners,
    IProjectSearchIndex searchIndex,
    IUniqueViolationDetector uniqueViolations,
    TimeProvider clock)
{
    private const int Attempts = 3;

    /// <summary>Forgets what the unit of work tracked and resolved, after its transaction was rolled back.</summary>
    public void Reset()
    {
        db.ChangeTracker.Clear();
        partners.Forget();
    }

    /// <summary>
    /// Runs one step of a non-atomic import (a batch, or the prune) in a transaction of its own, with its outcomes
    /// in the report; a lost race rolls the step back whole and runs it again.
    /// </summary>
    public async Task<List<ImportOutcome>> InTransactionAsync(Guid importId, Func<Task<List<ImportOutcome>>> step, ImportPhases? phases, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcomes = await step();
                var reporting = Stopwatch.GetTimestamp();
                await store.AddOutcomesAsync(importId, outcomes, cancellationToken);
                var committing = phases?.Lap(ImportPhase.Report, reporting) ?? 0;
                await transaction.CommitAsync(cancellationToken);
                phases?.Lap(ImportPhase.Commit, committing);
                return outcomes;
            }
            catch (Exception exception) when (attempt < Attempts && ProjectRules.IsRetryable(exception, uniqueViolations))
            {
                await transaction.RollbackAsync(cancellationToken);
                Reset();
            }
        }
    }

    private sealed record Pending(int Slot, int Index, Guid PublisherId, string ExternalId, ProjectInput Input, InputChecker Check, byte[] Fingerprint);

    /// <summary>
    /// Checks, resolves and writes one batch in the open transaction; returns its outcomes in the body's order. Once
    /// the batch's records have claimed their externalIds (<see cref="ImportRun.Seen"/>), <see cref="ImportBatch.Staged"/>
    /// is completed: the next batch may then be checked while this one is still resolved and written.
    /// </summary>
    internal async Task<List<ImportOutcome>> WriteBatchAsync(ImportRun run, ImportBatch prepared, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batch = prepared.Records;
        var outcomes = new ImportOutcome?[batch.Count];
        var fingerprints = prepared.Fingerprints;
        var staged = new Dictionary<(Guid PublisherId, string ExternalId), int>();
        var lap = Stopwatch.GetTimestamp();
        var (looked, stored) = await SkipUnchangedAsync(run, batch, fingerprints, outcomes, staged, cancellationToken);
        lap = run.Phases.Lap(ImportPhase.Unchanged, lap);
        run.ExpectChanges = outcomes.Count(o => o is not null) < batch.Count / 2;
        var records = new List<Pending>(batch.Count);
        for (var slot = 0; slot < batch.Count; slot++)
        {
            if (outcomes[slot] is not null)
            {
                continue;
            }

            var item = batch[slot];
            var (request, validated) = prepared.Checked[slot] ?? run.Check(item);
            if (validated.Failure is { } invalid)
            {
                outcomes[slot] = ImportProjects.Failed(item.Index, request?.ExternalId, null, invalid);
                continue;
            }

            var input = validated.Value!;
            var publisher = await run.PublisherOfAsync(db, input.Publisher, cancellationToken);
            if (publisher.Failure is { } refused)
            {
                outcomes[slot] = ImportProjects.Failed(item.Index, input.ExternalId, null, refused);
                continue;
            }

            if (input.ExternalId is not { } externalId)
            {
                outcomes[slot] = ImportProjects.Failed(item.Index, null, null, Failure.Invalid([ProjectRules.ExternalIdRequired]));
                continue;
            }

            var key = (publisher.Value, externalId);
            if (run.ClaimedByAnother(key, item.Index, out var first) || staged.TryGetValue(key, out first))
            {
                outcomes[slot] = ImportProjects.Failed(item.Index, externalId, null, Failure.Conflict(
                    $"The record at index {first} has the externalId '{externalId}' already; an import names each record once."));
                continue;
            }

            staged[key] = item.Index;
            records.Add(new Pending(slot, item.Index, publisher.Value, externalId, input, new InputChecker(), fingerprints[slot]));
        }

        lap = run.Phases.Lap(ImportPhase.Check, lap);
        run.Claim(staged);
        prepared.Staged.TrySetResult();
        var existing = await LoadAsync(records, looked, stored, cancellationToken);
        await run.ResolveNodesAsync(db, records.Select(r => r.Input), cancellationToken);
        lap = run.Phases.Lap(ImportPhase.Load, lap);
        // By reference: a Pending's own equality would hash the whole record's content at every look-up.
        var linkable = records.Where(r => !r.Input.FundingMeasures.Any(m => run.Measure(m) is null) && !r.Input.Goals.Any(g => run.Goal(g.Goal) is null))
            .ToHashSet(ReferenceEqualityComparer.Instance);
        var claims = records.Where(linkable.Contains).SelectMany(r => r.Input.Partners.Select(p => new PartnerClaim(p.Partner, r.PublisherId, r.Check))).ToList();
        var partnerIds = await partners.ResolveBatchAsync(claims, cancellationToken);
        lap = run.Phases.Lap(ImportPhase.Partners, lap);

        var created = new List<Project>();
        var updated = new List<(Project Project, long StoredVersion)>();
        var changed = new List<Project>();
        var written = new List<(Project Project, byte[] Fingerprint, bool IsNew)>();
        var claim = 0;
        foreach (var record in records)
        {
            var input = record.Input;
            var isLinkable = linkable.Contains(record);
            var resolved = isLinkable ? partnerIds.AsSpan(claim, input.Partners.Count).ToArray() : new Guid?[input.Partners.Count];
            claim += isLinkable ? input.Partners.Count : 0;
            var links = ProjectRules.Link(input, resolved, [.. input.FundingMeasures.Select(run.Measure)], [.. input.Goals.Select(g => run.Goal(g.Goal))], record.Check);
            existing.TryGetValue((record.PublisherId, record.ExternalId), out var project);
            if (links is null)
            {
                outcomes[record.Slot] = ImportProjects.Failed(record.Index, record.ExternalId, project?.Id, Failure.Invalid(record.Check.Errors));
                continue;
            }

            ImportRecordStatus status;
            var isNew = project is null;
            if (project is null)
            {
                project = Project.Create(record.PublisherId, record.ExternalId, input.Content, links, now);
                created.Add(project);
                changed.Add(project);
                status = ImportRecordStatus.Created;
            }
            else
            {
                var (wasLive, storedVersion) = (!project.IsDeleted, project.Version);
                if (project.Update(input.Content, links, now))
                {
                    updated.Add((project, storedVersion));
                    changed.Add(project);
                    status = wasLive ? ImportRecordStatus.Updated : ImportRecordStatus.Created;
                }
                else
                {
                    status = ImportRecordStatus.Unchanged;
                }
            }

            written.Add((project, record.Fingerprint, isNew));
            outcomes[record.Slot] = ImportProjects.Outcome(record.Index, record.Index, record.ExternalId, project.Id, status, null);
        }

        lap = run.Phases.Lap(ImportPhase.Build, lap);
        await db.SaveChangesAsync(cancellationToken);
        if (changed.Count > 0)
        {
            var numbers = await changeLog.TakeNumbersAsync(changed.Count, cancellationToken);
            var entries = new List<Change>(changed.Count);
            for (var i = 0; i < changed.Count; i++)
            {
                changed[i].Stamp(numbers[i]);
                entries.Add(new Change(numbers[i], RecordType.Project, changed[i].Id, ChangeOperation.Upsert, changed[i].PublisherId, now));
            }

            await store.WriteProjectsAsync(created, updated, cancellationToken);
            await store.AddChangesAsync(entries, cancellationToken);
            lap = run.Phases.Lap(ImportPhase.Write, lap);
            await searchIndex.RefreshAsync([.. changed.Select(p => p.Id)], cancellationToken);
            lap = run.Phases.Lap(ImportPhase.Refresh, lap);
        }

        lap = run.Phases.Lap(ImportPhase.Write, lap);
        await store.SaveFingerprintsAsync([.. written.Select(w => (w.Project.Id, w.Project.Version, w.Fingerprint, w.IsNew))], run.Mark, cancellationToken);

        db.ChangeTracker.Clear();
        run.Phases.Lap(ImportPhase.Report, lap);
        return [.. outcomes.Select(o => o!)];
    }

    /// <summary>
    /// Reports as unchanged, without reading them further, the records whose bytes are exactly those that gave
    /// their project its current version, while no partner, funding measure or goal changed since (which could
    /// resolve the same words to other records). Anything else takes the full path.
    /// Returns the records whose stored projects were looked up, and of those the ones that have one (live or deleted).
    /// </summary>
    private async Task<(HashSet<(Guid, string)> Looked, HashSet<(Guid, string)> Stored)> SkipUnchangedAsync(
        ImportRun run, IReadOnlyList<RawRecord> batch, byte[][] fingerprints, ImportOutcome?[] outcomes, Dictionary<(Guid PublisherId, string ExternalId), int> staged, CancellationToken cancellationToken)
    {
        var looked = new HashSet<(Guid, string)>();
        var stored = new HashSet<(Guid, string)>();
        var keys = new (Guid PublisherId, string ExternalId)?[batch.Count];
        var firstInBatch = new HashSet<(Guid, string)>();
        for (var slot = 0; slot < batch.Count; slot++)
        {
            var (externalId, publisherCode) = ImportBody.Peek(batch[slot].Bytes);
            if (externalId is null || !Project.IsValidExternalId(externalId, out _))
            {
                continue;
            }

            var publisher = await run.PublisherOfAsync(db, publisherCode, cancellationToken);
            if (publisher.Failure is not null)
            {
                continue;
            }

            var publisherId = publisher.Value;

            if (firstInBatch.Add((publisherId, externalId)) && !run.ClaimedByAnother((publisherId, externalId), batch[slot].Index, out _))
            {
                keys[slot] = (publisherId, externalId);
            }
        }

        foreach (var group in keys.OfType<(Guid PublisherId, string ExternalId)>().GroupBy(k => k.PublisherId))
        {
            var found = await store.FingerprintsAsync(group.Key, [.. group.Select(k => k.ExternalId)], run.Mark, cancellationToken);
            looked.UnionWith(group);
            stored.UnionWith(found.Keys.Select(externalId => (group.Key, externalId)));
            for (var slot = 0; slot < batch.Count; slot++)
            {
                if (keys[slot] is { } key && key.PublisherId == group.Key && found.TryGetValue(key.ExternalId, out var known)
                    && known.Fingerprint is not null && known.Fingerprint.AsSpan().SequenceEqual(fingerprints[slot]))
                {
                    staged[key] = batch[slot].Index;
                    outcomes[slot] = ImportProjects.Outcome(batch[slot].Index, batch[slot].Index, key.ExternalId, known.ProjectId, ImportRecordStatus.Unchanged, null);
                }
            }
        }

        return (looked, stored);
    }

    /// <summary>The batch's stored projects (deleted ones too), with their links, by publisher and externalId.</summary>
    private async Task<Dictionary<(Guid, string), Project>> LoadAsync(
        List<Pending> records, HashSet<(Guid, string)> looked, HashSet<(Guid, string)> stored, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, string), Project>();
        foreach (var group in records.GroupBy(r => r.PublisherId))
        {
            var externalIds = group.Where(r => stored.Contains((r.PublisherId, r.ExternalId))).Select(r => r.ExternalId).ToList();
            var unknown = group.Where(r => !looked.Contains((r.PublisherId, r.ExternalId))).Select(r => r.ExternalId).ToList();
            if (unknown.Count > 0)
            {
                externalIds.AddRange(await db.Projects.AsNoTracking()
                    .Where(p => p.PublisherId == group.Key && unknown.Contains(p.ExternalId)).Select(p => p.ExternalId).ToListAsync(cancellationToken));
            }

            if (externalIds.Count == 0)
            {
                continue;
            }

            var projects = await db.Projects.AsNoTracking().AsSplitQuery()
                .Include(p => p.Partners).Include(p => p.FundingMeasures).Include(p => p.Goals)
                .Where(p => p.PublisherId == group.Key && externalIds.Contains(p.ExternalId))
                .ToListAsync(cancellationToken);
            foreach (var project in projects)
            {
                found[(project.PublisherId, project.ExternalId)] = project;
            }
        }

        return found;
    }
}
