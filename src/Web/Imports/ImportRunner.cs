using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Web.Problems;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Imports;

/// <summary>Runs one spooled import to its end, whatever happens: an import that cannot finish is recorded as failed, never left running.</summary>
internal sealed class ImportRunner(ImportProjects engine, IImportStore store, IOptions<JsonOptions> json, TimeProvider clock, ILogger<ImportRunner> logger)
{
    public async Task<IReadOnlyList<ImportRecordResponse>> RunAsync(Import import, Caller caller, SpooledBody body, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = ImportSpool.Open(body);
            var options = json.Value.SerializerOptions;
            return await engine.RunAsync(import, caller, ImportBody.ReadAsync(file, body.Format, cancellationToken), bytes => ImportBody.Parse(bytes, options, Describe), cancellationToken);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The import {ImportId} stopped before its end", import.Id);
            import.Fail(
                exception is OperationCanceledException
                    ? "The server stopped while the import ran. Records of batches committed before are kept, each whole; none is half-written. Send the import again (it is idempotent)."
                    : "The import stopped on an unexpected error. Records of batches committed before are kept, each whole; none is half-written. Send the import again, and quote this import's id when reporting it.",
                clock.GetUtcNow());
            await store.SaveStateAsync(import, CancellationToken.None);
            return [];
        }
        finally
        {
            ImportSpool.Delete(body.Path);
        }
    }

    private static FieldError Describe(System.Text.Json.JsonException exception) =>
        FieldError.Body(JsonPath.ToPointer(exception.Path), JsonPath.Describe(exception));
}

/// <summary>An import answered 202, waiting for the background worker.</summary>
internal sealed record QueuedImport(Guid ImportId, Caller Caller, SpooledBody Body);

/// <summary>
/// Runs imports sent with <c>Prefer: respond-async</c>, one at a time, in the background. At start it marks the
/// imports a previous process left queued or running as failed (this assumes one API process per database;
/// several would need a lease per import) and deletes their bodies.
/// </summary>
internal sealed class ImportWorker(IServiceScopeFactory scopes, ImportSettings settings, TimeProvider clock, ILogger<ImportWorker> logger) : BackgroundService
{
    private readonly Channel<QueuedImport> _queue = Channel.CreateUnbounded<QueuedImport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DateTimeOffset _started = TimeProvider.System.GetUtcNow();

    public const string InterruptedReason =
        "The server restarted before the import finished. Records of batches committed before are kept, each whole; none is half-written. Send the import again (it is idempotent).";

    public bool TryEnqueue(QueuedImport import) => _queue.Writer.TryWrite(import);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SweepAsync(stoppingToken);
        await foreach (var queued in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<Application.Abstractions.IRegistryDbContext>();
            var import = await ledger.Imports.FindAsync([queued.ImportId], stoppingToken);
            if (import is null)
            {
                ImportSpool.Delete(queued.Body.Path);
                continue;
            }

            ledger.ChangeTracker.Clear();
            await scope.ServiceProvider.GetRequiredService<ImportRunner>().RunAsync(import, queued.Caller, queued.Body, stoppingToken);
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var failed = await scope.ServiceProvider.GetRequiredService<IImportStore>().FailUnfinishedAsync(InterruptedReason, _started, clock.GetUtcNow(), stoppingToken);
            if (failed > 0)
            {
                logger.LogWarning("{Count} imports cut off by a restart are marked failed", failed);
            }

            // Only bodies older than a day: another API process sharing the spool directory (a second instance, or
            // the test hosts running side by side) may be importing a younger one this process knows nothing of.
            var dayAgo = clock.GetUtcNow().UtcDateTime.AddDays(-1);
            ImportSpool.DeleteLeftovers(settings, _started.UtcDateTime < dayAgo ? _started.UtcDateTime : dayAgo);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Imports cut off by a restart could not be marked failed; they will be at the next start");
        }
    }
}
