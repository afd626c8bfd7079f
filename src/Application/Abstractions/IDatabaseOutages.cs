namespace RuralRegistry.Application.Abstractions;

/// <summary>How long a retry may keep trying while the database is unavailable.</summary>
public enum OutageBudget
{
    /// <summary>A request waiting for its answer: a second or two, then the caller gets a 503 and retries later.</summary>
    Request,

    /// <summary>A background step that must happen once the database is back (an import's final state): about a minute.</summary>
    Background,
}

/// <summary>
/// Recognises the store's "unavailable for now" failures (refused or dropped connections, a server shutting down or
/// starting, too many connections, a pool or connect timeout) and retries a step that is safe to repeat through them.
/// Implemented by <see cref="Common.RegistryResilience"/>, whose named pipelines hold all of the API's retry policies.
/// </summary>
public interface IDatabaseOutages
{
    /// <summary>The failure says the database cannot serve now, and a later attempt of the same work may succeed.</summary>
    bool IsUnavailable(Exception exception);

    /// <summary>
    /// Runs <paramref name="step"/>, again with backoff while it fails with <see cref="IsUnavailable"/>, within
    /// <paramref name="budget"/>; then the last failure is thrown. Only for steps that are safe to repeat.
    /// </summary>
    ValueTask RetryAsync(OutageBudget budget, Func<CancellationToken, ValueTask> step, CancellationToken cancellationToken);
}
