using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Partners;
using RuralRegistry.Application.Projects;
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
    IProjectWrites writes,
    PartnerResolver partners,
    RegistryResilience resilience,
    IFailureProblems problems,
    TimeProvider clock)
{
    /// <summary>Forgets what the unit of work tracked and resolved, after its transaction was rolled back.</summary>
    public void Reset()
    {
        db.ChangeTracker.Clear();
        partners.Forget();
    }

    /// <summary>
    /// Runs one step of a non-atomic import (a batch, or the prune) in a transaction of its own, with its outcomes
    /// in the report; a lost race rolls the step back whole and runs it again (<see cref="RegistryResilience.ImportBatch"/>).
    /// The step commits only while the import's lease owner still holds it (<see cref="IImportStore.HoldAsync"/>): a
    /// process that lost its lease to another cannot write a batch the other writes too.
    /// </summary>
    public Task<List<ImportOutcome>> InTransactionAsync(Import import, Func<Task<List<ImportOutcome>>> step, CancellationToken cancellationToken) =>
        resilience.RunAsync(
            RegistryResilience.ImportBatch,
            async token =>
            {
                await using var transaction = await db.BeginTransactionAsync(token);
                if (import.LeaseOwner is { } owner)
                {
                    await store.HoldAsync(import.Id, owner, token);
                }

                var outcomes = await step();
                using (ImportTelemetry.Phase(ImportPhase.Report))
                {
                    await store.AddOutcomesAsync(import.Id, outcomes, token);
                }

                using (ImportTelemetry.Phase(ImportPhase.Commit))
                {
                    await transaction.CommitAsync(token);
                }

                return outcomes;
            },
            Reset,
            cancellationToken);

    private sealed record Pending(int Slot, int Index, Guid PublisherId, string ExternalId, ProjectInput Input, InputChecker Check, byte[] Fingerprint);

    /// <summary>A batch on its way: each record's outcome once known (in the body's order), and the records staged by publisher and externalId.</summary>
    private sealed class BatchState(ImportBatch prepared)
    {
        public ImportBatch Prepared => prepared;

        public IReadOnlyList<RawRecord> Records => prepared.Records;

        public ImportOutcome?[] Outcomes { get; } = new ImportOutcome?[prepared.Records.Count];

        public Dictionary<(Guid PublisherId, string ExternalId), int> Staged { get; } = [];
    }

    /// <summary>The projects a batch writes: those that changed (in the body's order), and every one to fingerprint.</summary>
    private sealed record Built(List<BulkProjectWrite> Changed, List<(Project Project, byte[] Fingerprint, bool IsNew)> Written);

    /// <summary>
    /// Checks, resolves and writes one batch in the open transaction; returns its outcomes in the body's order. Once
    /// the batch's records have claimed their externalIds (<see cref="ImportRun.Seen"/>), <see cref="ImportBatch.Staged"/>
    /// is completed: the next batch may then be checked while this one is still resolved and written.
    /// </summary>
    internal async Task<List<ImportOutcome>> WriteBatchAsync(ImportRun run, ImportBatch prepared, CancellationToken cancellationToken)
    {
        using var span = ImportTelemetry.StartBatch();
        var now = clock.GetUtcNow();
        var batch = new BatchState(prepared);
        (HashSet<(Guid, string)> Looked, HashSet<(Guid, string)> Stored) known;
        using (ImportTelemetry.Phase(ImportPhase.Unchanged))
        {
            known = await SkipUnchangedAsync(run, batch, cancellationToken);
        }

        run.ExpectChanges = batch.Outcomes.Count(o => o is not null) < batch.Records.Count / 2;
        List<Pending> records;
        using (ImportTelemetry.Phase(ImportPhase.Check))
        {
            records = await CheckAsync(run, batch, cancellationToken);
        }

        run.Claim(batch.Staged);
        prepared.Staged.TrySetResult();
        Dictionary<(Guid, string), Project> existing;
        using (ImportTelemetry.Phase(ImportPhase.Load))
        {
            existing = await LoadAsync(records, known.Looked, known.Stored, cancellationToken);
            await run.ResolveNodesAsync(db, records.Select(r => r.Input), cancellationToken);
        }

        (HashSet<object> Linkable, Guid?[] PartnerIds) resolved;
        using (ImportTelemetry.Phase(ImportPhase.Partners))
        {
            resolved = await ResolvePartnersAsync(run, records, cancellationToken);
        }

        Built built;
        using (ImportTelemetry.Phase(ImportPhase.Build))
        {
            built = Build(run, records, existing, resolved.Linkable, resolved.PartnerIds, batch.Outcomes, now);
        }

        await WriteAsync(run, built, cancellationToken);
        return [.. batch.Outcomes.Select(o => o!)];
    }

    /// <summary>Writes the batch's projects (stamped, fed and refreshed by the write unit) and their fingerprints.</summary>
    private async Task WriteAsync(ImportRun run, Built built, CancellationToken cancellationToken)
    {
        using (ImportTelemetry.Phase(ImportPhase.Write))
        {
            await writes.WriteBulkAsync(built.Changed, cancellationToken);
        }

        using (ImportTelemetry.Phase(ImportPhase.Refresh))
        {
            await writes.SaveAsync(cancellationToken);
        }

        using (ImportTelemetry.Phase(ImportPhase.Report))
        {
            await store.SaveFingerprintsAsync([.. built.Written.Select(w => (w.Project.Id, w.Project.Version, w.Fingerprint, w.IsNew))], run.Mark, cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Checks the records not reported unchanged (read and checked ahead, or now), their publishers, and that the
    /// import names each once; stages the ones that pass, and reports the others as failed.
    /// </summary>
    private async Task<List<Pending>> CheckAsync(ImportRun run, BatchState batch, CancellationToken cancellationToken)
    {
        var records = new List<Pending>(batch.Records.Count);
        for (var slot = 0; slot < batch.Records.Count; slot++)
        {
            if (batch.Outcomes[slot] is not null)
            {
                continue;
            }

            var item = batch.Records[slot];
            var (request, validated) = batch.Prepared.Checked[slot] ?? run.Check(item);
            if (validated.Failure is { } invalid)
            {
                batch.Outcomes[slot] = ImportProjects.Failed(problems, item.Index, request?.ExternalId, null, invalid);
                continue;
            }

            var input = validated.Value!;
            var publisher = await run.PublisherOfAsync(db, input.Publisher, cancellationToken);
            if (publisher.Failure is { } refused)
            {
                batch.Outcomes[slot] = ImportProjects.Failed(problems, item.Index, input.ExternalId, null, refused);
                continue;
            }

            if (input.ExternalId is not { } externalId)
            {
                batch.Outcomes[slot] = ImportProjects.Failed(problems, item.Index, null, null, Failure.Invalid([ProjectRules.ExternalIdRequired]));
                continue;
            }

            var key = (publisher.Value, externalId);
            if (run.ClaimedByAnother(key, item.Index, out var first) || batch.Staged.TryGetValue(key, out first))
            {
                batch.Outcomes[slot] = ImportProjects.Failed(problems, item.Index, externalId, null, Failure.Conflict(
                    $"The record at index {first} has the externalId '{externalId}' already; an import names each record once."));
                continue;
            }

            batch.Staged[key] = item.Index;
            records.Add(new Pending(slot, item.Index, publisher.Value, externalId, input, new InputChecker(), batch.Prepared.Fingerprints[slot]));
        }

        return records;
    }

    /// <summary>
    /// Resolves (and registers) the partners of the records whose measures and goals all exist, in one pass; returns
    /// those records (by reference: a Pending's own equality would hash the whole record's content at every look-up)
    /// and their partners' ids in order.
    /// </summary>
    private async Task<(HashSet<object> Linkable, Guid?[] PartnerIds)> ResolvePartnersAsync(ImportRun run, List<Pending> records, CancellationToken cancellationToken)
    {
        var linkable = records.Where(r => !r.Input.FundingMeasures.Any(m => run.Measure(m) is null) && !r.Input.Goals.Any(g => run.Goal(g.Goal) is null))
            .ToHashSet<object>(ReferenceEqualityComparer.Instance);
        var claims = records.Where(linkable.Contains).SelectMany(r => r.Input.Partners.Select(p => new PartnerClaim(p.Partner, r.PublisherId, r.Check))).ToList();
        return (linkable, [.. await partners.ResolveBatchAsync(claims, cancellationToken)]);
    }

    /// <summary>Links each record, then creates its project, updates the stored one, or reports it unchanged.</summary>
    private Built Build(
        ImportRun run, List<Pending> records, Dictionary<(Guid, string), Project> existing, HashSet<object> linkable, Guid?[] partnerIds, ImportOutcome?[] outcomes, DateTimeOffset now)
    {
        var built = new Built([], []);
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
                outcomes[record.Slot] = ImportProjects.Failed(problems, record.Index, record.ExternalId, project?.Id, Failure.Invalid(record.Check.Errors));
                continue;
            }

            ImportRecordStatus status;
            var isNew = project is null;
            if (project is null)
            {
                project = Project.Create(record.PublisherId, record.ExternalId, input.Content, links, now);
                built.Changed.Add(new BulkProjectWrite(project, null));
                status = ImportRecordStatus.Created;
            }
            else
            {
                var (wasLive, storedVersion) = (!project.IsDeleted, project.Version);
                var changed = project.Update(input.Content, links, now);
                if (changed)
                {
                    built.Changed.Add(new BulkProjectWrite(project, storedVersion));
                }

                status = !changed ? ImportRecordStatus.Unchanged : wasLive ? ImportRecordStatus.Updated : ImportRecordStatus.Created;
            }

            built.Written.Add((project, record.Fingerprint, isNew));
            outcomes[record.Slot] = ImportProjects.Outcome(record.Index, record.Index, record.ExternalId, project.Id, status, null);
        }

        return built;
    }

    /// <summary>
    /// Reports as unchanged, without reading them further, the records whose bytes are exactly those that gave
    /// their project its current version, while no partner, funding measure or goal changed since (which could
    /// resolve the same words to other records). Anything else takes the full path.
    /// Returns the records whose stored projects were looked up, and of those the ones that have one (live or deleted).
    /// </summary>
    private async Task<(HashSet<(Guid, string)> Looked, HashSet<(Guid, string)> Stored)> SkipUnchangedAsync(
        ImportRun run, BatchState state, CancellationToken cancellationToken)
    {
        var (batch, fingerprints, outcomes, staged) = (state.Records, state.Prepared.Fingerprints, state.Outcomes, state.Staged);
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
