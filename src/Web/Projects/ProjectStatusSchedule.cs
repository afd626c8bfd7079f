using System.Globalization;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Web.Projects;

/// <summary>Registers <see cref="ProjectStatusSchedule"/> unless <c>StatusJob:Enabled</c> is false.</summary>
internal static class ProjectStatusScheduleSetup
{
    public static IServiceCollection AddProjectStatusSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue($"{ProjectStatusSchedule.Section}:Enabled", true))
        {
            services.AddHostedService<ProjectStatusSchedule>();
        }

        return services;
    }
}

/// <summary>
/// Runs <see cref="ProjectStatusJob"/> when the API starts (catching up on any days it missed) and then every day at
/// <c>StatusJob:DailyAtUtc</c> (<c>00:05</c> by default, UTC), on the registry's clock. A run that fails (the database
/// away) is logged and tried again a minute later, then at longer intervals up to an hour, so the host never stops for it.
/// <c>StatusJob:Enabled=false</c> turns the schedule off (the job can still be run by whoever calls it).
/// </summary>
internal sealed class ProjectStatusSchedule(
    IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<ProjectStatusSchedule> logger) : BackgroundService
{
    public const string Section = "StatusJob";

    public static readonly TimeSpan DefaultDailyAt = new(0, 5, 0);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromHours(1);

    /// <summary>The next time of day <paramref name="dailyAt"/> (UTC) strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeSpan dailyAt)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + dailyAt;
        return today > now ? today : today.AddDays(1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var text = configuration.GetValue<string>($"{Section}:DailyAtUtc");
        var dailyAt = text is null ? DefaultDailyAt : TimeSpan.ParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture);
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var restamped = await scope.ServiceProvider.GetRequiredService<ProjectStatusJob>().RunOnceAsync(stoppingToken);
                logger.LogInformation("Project statuses as of {Day:yyyy-MM-dd}: {Restamped} project(s) restamped.", clock.GetUtcNow(), restamped);
                retry = FirstRetry;
                var now = clock.GetUtcNow();
                wait = NextRun(now, dailyAt) - now;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The project status job failed; it runs again in {Retry}.", retry);
                wait = retry;
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
