using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Imports;

/// <summary>
/// Runs an import: the records in batches, each record checked by the same rules as a single write
/// (<see cref="ProjectRequestValidator"/>, <see cref="ProjectRules"/>, <see cref="Project.Update"/> for
/// "unchanged"), but resolved and written set-based per batch. By default every batch is a transaction of its
/// own (a record is written whole or not at all; an interrupted import keeps the batches before it), and two
/// are in flight at once, each on a connection of its own: the next batch is checked and resolved while the one
/// before it is written (<see cref="ImportBatchWriter"/>); outcomes are reported in the body's order all the same.
/// Atomic and dry-run imports run in one transaction, committed only when atomic and every record succeeded.
/// </summary>
public sealed class ImportProjects(
    IRegistryDbContext db,
    IImportStore store,
    IProjectWrites writes,
    ImportBatchWriter writer,
    IServiceScopeFactory scopes,
    RegistryResilience resilience,
    ImportSettings settings,
    TimeProvider clock,
    ImportPhaseLog phaseLog)
{
    public static JsonSerializerOptions ProblemJson { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Runs the import to its end and returns every record's outcome in report order; the import's state says how it ended.</summary>
    public async Task<IReadOnlyList<ImportRecordResponse>> RunAsync(
        Import import, Caller caller, IAsyncEnumerable<RawRecord> items, Func<byte[], (ProjectRequest? Request, IReadOnlyList<FieldError>? Errors)> parse, CancellationToken cancellationToken)
    {
        using var span = phaseLog.StartImport(import.Id);
        import.Start(clock.GetUtcNow());
        await store.SaveStateAsync(import, cancellationToken);
        var run = new ImportRun(caller, parse, await store.ReferenceMarkAsync(cancellationToken));
        var report = new List<ImportOutcome>();
        var single = import.Atomic || import.DryRun;
        IStoreTransaction? whole = single ? await db.BeginTransactionAsync(cancellationToken) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<ImportBatch>(1);
        var producer = PrepareAsync(items, settings.BatchSize, run, batches.Writer, stop.Token);
        await using var second = single ? (AsyncServiceScope?)null : scopes.CreateAsyncScope();
        ImportBatchWriter[] lanes = second is { } scope ? [writer, scope.ServiceProvider.GetRequiredService<ImportBatchWriter>()] : [writer];
        var inFlight = new Queue<(ImportBatch Batch, Task<List<ImportOutcome>> Written)>();
        try
        {
            await WriteBatchesAsync(import, run, lanes, batches.Reader, inFlight, report, stop.Token, cancellationToken);
            await FinishAsync(import, run, whole, report, cancellationToken);
        }
        catch (Exception exception) when (single && resilience.IsRetryable(exception))
        {
            writer.Reset();
            import.Fail("A concurrent write collided with this import, and it was rolled back whole: nothing was written. Send it again.", clock.GetUtcNow());
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
            while (inFlight.TryDequeue(out var abandoned))
            {
                // A batch still in flight when another failed: it stops (rolled back, or committed whole) before its unit of work goes.
                await abandoned.Written.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            if (whole is not null)
            {
                await whole.DisposeAsync();
            }
        }

        await store.SaveStateAsync(import, CancellationToken.None);
        span?.SetTag(ImportTelemetry.RecordsTag, report.Count);
        return [.. report.Select(o => o.Record)];
    }

    /// <summary>
    /// Writes the batches as they are read, on the lanes in turn (one lane, each batch settled before the next, when
    /// the import runs in one transaction); outcomes are settled in the body's order.
    /// </summary>
    private async Task WriteBatchesAsync(
        Import import, ImportRun run, ImportBatchWriter[] lanes, ChannelReader<ImportBatch> batches,
        Queue<(ImportBatch Batch, Task<List<ImportOutcome>> Written)> inFlight, List<ImportOutcome> report, CancellationToken stop, CancellationToken cancellationToken)
    {
        var single = import.Atomic || import.DryRun;
        var batchNumber = 0;
        while (await NextAsync(batches, cancellationToken) is { } batch)
        {
            if (inFlight.Count == lanes.Length)
            {
                await SettleAsync(import, run, inFlight.Dequeue().Written, report, cancellationToken);
            }

            if (inFlight.TryPeek(out var previous))
            {
                // The records of a batch claim their externalIds in the body's order: the next batch starts once
                // the one before it has claimed its own (or has failed).
                await Task.WhenAny(previous.Batch.Staged.Task, previous.Written);
            }

            var lane = lanes[batchNumber++ % lanes.Length];
            inFlight.Enqueue((batch, single
                ? lane.WriteBatchAsync(run, batch, cancellationToken)
                : lane.InTransactionAsync(import.Id, () => lane.WriteBatchAsync(run, batch, stop), stop)));
            if (single)
            {
                await SettleAsync(import, run, inFlight.Dequeue().Written, report, cancellationToken);
            }
        }

        while (inFlight.Count > 0)
        {
            await SettleAsync(import, run, inFlight.Dequeue().Written, report, cancellationToken);
        }
    }

    /// <summary>Prunes when asked (and every record succeeded), ends the import's one transaction if it has one, and completes the import.</summary>
    private async Task FinishAsync(Import import, ImportRun run, IStoreTransaction? whole, List<ImportOutcome> report, CancellationToken cancellationToken)
    {
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
                var pruned = whole is not null
                    ? await PruneAsync(run, position, cancellationToken)
                    : await writer.InTransactionAsync(import.Id, () => PruneAsync(run, position, cancellationToken), cancellationToken);
                run.Settle(pruned);
                report.AddRange(pruned);
            }
        }

        var status = run.Counts.Failed == 0 ? ImportResult.Succeeded : import.Atomic ? ImportResult.RolledBack : ImportResult.PartlyWritten;
        if (whole is not null)
        {
            if (import.DryRun || status == ImportResult.RolledBack)
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

    /// <summary>Reports a written batch, in the body's order, and shows the import's progress.</summary>
    private async Task SettleAsync(Import import, ImportRun run, Task<List<ImportOutcome>> written, List<ImportOutcome> report, CancellationToken cancellationToken)
    {
        var outcomes = await written;
        run.Settle(outcomes);
        report.AddRange(outcomes);
        import.Progress(run.Counts, clock.GetUtcNow());
        using (ImportTelemetry.Phase(ImportPhase.Commit))
        {
            await store.SaveStateAsync(import, cancellationToken);
        }
    }

    /// <summary>The next batch read ahead (null at the end of the body), the wait for it timed as <see cref="ImportPhase.WaitForRead"/>.</summary>
    private static async Task<ImportBatch?> NextAsync(ChannelReader<ImportBatch> batches, CancellationToken cancellationToken)
    {
        using (ImportTelemetry.Phase(ImportPhase.WaitForRead))
        {
            while (await batches.WaitToReadAsync(cancellationToken))
            {
                if (batches.TryRead(out var batch))
                {
                    return batch;
                }
            }

            return null;
        }
    }

    /// <summary>Deletes the live projects of each publisher the import wrote for that its body did not name, as DELETE does (tombstone and feed entry).</summary>
    private async Task<List<ImportOutcome>> PruneAsync(ImportRun run, int position, CancellationToken cancellationToken)
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
                foreach (var project in projects)
                {
                    project.Delete(now);
                    outcomes.Add(Outcome(position + outcomes.Count, null, project.ExternalId, project.Id, ImportRecordStatus.Deleted, null));
                }

                await writes.StampAllAsync(projects, ChangeOperation.Delete, cancellationToken);
                await writes.SaveAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        return outcomes;
    }

    /// <summary>A failed record's outcome: its problem described as the status a single write of it would have answered (<see cref="IFailureProblems"/>).</summary>
    internal static ImportOutcome Failed(IFailureProblems problems, int index, string? externalId, Guid? projectId, Failure failure)
    {
        var described = problems.Describe(failure.Kind);
        var errors = failure.Errors.Count == 0
            ? null
            : failure.Errors.Select(e => new ImportFieldError($"/{index}{e.Pointer}", e.Detail)).ToList();
        return Outcome(index, index, externalId, projectId, ImportRecordStatus.Failed, new ImportRecordProblem(described.Type, described.Title, described.Status, failure.Detail, errors));
    }

    internal static ImportOutcome Outcome(int position, int? index, string? externalId, Guid? projectId, ImportRecordStatus status, ImportRecordProblem? problem) =>
        new(position, new ImportRecordResponse(index, externalId, projectId, status, problem));

    /// <summary>
    /// Reads the body one batch ahead of the writer, on another thread: the work that needs no database (hashing,
    /// and reading and checking each record while the previous batch showed changes) overlaps the previous batch's writes.
    /// </summary>
    private static Task PrepareAsync(IAsyncEnumerable<RawRecord> items, int size, ImportRun run, ChannelWriter<ImportBatch> writer, CancellationToken cancellationToken) =>
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

    private static ImportBatch Prepare(List<RawRecord> records, ImportRun run)
    {
        using var phase = ImportTelemetry.Phase(ImportPhase.Read);
        var expectChanges = run.ExpectChanges;
        return new ImportBatch(
            records,
            [.. records.Select(r => SHA256.HashData(r.Bytes))],
            [.. records.Select(r => expectChanges ? run.Check(r) : ((ProjectRequest?, Result<ProjectInput>)?)null)]);
    }
}
