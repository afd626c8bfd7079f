using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace RuralRegistry.Web.Security;

/// <summary>What taking one permit of a budget gave: whether it was granted, how many are left, and when to retry.</summary>
internal readonly record struct BudgetTaken(bool Acquired, long Remaining, TimeSpan? RetryAfter);

/// <summary>
/// The callers' budgets (fixed windows per budget and caller). With <c>RateLimits:Redis</c> they are kept in Redis
/// (RedisRateLimiting's fixed window, one Lua script per request), so every API process takes from the same budget;
/// without it each process keeps its own. When Redis cannot be reached (down, unreachable, slow past its 500 ms
/// timeouts), the request is budgeted by this process's own limiter instead: it fails open to per-process budgets,
/// so a Redis outage never refuses a request but gives each process a budget of its own until Redis answers again
/// (logged when it starts and when it ends).
/// </summary>
internal sealed class RateBudgets : IDisposable
{
    private readonly PartitionedRateLimiter<(string Budget, string Caller)> _local;
    private readonly PartitionedRateLimiter<(string Budget, string Caller)>? _shared;
    private readonly ConnectionMultiplexer? _redis;
    private readonly ILogger<RateBudgets> _log;
    private int _sharedDown;

    public RateBudgets(RateLimitOptions options, ILogger<RateBudgets> log)
    {
        _log = log;
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        _local = PartitionedRateLimiter.Create<(string Budget, string Caller), string>(partition =>
            RateLimitPartition.GetFixedWindowLimiter($"{partition.Budget}:{partition.Caller}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitsOf(partition.Budget),
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 1000;
        configuration.SyncTimeout = 500;
        configuration.AsyncTimeout = 500;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _redis = ConnectionMultiplexer.Connect(configuration);
        var redis = _redis;
        _shared = PartitionedRateLimiter.Create<(string Budget, string Caller), string>(partition =>
            RedisRateLimitPartition.GetFixedWindowRateLimiter($"{options.RedisKeyPrefix}:{partition.Budget}:{partition.Caller}", _ => new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = options.PermitsOf(partition.Budget),
                Window = window,
            }));
    }

    /// <summary>True when budgets are kept in Redis (whether or not it answers now).</summary>
    public bool Shared => _shared is not null;

    public async ValueTask<BudgetTaken> TakeAsync((string Budget, string Caller) partition, CancellationToken cancellationToken)
    {
        if (_shared is not null)
        {
            try
            {
                using var shared = await _shared.AcquireAsync(partition, 1, cancellationToken);
                if (Interlocked.Exchange(ref _sharedDown, 0) == 1)
                {
                    _log.LogWarning("Redis answers again: rate budgets are shared across API processes again.");
                }

                return new BudgetTaken(shared.IsAcquired, Count(shared, "RATELIMIT_REMAINING") ?? 0, RetryAfterOf(shared));
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
            {
                if (Interlocked.Exchange(ref _sharedDown, 1) == 0)
                {
                    _log.LogWarning(exception, "Redis cannot be reached: each API process budgets callers by itself until it answers again.");
                }
            }
        }

        using var local = _local.AttemptAcquire(partition);
        var remaining = _local.GetStatistics(partition)?.CurrentAvailablePermits ?? 0;
        return new BudgetTaken(local.IsAcquired, remaining, RetryAfterOf(local));
    }

    private static TimeSpan? RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait
        : lease.TryGetMetadata("RATELIMIT_RETRYAFTER", out var value) && value is TimeSpan span ? span
        : Count(lease, "RATELIMIT_RETRYAFTER") is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static long? Count(RateLimitLease lease, string name) =>
        lease.TryGetMetadata(name, out var value) && value is int or long ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public void Dispose()
    {
        _shared?.Dispose();
        _local.Dispose();
        _redis?.Dispose();
    }
}
