using System.Diagnostics.Metrics;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Changes;

namespace RuralRegistry.Web.Telemetry;

/// <summary>The web host's own meter (<see cref="Name"/>): requests refused by a rate-limit budget.</summary>
internal static class RegistryMeters
{
    public const string Name = "RuralRegistry.Web";

    public const string RateLimitRejectionsName = "registry_api.rate_limit.rejections";

    public const string BudgetTag = "budget";

    public static Meter Meter { get; } = new(Name);

    public static Counter<long> RateLimitRejections { get; } = Meter.CreateCounter<long>(
        RateLimitRejectionsName, "{request}", "Requests refused with 429 because the caller's budget (read, write, import) was spent.");

    public static void RateLimited(string budget) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>(BudgetTag, budget));
}

/// <summary>
/// Looks at the change feed every <c>Telemetry:ChangeFeedSampleSeconds</c> (15; 0 turns it off) for
/// <see cref="ChangeFeedTelemetry"/>'s gauges, so they are current even when no reader is reading. A database that is
/// away only leaves the gauges where they were.
/// </summary>
internal sealed class ChangeFeedSampler(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ChangeFeedSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(configuration.GetValue("Telemetry:ChangeFeedSampleSeconds", 15));
        if (every <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(every);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<IChangeFeedStore>();
                var newest = await store.NewestAsync(stoppingToken);
                ChangeFeedTelemetry.Sampled(newest, await store.SettledBoundAsync(stoppingToken));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(exception, "The change feed could not be sampled for its gauges");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
