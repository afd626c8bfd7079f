using Npgsql;
using Polly;
using Polly.Retry;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL's "unavailable for now" failures, and the retry pipelines (Polly) that wait them out. Deadlocks and
/// serialization failures are not here: the write paths retry those as a lost race, not as an outage.
/// </summary>
internal sealed class DatabaseOutages : IDatabaseOutages
{
    private readonly ResiliencePipeline _request;
    private readonly ResiliencePipeline _background;

    public DatabaseOutages()
    {
        _request = Retry(attempts: 3, first: TimeSpan.FromMilliseconds(200), longest: TimeSpan.FromSeconds(1));
        _background = Retry(attempts: 15, first: TimeSpan.FromMilliseconds(500), longest: TimeSpan.FromSeconds(5));
    }

    public bool IsUnavailable(Exception exception) => IsOutage(exception);

    public ValueTask RetryAsync(OutageBudget budget, Func<CancellationToken, ValueTask> step, CancellationToken cancellationToken) =>
        (budget == OutageBudget.Request ? _request : _background).ExecuteAsync(step, cancellationToken);

    /// <summary>Walks the exception and its causes (EF Core wraps the driver's): the first that PostgreSQL or the driver raised decides.</summary>
    public static bool IsOutage(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.ConfigurationLimitExceeded;
                case NpgsqlException npgsql:
                    // Refused or dropped sockets, connect and pool timeouts: the driver marks them transient.
                    return npgsql.IsTransient;
                case System.Net.Sockets.SocketException or TimeoutException:
                    return true;
            }
        }

        return false;
    }

    private static ResiliencePipeline Retry(int attempts, TimeSpan first, TimeSpan longest) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsOutage),
                MaxRetryAttempts = attempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = first,
                MaxDelay = longest,
            })
            .Build();
}
