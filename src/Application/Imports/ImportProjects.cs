using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Partners;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Imports;

/// <summary>
/// Runs an import: the records in batches, each record checked by the same rules as a single write
/// (<see cref="ProjectRequestValidator"/>, <see cref="ProjectRules"/>, <see cref="Project.Update"/> for
/// "unchanged"), but resolved and written set-based per batch. By default every batch is a transaction of its
/// own (a record is written whole or not at all; an interrupted import keeps the batches before it); atomic
/// and dry-run imports run in one transaction, committed only when atomic and every record succeeded.
/// </summary>
public sealed class ImportProjects(
    IRegistryDbContext db,
    IImportStore store,
    PartnerResolver partners,
    IProjectSearchIndex searchIndex,
    IUniqueViolationDetector uniqueViolations,
    ImportSettings settings,
    TimeProvider clock,
    ILogger<ImportProjects> logger)
{
    private const int Attempts = 3;

    public static JsonSerializerOptions ProblemJson { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Runs the import to its end and returns every record's outcome in report order; the import's state says how it ended.</summary>
    public async Task<IReadOnlyList<ImportRecordResponse>> RunAsync(
        Import import, Caller caller, IAsyncEnumerable<RawRecord> items, Func<byte[], (ProjectRequest? Request, IReadOnlyList<FieldError>? Errors)> parse, CancellationToken cancellationToken)
    {
        import.Start(clock.GetUtcNow());
        await store.SaveStateAsync(import, cancellationToken);
        var run = new Run(caller, parse, await store.ReferenceMarkAsync(cancellationToken));
        var report = new List<ImportOutcome>();
        var single = import.Atomic || import.DryRun;
        IDbContextTransaction? whole = single ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<Batch>(1);
        var producer = PrepareAsync(items, settings.BatchSize, run, batches.Writer, stop.Token);
        try
        {
            var waited = Stopwatch.GetTimestamp();
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                run.Phases.Lap(ImportPhase.WaitForRead, waited);
                run.Phases.Batches++;
                var outcomes = single
                    ? await WriteBatchAsync(run, batch, cancellationToken)
                    : await InTransactionAsync(import, () => WriteBatchAsync(run, batch, cancellationToken), cancellationToken, run.Phases);
                run.Settle(outcomes);
                report.AddRange(outcomes);
                import.Progress(run.Counts, clock.GetUtcNow());
                var saving = Stopwatch.GetTimestamp();
                await store.SaveStateAsync(import, cancellationToken);
                waited = run.Phases.Lap(ImportPhase.Commit, saving);
            }

            string? note = null;
            if (import.Prune)
            {
                if (run.Counts.Failed > 0)
                {
                    note = $"Nothing was pruned: {run.Counts.Failed} records failed, so the body is not a complete catalogue. Fix them and import again to prune.";
                }
                else
                {
                    var position = report.Count;
                    var pruned = single
                        ? await PruneAsync(run, position, cancellationToken)
                        : await InTransactionAsync(import, () => PruneAsync(run, position, cancellationToken), cancellationToken);
                    run.Settle(pruned);
                    report.AddRange(pruned);
                }
            }

            var status = run.Counts.Failed == 0 ? 200 : import.Atomic ? 422 : 207;
            if (whole is not null)
            {
                if (import.DryRun || status == 422)
                {
                    await whole.RollbackAsync(cancellationToken);
                    note ??= import.DryRun ? "A dry run: nothing was written." : "Atomic, and some records failed: nothing was written.";
                }
                else
                {
                    await whole.CommitAsync(cancellationToken);
                }

                await store.AddOutcomesAsync(import.Id, report, cancellationToken);
            }

            import.Complete(run.Counts, status, note, clock.GetUtcNow());
        }
        catch (Exception exception) when (single && ProjectRules.IsRetryable(exception, uniqueViolations))
        {
            db.ChangeTracker.Clear();
            partners.Forget();
            import.Fail("A concurrent write collided with this import, and it was rolled back whole: nothing was written. Send it again.", clock.GetUtcNow());
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
            if (whole is not null)
            {
                await whole.DisposeAsync();
            }
        }

        await store.SaveStateAsync(import, CancellationToken.None);
        logger.LogDebug("Import {ImportId} of {Records} records took {Phases}", import.Id, report.Count, run.Phases);
        return [.. report.Select(o => o.Record)];
    }

    /// <summary>
    /// Runs one step of a non-atomic import (a batch, or the prune) in a transaction of its own, with its outcomes
    /// in the report; a lost race rolls the step back whole and runs it again.
    /// </summary>
    private async Task<List<ImportOutcome>> InTransactionAsync(Import import, Func<Task<List<ImportOutcome>>> step, CancellationToken cancellationToken, ImportPhases? phases = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var outcomes = await step();
                var reporting = Stopwatch.GetTimestamp();
                await store.AddOutcomesAsync(import.Id, outcomes, cancellationToken);
                var committing = phases?.Lap(ImportPhase.Report, reporting) ?? 0;
                await transaction.CommitAsync(cancellationToken);
                phases?.Lap(ImportPhase.Commit, committing);
                return outcomes;
            }
            catch (Exception exception) when (attempt < Attempts && ProjectRules.IsRetryable(exception, uniqueViolations))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                partners.Forget();
            }
        }
    }

    private sealed record Pending(int Slot, int Index, Guid PublisherId, string ExternalId, ProjectInput Input, InputChecker Check, byte[] Fingerprint);

    /// <summary>Checks, resolves and writes one batch in the open transaction; returns its outcomes in the body's order.</summary>
    private async Task<List<ImportOutcome>> WriteBatchAsync(Run run, Batch prepared, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var batch = prepared.Records;
        var outcomes = new ImportOutcome?[batch.Count];
        var fingerprints = prepared.Fingerprints;
        run.Staged.Clear();
        var lap = Stopwatch.GetTimestamp();
        await SkipUnchangedAsync(run, batch, fingerprints, outcomes, cancellationToken);
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
            var (request, validated) = prepared.Checked[slot] ?? Check(run, item);
            if (validated.Failure is { } invalid)
            {
                outcomes[slot] = Failed(item.Index, request?.ExternalId, null, invalid);
                continue;
            }

            var input = validated.Value!;
            var publisher = await run.PublisherOfAsync(db, input.Publisher, cancellationToken);
            if (publisher.Failure is { } refused)
            {
                outcomes[slot] = Failed(item.Index, input.ExternalId, null, refused);
                continue;
            }

            if (input.ExternalId is not { } externalId)
            {
                outcomes[slot] = Failed(item.Index, null, null, Failure.Invalid([ProjectRules.ExternalIdRequired]));
                continue;
            }

            var key = (publisher.Value, externalId);
            if (run.Seen.TryGetValue(key, out var first) || run.Staged.TryGetValue(key, out first))
            {
                outcomes[slot] = Failed(item.Index, externalId, null, Failure.Conflict(
                    $"The record at index {first} has the externalId '{externalId}' already; an import names each record once."));
                continue;
            }

            run.Staged[key] = item.Index;
            records.Add(new Pending(slot, item.Index, publisher.Value, externalId, input, new InputChecker(), fingerprints[slot]));
        }

        lap = run.Phases.Lap(ImportPhase.Check, lap);
        var existing = await LoadAsync(run, records, cancellationToken);
        await run.ResolveNodesAsync(db, records.Select(r => r.Input), cancellationToken);
        lap = run.Phases.Lap(ImportPhase.Load, lap);
        var linkable = records.Where(r => !r.Input.FundingMeasures.Any(m => run.Measure(m) is null) && !r.Input.Goals.Any(g => run.Goal(g.Goal) is null)).ToHashSet();
        var claims = records.Where(linkable.Contains).SelectMany(r => r.Input.Partners.Select(p => new PartnerClaim(p.Partner, r.PublisherId, r.Check))).ToList();
        var partnerIds = await partners.ResolveBatchAsync(claims, cancellationToken);
        lap = run.Phases.Lap(ImportPhase.Partners, lap);

        var created = new List<Project>();
        var updated = new List<(Project Project, long StoredVersion)>();
        var changed = new List<Project>();
        var written = new List<(Project Project, byte[] Fingerprint)>();
        var claim = 0;
        foreach (var record in records)
        {
            var input = record.Input;
            var resolved = linkable.Contains(record) ? partnerIds.AsSpan(claim, input.Partners.Count).ToArray() : new Guid?[input.Partners.Count];
            claim += linkable.Contains(record) ? input.Partners.Count : 0;
            var links = ProjectRules.Link(input, resolved, [.. input.FundingMeasures.Select(run.Measure)], [.. input.Goals.Select(g => run.Goal(g.Goal))], record.Check);
            existing.TryGetValue((record.PublisherId, record.ExternalId), out var project);
            if (links is null)
            {
                outcomes[record.Slot] = Failed(record.Index, record.ExternalId, project?.Id, Failure.Invalid(record.Check.Errors));
                continue;
            }

            ImportRecordStatus status;
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

            written.Add((project, record.Fingerprint));
            outcomes[record.Slot] = Outcome(record.Index, record.Index, record.ExternalId, project.Id, status, null);
        }

        lap = run.Phases.Lap(ImportPhase.Build, lap);
        await db.SaveChangesAsync(cancellationToken);
        if (changed.Count > 0)
        {
            var numbers = await store.TakeChangeNumbersAsync(changed.Count, cancellationToken);
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
        await store.SaveFingerprintsAsync([.. written.Select(w => (w.Project.Id, w.Project.Version, w.Fingerprint))], run.Mark, cancellationToken);

        db.ChangeTracker.Clear();
        run.Phases.Lap(ImportPhase.Report, lap);
        return [.. outcomes.Select(o => o!)];
    }

    /// <summary>
    /// Reports as unchanged, without reading them further, the records whose bytes are exactly those that gave
    /// their project its current version, while no partner, funding measure or goal changed since (which could
    /// resolve the same words to other records). Anything else takes the full path.
    /// </summary>
    private async Task SkipUnchangedAsync(Run run, IReadOnlyList<RawRecord> batch, byte[][] fingerprints, ImportOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        run.Looked.Clear();
        run.Stored.Clear();
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

            if (firstInBatch.Add((publisherId, externalId)) && !run.Seen.ContainsKey((publisherId, externalId)))
            {
                keys[slot] = (publisherId, externalId);
            }
        }

        foreach (var group in keys.OfType<(Guid PublisherId, string ExternalId)>().GroupBy(k => k.PublisherId))
        {
            var stored = await store.FingerprintsAsync(group.Key, [.. group.Select(k => k.ExternalId)], run.Mark, cancellationToken);
            run.Looked.UnionWith(group);
            run.Stored.UnionWith(stored.Keys.Select(externalId => (group.Key, externalId)));
            for (var slot = 0; slot < batch.Count; slot++)
            {
                if (keys[slot] is { } key && key.PublisherId == group.Key && stored.TryGetValue(key.ExternalId, out var known)
                    && known.Fingerprint is not null && known.Fingerprint.AsSpan().SequenceEqual(fingerprints[slot]))
                {
                    run.Staged[key] = batch[slot].Index;
                    outcomes[slot] = Outcome(batch[slot].Index, batch[slot].Index, key.ExternalId, known.ProjectId, ImportRecordStatus.Unchanged, null);
                }
            }
        }
    }

    /// <summary>The batch's stored projects (deleted ones too), with their links, by publisher and externalId.</summary>
    private async Task<Dictionary<(Guid, string), Project>> LoadAsync(Run run, List<Pending> records, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(Guid, string), Project>();
        foreach (var group in records.GroupBy(r => r.PublisherId))
        {
            var externalIds = group.Where(r => run.Stored.Contains((r.PublisherId, r.ExternalId))).Select(r => r.ExternalId).ToList();
            var unknown = group.Where(r => !run.Looked.Contains((r.PublisherId, r.ExternalId))).Select(r => r.ExternalId).ToList();
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

    /// <summary>Deletes the live projects of each publisher the import wrote for that its body did not name, as DELETE does (tombstone and feed entry).</summary>
    private async Task<List<ImportOutcome>> PruneAsync(Run run, int position, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var outcomes = new List<ImportOutcome>();
        foreach (var publisher in run.Seen.Keys.GroupBy(k => k.PublisherId))
        {
            var named = publisher.Select(k => k.ExternalId).ToHashSet(StringComparer.Ordinal);
            var live = await db.Projects.AsNoTracking().Where(p => p.PublisherId == publisher.Key && p.DeletedAt == null)
                .Select(p => new { p.Id, p.ExternalId }).ToListAsync(cancellationToken);
            foreach (var chunk in live.Where(p => !named.Contains(p.ExternalId)).Select(p => p.Id).Chunk(settings.BatchSize))
            {
                var projects = await db.Projects.Where(p => chunk.Contains(p.Id)).OrderBy(p => p.ExternalId).ToListAsync(cancellationToken);
                var numbers = await store.TakeChangeNumbersAsync(projects.Count, cancellationToken);
                var entries = new List<Change>(projects.Count);
                for (var i = 0; i < projects.Count; i++)
                {
                    projects[i].Delete(now);
                    projects[i].Stamp(numbers[i]);
                    entries.Add(new Change(numbers[i], RecordType.Project, projects[i].Id, ChangeOperation.Delete, projects[i].PublisherId, now));
                    outcomes.Add(Outcome(position + outcomes.Count, null, projects[i].ExternalId, projects[i].Id, ImportRecordStatus.Deleted, null));
                }

                await db.SaveChangesAsync(cancellationToken);
                await store.AddChangesAsync(entries, cancellationToken);
                await searchIndex.RefreshAsync(chunk, cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        return outcomes;
    }

    private static ImportOutcome Failed(int index, string? externalId, Guid? projectId, Failure failure)
    {
        var (status, type, title) = failure.Kind switch
        {
            FailureKind.Forbidden => (403, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4", "Forbidden."),
            FailureKind.Conflict => (409, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10", "The record conflicts with another."),
            _ => (400, "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1", "The record is invalid."),
        };
        var errors = failure.Errors.Count == 0
            ? null
            : failure.Errors.Select(e => new ImportFieldError($"/{index}{e.Pointer}", e.Detail)).ToList();
        return Outcome(index, index, externalId, projectId, ImportRecordStatus.Failed, new ImportRecordProblem(type, title, status, failure.Detail, errors));
    }

    private static ImportOutcome Outcome(int position, int? index, string? externalId, Guid? projectId, ImportRecordStatus status, ImportRecordProblem? problem) =>
        new(position, new ImportRecordResponse(index, externalId, projectId, status, problem));

    /// <summary>A batch as read ahead: its records, their fingerprints, and (when records are expected to change) each read and checked.</summary>
    private sealed record Batch(IReadOnlyList<RawRecord> Records, byte[][] Fingerprints, (ProjectRequest? Request, Result<ProjectInput> Validated)?[] Checked);

    private static (ProjectRequest? Request, Result<ProjectInput> Validated) Check(Run run, RawRecord record)
    {
        var (request, unreadable) = run.Parse(record.Bytes);
        return (request, unreadable is not null ? Failure.Invalid(unreadable) : ProjectRequestValidator.Validate(request!));
    }

    /// <summary>
    /// Reads the body one batch ahead of the writer, on another thread: the work that needs no database (hashing,
    /// and reading and checking each record while the previous batch showed changes) overlaps the previous batch's writes.
    /// </summary>
    private static Task PrepareAsync(IAsyncEnumerable<RawRecord> items, int size, Run run, ChannelWriter<Batch> writer, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            try
            {
                var records = new List<RawRecord>(size);
                await foreach (var item in items.WithCancellation(cancellationToken))
                {
                    records.Add(item);
                    if (records.Count == size)
                    {
                        await writer.WriteAsync(Prepare(records, run), cancellationToken);
                        records = new List<RawRecord>(size);
                    }
                }

                if (records.Count > 0)
                {
                    await writer.WriteAsync(Prepare(records, run), cancellationToken);
                }

                writer.Complete();
            }
            catch (Exception exception)
            {
                writer.Complete(exception);
            }
        }, CancellationToken.None);

    private static Batch Prepare(List<RawRecord> records, Run run)
    {
        var started = Stopwatch.GetTimestamp();
        var expectChanges = run.ExpectChanges;
        var batch = new Batch(
            records,
            [.. records.Select(r => SHA256.HashData(r.Bytes))],
            [.. records.Select(r => expectChanges ? Check(run, r) : ((ProjectRequest?, Result<ProjectInput>)?)null)]);
        run.Phases.Lap(ImportPhase.Read, started);
        return batch;
    }

    /// <summary>What one import remembers across its batches: publishers, measures and goals looked up, records seen, counts.</summary>
    private sealed class Run(Caller caller, Func<byte[], (ProjectRequest? Request, IReadOnlyList<FieldError>? Errors)> parse, long mark)
    {
        private readonly Dictionary<string, Result<Guid>> _publishers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Guid?> _measures = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Guid?> _goals = new(StringComparer.Ordinal);

        /// <summary>The records of the import so far, by publisher and externalId, with the index that named each first.</summary>
        public Dictionary<(Guid PublisherId, string ExternalId), int> Seen { get; } = [];

        /// <summary>The batch's records whose stored projects were looked up while skipping unchanged ones.</summary>
        public HashSet<(Guid PublisherId, string ExternalId)> Looked { get; } = [];

        /// <summary>Of those, the ones that have a stored project (live or deleted).</summary>
        public HashSet<(Guid PublisherId, string ExternalId)> Stored { get; } = [];

        /// <summary>The records of the batch being written, joining <see cref="Seen"/> when it is settled.</summary>
        public Dictionary<(Guid PublisherId, string ExternalId), int> Staged { get; } = [];

        public ImportCounts Counts { get; private set; } = ImportCounts.None;

        public ImportPhases Phases { get; } = new();

        /// <summary>Where partners, funding measures and goals stood when the import started (see <see cref="IImportStore.ReferenceMarkAsync"/>).</summary>
        public long Mark => mark;

        public (ProjectRequest? Request, IReadOnlyList<FieldError>? Errors) Parse(byte[] bytes) => parse(bytes);

        /// <summary>Whether the last batch was mostly records to read in full, so the next is read and checked ahead.</summary>
        public volatile bool ExpectChanges;

        public async Task<Result<Guid>> PublisherOfAsync(IRegistryDbContext db, string? code, CancellationToken cancellationToken)
        {
            var key = code ?? string.Empty;
            if (!_publishers.TryGetValue(key, out var publisher))
            {
                publisher = await ProjectRules.PublisherOfAsync(db, caller, code, cancellationToken);
                _publishers[key] = publisher;
            }

            return publisher;
        }

        public Guid? Measure(NodeReference reference) => _measures.GetValueOrDefault(Key(reference));

        public Guid? Goal(NodeReference reference) => _goals.GetValueOrDefault(Key(reference));

        /// <summary>Looks up, in one query per kind, the funding measures and goals of a batch not looked up before.</summary>
        public async Task ResolveNodesAsync(IRegistryDbContext db, IEnumerable<ProjectInput> inputs, CancellationToken cancellationToken)
        {
            var list = inputs.ToList();
            var measures = list.SelectMany(i => i.FundingMeasures).Where(r => !_measures.ContainsKey(Key(r))).ToList();
            if (measures.Count > 0)
            {
                var ids = measures.Select(r => r.Id).OfType<Guid>().Distinct().ToList();
                var codes = measures.Where(r => r.Id is null).Select(r => r.Code!).Distinct().ToList();
                var rows = await db.FundingMeasures.AsNoTracking().Where(m => ids.Contains(m.Id) || codes.Contains(m.Code))
                    .Select(m => new { m.Id, m.Scheme, m.Code }).ToListAsync(cancellationToken);
                foreach (var reference in measures)
                {
                    _measures[Key(reference)] = rows.Where(m => reference.Id is { } id ? m.Id == id : m.Scheme == reference.Scheme && m.Code == reference.Code)
                        .Select(m => (Guid?)m.Id).FirstOrDefault();
                }
            }

            var goals = list.SelectMany(i => i.Goals).Select(g => g.Goal).Where(r => !_goals.ContainsKey(Key(r))).ToList();
            if (goals.Count > 0)
            {
                var ids = goals.Select(r => r.Id).OfType<Guid>().Distinct().ToList();
                var codes = goals.Where(r => r.Id is null).Select(r => r.Code!).Distinct().ToList();
                var rows = await db.Goals.AsNoTracking().Where(g => ids.Contains(g.Id) || codes.Contains(g.Code))
                    .Select(g => new { g.Id, g.Scheme, g.Code }).ToListAsync(cancellationToken);
                foreach (var reference in goals)
                {
                    _goals[Key(reference)] = rows.Where(g => reference.Id is { } id ? g.Id == id : g.Scheme == reference.Scheme && g.Code == reference.Code)
                        .Select(g => (Guid?)g.Id).FirstOrDefault();
                }
            }
        }

        /// <summary>Counts the outcomes of a committed batch, and remembers its records so a later one naming them again is refused.</summary>
        public void Settle(IEnumerable<ImportOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
            {
                Counts = Counts.Add(outcome.Record.Status);
            }

            foreach (var (key, index) in Staged)
            {
                Seen[key] = index;
            }

            Staged.Clear();
        }

        private static string Key(NodeReference reference) => reference.Id?.ToString() ?? $"{reference.Scheme}\n{reference.Code}";
    }
}
