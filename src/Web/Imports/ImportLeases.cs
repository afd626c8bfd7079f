using System.Collections.Concurrent;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Web.Imports;

/// <summary>
/// This process's hold on its unfinished imports. A heartbeat renews the lease of each import it holds (received and
/// queued, or running) every third of <see cref="ImportSettings.LeaseSeconds"/>, and ends as failed every import whose
/// lease lapsed, this process's or another's: so an import whose process died, hangs, or lost the database reaches
/// an end within a lease and a beat of the database being there, and a live holder's imports are never touched.
/// Every import this process ran is ended here too: its final state saved with retries and backoff (the database may
/// be away), and only then let go. A running import that finishes no batch for <see cref="ImportSettings.StallSeconds"/>
/// is taken as stuck: it is stopped and ended as failed.
/// </summary>
internal sealed class ImportLeases(IServiceScopeFactory scopes, ImportSettings settings, TimeProvider clock, ILogger<ImportLeases> logger) : BackgroundService
{
    public const string LapsedReason =
        "The server that held the import restarted or stopped answering before the import finished (its lease lapsed). Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string StoppedReason =
        "The server stopped while the import ran. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string OutageReason =
        "The database became unavailable while the import ran. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string StalledReason =
        "The import made no progress for too long (Imports:StallSeconds: a batch was stuck) and was stopped. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string UnexpectedReason =
        "The import stopped on an unexpected error. Records of batches committed before are kept, each whole; none is half-written. Send the import again, and quote this import's id when reporting it.";

    private readonly ConcurrentDictionary<Guid, Holding> _held = new();

    /// <summary>This process's name on the leases it holds: host, process id and a per-start suffix.</summary>
    public string Owner { get; } = $"{Bounded(Environment.MachineName, 40)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, settings.LeaseSeconds));

    /// <summary>Holds a received import (queued, or about to run).</summary>
    public void Hold(Guid importId) => _held.TryAdd(importId, new Holding(null, new CancellationTokenSource()));

    /// <summary>Holds an import that starts running; the token is cancelled when it makes no progress for <see cref="ImportSettings.StallSeconds"/>.</summary>
    public CancellationToken Run(Import import) =>
        _held.AddOrUpdate(import.Id, _ => new Holding(import, new CancellationTokenSource()), (_, held) => held with { Import = import }).Stalled.Token;

    /// <summary>Stops renewing an import this process will not run: its lease lapses and a sweep ends it.</summary>
    public void LetGo(Guid importId) => _held.TryRemove(importId, out _);

    /// <summary>Why the import stopped, in words for its note and for the answer to its request.</summary>
    public string ReasonFor(Guid importId, Exception fault, IDatabaseOutages outages) =>
        fault is OperationCanceledException && _held.TryGetValue(importId, out var held) && held.Stalled.IsCancellationRequested
            ? StalledReason
            : ReasonOf(fault, outages);

    /// <summary>
    /// Saves how the import ended (a background step: it retries while the database is away), then lets it go. After
    /// <paramref name="fault"/>, the import is failed with counts from what its committed batches kept, unless it had
    /// completed and only saving that failed. If saving never succeeds, the lease lapses and a sweep ends the import.
    /// </summary>
    public Task EndAsync(Import import, Exception? fault) => Task.Run(async () =>
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var outages = scope.ServiceProvider.GetRequiredService<IDatabaseOutages>();
            var leases = scope.ServiceProvider.GetRequiredService<IImportLeaseStore>();
            if (fault is not null && import.State == ImportState.Completed)
            {
                var store = scope.ServiceProvider.GetRequiredService<IImportStore>();
                await outages.RetryAsync(OutageBudget.Background, async token => await store.SaveStateAsync(import, token), CancellationToken.None);
            }
            else if (fault is not null)
            {
                var reason = ReasonFor(import.Id, fault, outages);
                await outages.RetryAsync(OutageBudget.Background, async token => await leases.FailAsync(import.Id, reason, token), CancellationToken.None);
            }

            await outages.RetryAsync(OutageBudget.Request, async token => await leases.ReleaseAsync(import.Id, Owner, token), CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "How the import {ImportId} ended could not be saved; its lease lapses and a sweep ends it", import.Id);
        }
        finally
        {
            LetGo(import.Id);
        }
    });

    private static string ReasonOf(Exception fault, IDatabaseOutages outages) => fault switch
    {
        _ when outages.IsUnavailable(fault) => OutageReason,
        OperationCanceledException => StoppedReason,
        _ => UnexpectedReason,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var beat = Lease / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            var beaten = await BeatAsync(stoppingToken);
            try
            {
                // After a failed beat, try again soon: the leases must be renewed as soon as the database is back.
                await Task.Delay(beaten ? beat : TimeSpan.FromSeconds(Math.Min(1, beat.TotalSeconds)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> BeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var leases = scope.ServiceProvider.GetRequiredService<IImportLeaseStore>();
            await leases.RenewAsync(Live(), Owner, Lease, stoppingToken);
            var ended = await leases.EndLapsedAsync(LapsedReason, stoppingToken);
            if (ended > 0)
            {
                logger.LogWarning("{Count} imports whose lease lapsed are marked failed", ended);
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The import leases could not be renewed or swept; trying again shortly");
            return false;
        }
    }

    /// <summary>The imports to renew: all held but those running without progress for too long, which are stopped (their lease lapses).</summary>
    private List<Guid> Live()
    {
        var stall = TimeSpan.FromSeconds(Math.Max(1, settings.StallSeconds));
        var live = new List<Guid>(_held.Count);
        foreach (var (id, held) in _held)
        {
            if (held.Import is { State: ImportState.Running } import && clock.GetUtcNow() - import.UpdatedAt > stall)
            {
                if (!held.Stalled.IsCancellationRequested)
                {
                    logger.LogWarning("The import {ImportId} made no progress since {UpdatedAt}: stopping it", id, import.UpdatedAt);
                    held.Stalled.Cancel();
                }

                continue;
            }

            live.Add(id);
        }

        return live;
    }

    /// <summary>An import this process holds: once running, the import itself (its progress shows in <see cref="Import.UpdatedAt"/>).</summary>
    private sealed record Holding(Import? Import, CancellationTokenSource Stalled);

    private static string Bounded(string text, int length) => text.Length > length ? text[..length] : text;
}
