using Microsoft.Extensions.Options;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Web.Problems;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Imports;

/// <summary>How a run ended: every record's outcome (none when it stopped), what stopped it, whether it was handed back, and the saving of its end.</summary>
internal sealed record ImportEnding(IReadOnlyList<ImportRecordResponse> Records, Exception? Fault, bool HandedBack, Task Saved);

/// <summary>
/// Runs one import, its body read from the database, to its end whatever happens: an import that cannot finish is
/// recorded as failed (once the database is there to record it; else its lease lapses and another process takes it
/// over), or handed back for any process to finish; never left running.
/// </summary>
internal sealed class ImportRunner(ImportProjects engine, ImportLeases leases, IImportBodyStore bodies, IDatabaseOutages outages, IOptions<JsonOptions> json, ILogger<ImportRunner> logger)
{
    /// <summary>
    /// Runs the import from its kept body; <paramref name="resume"/> is what an earlier run's committed batches kept,
    /// when this run takes it over; <paramref name="background"/> when no client waits for the answer (a lost database
    /// then hands the import back rather than failing it).
    /// </summary>
    public async Task<ImportEnding> RunAsync(Import import, Caller caller, ImportFormat format, CancellationToken cancellationToken, ImportResume? resume = null, bool background = false)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leases.Run(import));
        IReadOnlyList<ImportRecordResponse> records = [];
        Exception? fault = null;
        try
        {
            await using var body = bodies.Open(import.Id);
            var options = json.Value.SerializerOptions;
            records = await engine.RunAsync(import, caller, ImportBody.ReadAsync(body, format, stop.Token), bytes => ImportBody.Parse(bytes, options, Describe), stop.Token, resume);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The import {ImportId} stopped before its end", import.Id);
            fault = exception;
        }

        var handBack = fault is not null && leases.HandsBack(import.Id, fault, outages, background);
        return new ImportEnding(records, fault, handBack, leases.EndAsync(import, fault, handBack));
    }

    private static FieldError Describe(System.Text.Json.JsonException exception) =>
        FieldError.Body(JsonPath.ToPointer(exception.Path), JsonPath.Describe(exception));
}

/// <summary>
/// Runs imports from the queue every API process shares, the imports table: one at a time, it claims the oldest queued
/// import, or an unfinished one whose lease lapsed (its process died or hangs) or was handed back, and runs it, going on
/// from the first record its earlier runs did not commit. It looks every <see cref="ImportSettings.PollMilliseconds"/>,
/// and at once when this process receives an import. Nothing that goes wrong with one import (the database away, a
/// body gone) stops the worker: it logs, ends or hands back that import, and goes on.
/// </summary>
internal sealed class ImportWorker(IServiceScopeFactory scopes, ImportSettings settings, ImportLeases leases, ILogger<ImportWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _nudge = new(0, 1);

    /// <summary>Looks for work now (an import was just queued).</summary>
    public void Nudge()
    {
        try
        {
            _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already nudged.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(Math.Max(50, settings.PollMilliseconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            var ran = false;
            try
            {
                ran = await RunNextAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "No import could be claimed or run; looking again shortly");
            }

            if (!ran)
            {
                try
                {
                    await _nudge.WaitAsync(poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and runs one import; false when there was none to claim.</summary>
    private async Task<bool> RunNextAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var claimed = await services.GetRequiredService<IImportLeaseStore>().ClaimAsync(leases.Owner, leases.Lease, stoppingToken);
        if (claimed is null)
        {
            return false;
        }

        leases.Hold(claimed.ImportId);
        Import? import;
        ImportFormat? format;
        ImportResume? resume = null;
        try
        {
            var ledger = services.GetRequiredService<IRegistryDbContext>();
            import = await ledger.Imports.FindAsync([claimed.ImportId], stoppingToken);
            ledger.ChangeTracker.Clear();
            if (import is null)
            {
                leases.LetGo(claimed.ImportId);
                return true;
            }

            if (claimed.Attempts > Math.Max(1, settings.MaxAttempts))
            {
                logger.LogWarning("The import {ImportId} was claimed {Attempts} times without finishing: ending it as failed", import.Id, claimed.Attempts);
                await leases.FailClaimedAsync(import.Id, string.Format(System.Globalization.CultureInfo.InvariantCulture, ImportLeases.AttemptsReason, claimed.Attempts - 1), services, stoppingToken);
                return true;
            }

            format = ImportBody.FormatOf(import.BodyFormat);
            if (format is null || !await services.GetRequiredService<IImportBodyStore>().ExistsAsync(import.Id, stoppingToken))
            {
                logger.LogWarning("The import {ImportId} was left unfinished and its body is not kept: ending it as failed", import.Id);
                await leases.FailClaimedAsync(import.Id, ImportLeases.LapsedReason, services, stoppingToken);
                return true;
            }

            if (import.State == ImportState.Running)
            {
                resume = await services.GetRequiredService<IImportStore>().CommittedAsync(import.Id, stoppingToken);
                logger.LogInformation("The import {ImportId} is taken over (attempt {Attempts}): {Done} records were committed before", import.Id, claimed.Attempts, resume.Done.Count);
            }
        }
        catch
        {
            // Not run: let go, so its lease lapses and it is claimed again once the database is back.
            leases.LetGo(claimed.ImportId);
            throw;
        }

        var caller = import.PublisherId is { } publisher ? Caller.ForPublisher(publisher, import.Actor) : Caller.Admin;
        var ending = await services.GetRequiredService<ImportRunner>().RunAsync(import, caller, format.Value, stoppingToken, resume, background: true);
        await ending.Saved;
        return true;
    }
}
