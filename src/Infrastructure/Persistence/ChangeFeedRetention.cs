using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Removes change-feed entries older than the retention (<c>ChangeFeed:RetentionDays</c>, at least 30)
/// once an hour. Cursors from before the removed entries then answer 410, telling mirrors to resync. A run that
/// fails (the database away) is logged and the loop goes on: the next hour's run catches up.
/// </summary>
internal sealed class ChangeFeedRetention(
    IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<ChangeFeedRetention> logger) : BackgroundService
{
    public const int MinimumDays = 30;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var days = Math.Max(MinimumDays, configuration.GetValue("ChangeFeed:RetentionDays", MinimumDays));
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<IChangeFeedStore>();
                var prunedThrough = await store.PruneAsync(clock.GetUtcNow().AddDays(-days), stoppingToken);
                logger.LogInformation("Change feed kept {Days} days; entries through {PrunedThrough} removed.", days, prunedThrough);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Change feed retention failed; it runs again within the hour.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
