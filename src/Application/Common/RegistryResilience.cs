using Microsoft.EntityFrameworkCore;
using Polly;
using Polly.Registry;
using Polly.Retry;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Application.Common;

/// <summary>
/// The registry's retry policies, one named Polly pipeline each, side by side in one registry (a pipeline for
/// another kind of failure is one more entry in the constructor):
/// <list type="bullet">
/// <item><see cref="UnitOfWork"/>: a unit of work that lost a race, run again whole: a serialization failure or
/// deadlock the database aborted it with, a row changed since it was read (concurrency token), or a natural key
/// another writer took meanwhile (the next attempt finds that record and updates it). Three attempts, with
/// jittered exponential backoff so that two racing writers do not collide again in step. The caller undoes
/// what its unit of work tracked before each new attempt (<see cref="RunAsync{T}(Func{CancellationToken, Task{T}}, Action, CancellationToken)"/>).
/// An import's batches run the same way with more attempts (<see cref="ImportBatch"/>).</item>
/// <item><see cref="ImplicitPrecondition"/>: a read-modify-write (PATCH) whose caller gave no <c>If-Match</c> and so
/// wrote under the version it had just read: when another write came in between, the write answers
/// <see cref="FailureKind.PreconditionFailed"/> (a result, not an exception) and the patch is read and applied
/// again. No backoff: the other write has committed already. A precondition the caller gave is never retried.</item>
/// <item><see cref="RequestOutage"/> and <see cref="BackgroundOutage"/>: a step that is safe to repeat, run again while
/// the database is unavailable (<see cref="IDatabaseOutages"/>): a request waits a second or two (three more attempts,
/// 200 ms to 1 s apart), then its caller gets a 503; a background step that must happen once the database is back
/// (an import's final state) keeps trying for about a minute (fifteen more attempts, 0.5 s to 5 s apart). Deadlocks
/// and serialization failures are not outages: they are a lost race, for <see cref="UnitOfWork"/>.</item>
/// </list>
/// Retry delays use the system clock (never the registry's <see cref="TimeProvider"/>, which tests may stop).
/// </summary>
public sealed class RegistryResilience : IDatabaseOutages
{
    public const string UnitOfWork = "unit-of-work";

    public const string ImplicitPrecondition = "implicit-precondition";

    /// <summary>
    /// A batch of an import, as <see cref="UnitOfWork"/> but with <see cref="ImportBatchAttempts"/>: a batch of many
    /// projects loses its race to any write that changes one of them meanwhile (a partner rename or the status job
    /// restamps every project naming the partner, or whose dates passed), far more often than a single write does, and
    /// a lost batch is rolled back whole, so running it again is safe.
    /// </summary>
    public const string ImportBatch = "import-batch";

    /// <summary>Attempts in all of an import batch, the first one included.</summary>
    public const int ImportBatchAttempts = 10;

    public const string RequestOutage = "request-outage";

    public const string BackgroundOutage = "background-outage";

    /// <summary>Attempts in all, the first one included.</summary>
    public const int Attempts = 3;

    private readonly ResiliencePipelineRegistry<string> _pipelines = new();
    private readonly IUniqueViolationDetector _detector;

    public RegistryResilience(IUniqueViolationDetector detector)
    {
        _detector = detector;
        AddUnitOfWork(UnitOfWork, Attempts, maxDelay: null);
        AddUnitOfWork(ImportBatch, ImportBatchAttempts, maxDelay: TimeSpan.FromSeconds(1));
        _pipelines.TryAddBuilder(ImplicitPrecondition, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            Name = ImplicitPrecondition,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is IHasFailure { Failure.Kind: FailureKind.PreconditionFailed }),
            MaxRetryAttempts = Attempts - 1,
            Delay = TimeSpan.Zero,
        }));
        AddOutage(RequestOutage, attempts: 3, first: TimeSpan.FromMilliseconds(200), longest: TimeSpan.FromSeconds(1));
        AddOutage(BackgroundOutage, attempts: 15, first: TimeSpan.FromMilliseconds(500), longest: TimeSpan.FromSeconds(5));
    }

    public ResiliencePipeline this[string name] => _pipelines.GetPipeline(name);

    /// <summary>A failure that a retry of the whole unit of work resolves: a lost race on a version or a natural key, a deadlock.</summary>
    public bool IsRetryable(Exception exception) =>
        exception is DbUpdateConcurrencyException
        || (exception is DbUpdateException update && _detector.IsUniqueViolation(update))
        || _detector.IsTransient(exception);

    public bool IsUnavailable(Exception exception) => _detector.IsUnavailable(exception);

    public ValueTask RetryAsync(OutageBudget budget, Func<CancellationToken, ValueTask> step, CancellationToken cancellationToken) =>
        this[budget == OutageBudget.Request ? RequestOutage : BackgroundOutage].ExecuteAsync(step, cancellationToken);

    /// <summary>
    /// Runs a unit of work under <see cref="UnitOfWork"/>: <paramref name="reset"/> undoes what a failed attempt
    /// tracked (and what a failed result staged) before the next attempt or before the failure goes to the caller.
    /// </summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, Action reset, CancellationToken cancellationToken) =>
        RunAsync(UnitOfWork, attempt, reset, cancellationToken);

    /// <summary>As <see cref="RunAsync{T}(Func{CancellationToken, Task{T}}, Action, CancellationToken)"/>, under the pipeline named (<see cref="UnitOfWork"/> or <see cref="ImportBatch"/>).</summary>
    public async Task<T> RunAsync<T>(string pipeline, Func<CancellationToken, Task<T>> attempt, Action reset, CancellationToken cancellationToken) =>
        await this[pipeline].ExecuteAsync(
            async token =>
            {
                try
                {
                    return await attempt(token);
                }
                catch (Exception exception) when (IsRetryable(exception))
                {
                    reset();
                    throw;
                }
            },
            cancellationToken);

    /// <summary>A unit of work's retry: lost races (<see cref="IsRetryable"/>) run again, with jittered exponential backoff from 20 ms.</summary>
    private void AddUnitOfWork(string name, int attempts, TimeSpan? maxDelay) =>
        _pipelines.TryAddBuilder(name, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            Name = name,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && IsRetryable(exception)),
            MaxRetryAttempts = attempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(20),
            MaxDelay = maxDelay,
        }));

    private void AddOutage(string name, int attempts, TimeSpan first, TimeSpan longest) =>
        _pipelines.TryAddBuilder(name, (builder, _) => builder.AddRetry(new RetryStrategyOptions
        {
            Name = name,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && _detector.IsUnavailable(exception)),
            MaxRetryAttempts = attempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = first,
            MaxDelay = longest,
        }));
}
