using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Web.Problems;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Imports;

/// <summary>How a run ended: every record's outcome (none when it stopped), what stopped it, and the saving of its end.</summary>
internal sealed record ImportEnding(IReadOnlyList<ImportRecordResponse> Records, Exception? Fault, Task Saved);

/// <summary>
/// Runs one spooled import to its end, whatever happens: an import that cannot finish is recorded as failed (once the
/// database is there to record it; else its lease lapses and a sweep does), never left running.
/// </summary>
internal sealed class ImportRunner(ImportProjects engine, ImportLeases leases, IOptions<JsonOptions> json, ILogger<ImportRunner> logger)
{
    public async Task<ImportEnding> RunAsync(Import import, Caller caller, SpooledBody body, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leases.Run(import));
        IReadOnlyList<ImportRecordResponse> records = [];
        Exception? fault = null;
        try
        {
            await using var file = ImportSpool.Open(body);
            var options = json.Value.SerializerOptions;
            records = await engine.RunAsync(import, caller, ImportBody.ReadAsync(file, body.Format, stop.Token), bytes => ImportBody.Parse(bytes, options, Describe), stop.Token);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The import {ImportId} stopped before its end", import.Id);
            fault = exception;
        }
        finally
        {
            ImportSpool.Delete(body.Path);
        }

        return new ImportEnding(records, fault, leases.EndAsync(import, fault));
    }

    private static FieldError Describe(System.Text.Json.JsonException exception) =>
        FieldError.Body(JsonPath.ToPointer(exception.Path), JsonPath.Describe(exception));
}

/// <summary>An import answered 202, waiting for the background worker.</summary>
internal sealed record QueuedImport(Guid ImportId, Caller Caller, SpooledBody Body);

/// <summary>
/// Runs imports sent with <c>Prefer: respond-async</c>, one at a time, in the background. Nothing that goes wrong
/// with one import (the database away, a body gone) stops the worker: it logs, ends that import, and goes on.
/// At start it deletes bodies a stopped process left in the spool directory.
/// </summary>
internal sealed class ImportWorker(IServiceScopeFactory scopes, ImportSettings settings, ImportLeases leases, TimeProvider clock, ILogger<ImportWorker> logger) : BackgroundService
{
    private readonly Channel<QueuedImport> _queue = Channel.CreateUnbounded<QueuedImport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DateTimeOffset _started = TimeProvider.System.GetUtcNow();

    public bool TryEnqueue(QueuedImport import) => _queue.Writer.TryWrite(import);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeleteLeftovers();
        await foreach (var queued in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(queued, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "The queued import {ImportId} could not be run", queued.ImportId);
            }
        }
    }

    private async Task RunAsync(QueuedImport queued, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<Application.Abstractions.IRegistryDbContext>();
        Import? import;
        try
        {
            import = await ledger.Imports.FindAsync([queued.ImportId], stoppingToken);
        }
        catch
        {
            // Not run at all: let go, its lease lapses and a sweep ends it once the database is back.
            leases.LetGo(queued.ImportId);
            ImportSpool.Delete(queued.Body.Path);
            throw;
        }

        if (import is null)
        {
            leases.LetGo(queued.ImportId);
            ImportSpool.Delete(queued.Body.Path);
            return;
        }

        ledger.ChangeTracker.Clear();
        var ending = await scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(import, queued.Caller, queued.Body, stoppingToken);
        await ending.Saved;
    }

    private void DeleteLeftovers()
    {
        try
        {
            // Only bodies older than a day: another API process sharing the spool directory (a second instance, or
            // the test hosts running side by side) may be importing a younger one this process knows nothing of.
            var dayAgo = clock.GetUtcNow().UtcDateTime.AddDays(-1);
            ImportSpool.DeleteLeftovers(settings, _started.UtcDateTime < dayAgo ? _started.UtcDateTime : dayAgo);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(exception, "Bodies left in the spool directory could not be removed");
        }
    }
}
