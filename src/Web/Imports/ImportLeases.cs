using System.Collections.Concurrent;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Web.Imports;

/// <summary>
/// This process's hold on the imports it runs. A heartbeat renews the lease of each (every third of
/// <see cref="ImportSettings.LeaseSeconds"/>); an import whose lease another process took over (this one's lapsed: it
/// hung, or lost the database longer than a lease) is stopped here, writing nothing more. Every import this process ran
/// is ended here: completed, failed (its final state saved with retries and backoff, the database may be away), or
/// handed back (the process stops, or a background run lost the database), so that any process claims it at once and
/// goes on from its first uncommitted batch. An unfinished import whose lease lapsed and whose body is not kept (so
/// that no process can take it over) is ended as failed by the first heartbeat that sees it. A running import that finishes no batch for
/// <see cref="ImportSettings.StallSeconds"/> is taken as stuck: it is stopped and ended as failed. The heartbeat also
/// sweeps bodies left by imports that ended without deleting theirs.
/// </summary>
internal sealed class ImportLeases(IServiceScopeFactory scopes, ImportSettings settings, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<ImportLeases> logger) : BackgroundService
{
    public const string LapsedReason =
        "The server that held the import restarted or stopped answering before the import finished (its lease lapsed), and the import's body is not kept, so no other server could finish it. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string AttemptsReason =
        "The import was taken up {0} times and never finished (each time its server stopped, died or lost the database: Imports:MaxAttempts). Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string StoppedReason =
        "The server stopped while the import ran. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string OutageReason =
        "The database became unavailable while the import ran. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string StalledReason =
        "The import made no progress for too long (Imports:StallSeconds: a batch was stuck) and was stopped. Records of batches committed before are kept, each whole; none is half-written. Send the import again: the same Idempotency-Key runs it again.";

    public const string UnexpectedReason =
        "The import stopped on an unexpected error. Records of batches committed before are kept, each whole; none is half-written. Send the import again, and quote this import's id when reporting it.";

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<Guid, Holding> _held = new();
    private readonly ConcurrentDictionary<Task, bool> _ending = new();
    private DateTimeOffset _swept = DateTimeOffset.MinValue;

    /// <summary>This process's name on the leases it holds: host, process id and a per-start suffix.</summary>
    public string Owner { get; } = $"{Bounded(Environment.MachineName, 40)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, settings.LeaseSeconds));

    /// <summary>Holds an import this process claimed or received, before it runs.</summary>
    public void Hold(Guid importId) => _held.TryAdd(importId, new Holding(null, new CancellationTokenSource()));

    /// <summary>Holds an import that starts running; the token is cancelled when it makes no progress for <see cref="ImportSettings.StallSeconds"/>, or another process took it over.</summary>
    public CancellationToken Run(Import import) =>
        _held.AddOrUpdate(
            import.Id,
            _ => new Holding(import, new CancellationTokenSource()) { Since = clock.GetUtcNow() },
            (_, held) => held with { Import = import, Since = clock.GetUtcNow() }).Stopped.Token;

    /// <summary>Stops renewing an import: its lease lapses (or was released), and any process may claim it.</summary>
    public void LetGo(Guid importId) => _held.TryRemove(importId, out _);

    /// <summary>Why the import stopped, in words for its note and for the answer to its request.</summary>
    public string ReasonFor(Guid importId, Exception fault, IDatabaseOutages outages) =>
        fault is OperationCanceledException && _held.TryGetValue(importId, out var held) && held.Stalled
            ? StalledReason
            : ReasonOf(fault, outages);

    /// <summary>
    /// Whether an import stopped by <paramref name="fault"/> is handed back for any process to finish rather than ended
    /// as failed: this process stops, or a run in the background (no client waits for its answer) lost the database.
    /// </summary>
    public bool HandsBack(Guid importId, Exception fault, IDatabaseOutages outages, bool background) =>
        !(_held.TryGetValue(importId, out var held) && (held.Stalled || held.Lost)) && fault is not ImportLeaseLostException
        && ((fault is OperationCanceledException && lifetime.ApplicationStopping.IsCancellationRequested) || (background && outages.IsUnavailable(fault)));

    /// <summary>
    /// Saves how the import ended (a background step: it retries while the database is away), then lets it go. After
    /// <paramref name="fault"/>, the import is handed back (<paramref name="handBack"/>), or failed with counts from what
    /// its committed batches kept, unless it had completed and only saving that failed, or another process took it over.
    /// If saving never succeeds, the lease lapses and another process takes the import over. The body is deleted once
    /// the import ended.
    /// </summary>
    public Task EndAsync(Import import, Exception? fault, bool handBack)
    {
        var ending = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outages = scope.ServiceProvider.GetRequiredService<IDatabaseOutages>();
                var leases = scope.ServiceProvider.GetRequiredService<IImportLeaseStore>();
                var lost = fault is ImportLeaseLostException || (_held.TryGetValue(import.Id, out var held) && held.Lost);
                if (lost)
                {
                    logger.LogWarning("The import {ImportId} was taken over by another process; this one stopped running it", import.Id);
                    return;
                }

                var ended = true;
                if (fault is not null && import.State == ImportState.Completed)
                {
                    var store = scope.ServiceProvider.GetRequiredService<IImportStore>();
                    await outages.RetryAsync(OutageBudget.Background, async token => await store.SaveStateAsync(import, token), CancellationToken.None);
                }
                else if (fault is not null && handBack)
                {
                    ended = false;
                    logger.LogInformation("The import {ImportId} is handed back for any process to finish", import.Id);
                }
                else if (fault is not null)
                {
                    var reason = ReasonFor(import.Id, fault, outages);
                    FailedImport? failed = null;
                    await outages.RetryAsync(OutageBudget.Background, async token => { failed = await leases.FailAsync(import.Id, Owner, reason, token); }, CancellationToken.None);
                    if (failed is not null)
                    {
                        ImportTelemetry.Failed(failed);
                    }
                }

                await outages.RetryAsync(OutageBudget.Request, async token => await leases.ReleaseAsync(import.Id, Owner, token), CancellationToken.None);
                if (ended)
                {
                    var bodies = scope.ServiceProvider.GetRequiredService<IImportBodyStore>();
                    await outages.RetryAsync(OutageBudget.Request, async token => await bodies.DeleteAsync(import.Id, token), CancellationToken.None);
                }
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "How the import {ImportId} ended could not be saved; its lease lapses and another process takes it over", import.Id);
            }
            finally
            {
                LetGo(import.Id);
            }
        });
        _ending.TryAdd(ending, true);
        ending.ContinueWith(done => _ending.TryRemove(done, out _), TaskScheduler.Default);
        return ending;
    }

    /// <summary>Ends, as failed, an import claimed that cannot run (its body is gone, or it was tried too often), then lets it go.</summary>
    public async Task FailClaimedAsync(Guid importId, string reason, IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            var outages = services.GetRequiredService<IDatabaseOutages>();
            FailedImport? failed = null;
            await outages.RetryAsync(OutageBudget.Request, async token => { failed = await services.GetRequiredService<IImportLeaseStore>().FailAsync(importId, Owner, reason, token); }, cancellationToken);
            if (failed is not null)
            {
                ImportTelemetry.Failed(failed);
            }
            await outages.RetryAsync(OutageBudget.Request, async token => await services.GetRequiredService<IImportLeaseStore>().ReleaseAsync(importId, Owner, token), cancellationToken);
            await outages.RetryAsync(OutageBudget.Request, async token => await services.GetRequiredService<IImportBodyStore>().DeleteAsync(importId, token), cancellationToken);
        }
        finally
        {
            LetGo(importId);
        }
    }

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

    /// <summary>Stops the heartbeat once every import this process ran has been ended or handed back (within the host's shutdown timeout).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_ending.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("{Count} imports were not ended before the shutdown timeout; their leases lapse and another process takes them over", _ending.Count);
        }

        await base.StopAsync(cancellationToken);
    }

    private async Task<bool> BeatAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var leases = scope.ServiceProvider.GetRequiredService<IImportLeaseStore>();
            var live = Live();
            var held = await leases.RenewAsync(live, Owner, Lease, stoppingToken);

            // Those no process can take over (their body is not kept) end at once, not when a worker is free.
            var ended = await leases.EndLapsedWithoutBodyAsync(LapsedReason, stoppingToken);
            if (ended.Count > 0)
            {
                logger.LogWarning("{Count} imports whose lease lapsed and whose body is not kept are marked failed", ended.Count);
                foreach (var failed in ended)
                {
                    ImportTelemetry.Failed(failed);
                }
            }

            foreach (var id in live.Where(id => !held.Contains(id)))
            {
                if (_held.TryGetValue(id, out var holding) && holding.Import is { IsFinished: false } && !holding.Stopped.IsCancellationRequested)
                {
                    logger.LogWarning("The import {ImportId} is no longer this process's (its lease lapsed and another took it over): stopping it", id);
                    holding.Lost = true;
                    await holding.Stopped.CancelAsync();
                }
            }

            if (clock.GetUtcNow() - _swept > SweepEvery)
            {
                var swept = await scope.ServiceProvider.GetRequiredService<IImportBodyStore>().DeleteLeftoversAsync(TimeSpan.FromMinutes(Math.Max(1, settings.LeftoverBodyMinutes)), stoppingToken);
                _swept = clock.GetUtcNow();
                if (swept > 0)
                {
                    logger.LogInformation("{Count} pieces of import bodies that no unfinished import claims were deleted", swept);
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The import leases could not be renewed; trying again shortly");
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
            // Progress is the later of its last batch and this process's start of it (a run taken over starts from an old row).
            if (held.Import is { State: ImportState.Running } import && clock.GetUtcNow() - Later(import.UpdatedAt, held.Since) > stall)
            {
                if (!held.Stopped.IsCancellationRequested)
                {
                    logger.LogWarning("The import {ImportId} made no progress since {UpdatedAt}: stopping it", id, import.UpdatedAt);
                    held.Stalled = true;
                    held.Stopped.Cancel();
                }

                continue;
            }

            live.Add(id);
        }

        return live;
    }

    /// <summary>An import this process holds: once running, the import itself (its progress shows in <see cref="Import.UpdatedAt"/>).</summary>
    private sealed record Holding(Import? Import, CancellationTokenSource Stopped)
    {
        /// <summary>When this process started running it.</summary>
        public DateTimeOffset Since { get; init; }

        /// <summary>Stopped for making no progress.</summary>
        public bool Stalled { get; set; }

        /// <summary>Stopped because another process took it over.</summary>
        public bool Lost { get; set; }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Bounded(string text, int length) => text.Length > length ? text[..length] : text;
}
