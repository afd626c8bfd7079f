using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence.Jobs;

/// <summary>
/// A scheduled job's name and period (configuration <c>Jobs:{Name}:PeriodSeconds</c>, else the default), or, for a
/// daily job, the time of day (UTC) after which it is due once a day (<c>Jobs:{Name}:DailyAtUtc</c>, <c>HH:mm</c>).
/// </summary>
public sealed record ScheduledJobOptions(string Name, TimeSpan Period, TimeSpan? DailyAtUtc = null)
{
    /// <summary>How long after a run that did not finish (its process died, the database went away) the job is due again.</summary>
    public TimeSpan Retry => Period < TimeSpan.FromMinutes(1) ? Period : TimeSpan.FromMinutes(1);

    /// <summary>
    /// The job is due at <paramref name="now"/> when no run started since this instant: a period ago, or for a daily
    /// job the latest daily time at or before now (so a process started late in the day catches up on the day's run).
    /// </summary>
    public DateTimeOffset DueAfterRunsBefore(DateTimeOffset now)
    {
        if (DailyAtUtc is not { } dailyAt)
        {
            return now - Period;
        }

        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + dailyAt;
        return today <= now ? today : today.AddDays(-1);
    }
}

public static class ScheduledJobs
{
    /// <summary>This process's name on the job runs it makes (as on import leases: host, process id and a per-start suffix).</summary>
    public static string Owner { get; } = $"{Bounded(Environment.MachineName, 40)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// Runs <typeparamref name="TJob"/> every <paramref name="defaultPeriod"/> (or <c>Jobs:{name}:PeriodSeconds</c>)
    /// once across every API process on the database. <c>Jobs:{name}:Enabled=false</c> leaves it out of this process.
    /// </summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, IConfiguration configuration, string name, TimeSpan defaultPeriod)
        where TJob : class, IScheduledJob
    {
        CheckName(name);
        var section = configuration.GetSection($"Jobs:{name}");
        if (!section.GetValue("Enabled", true))
        {
            return services;
        }

        var period = TimeSpan.FromSeconds(Math.Max(1, section.GetValue("PeriodSeconds", defaultPeriod.TotalSeconds)));
        return services.AddJobLoop<TJob>(new ScheduledJobOptions(name, period));
    }

    /// <summary>
    /// Runs <typeparamref name="TJob"/> once a day after <paramref name="defaultDailyAtUtc"/> (or <c>Jobs:{name}:DailyAtUtc</c>,
    /// <c>HH:mm</c>, UTC on the registry's clock), once across every API process on the database, and on start-up when
    /// the day's run has not been made yet. <c>Jobs:{name}:Enabled=false</c> leaves it out of this process.
    /// </summary>
    public static IServiceCollection AddDailyJob<TJob>(this IServiceCollection services, IConfiguration configuration, string name, TimeSpan defaultDailyAtUtc)
        where TJob : class, IScheduledJob
    {
        CheckName(name);
        var section = configuration.GetSection($"Jobs:{name}");
        if (!section.GetValue("Enabled", true))
        {
            return services;
        }

        var text = section.GetValue<string>("DailyAtUtc");
        TimeSpan dailyAt = defaultDailyAtUtc;
        if (text is not null && !TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out dailyAt))
        {
            throw new InvalidOperationException($"Jobs:{name}:DailyAtUtc is a time of day, HH:mm (UTC), not '{text}'.");
        }

        return services.AddJobLoop<TJob>(new ScheduledJobOptions(name, TimeSpan.FromDays(1), dailyAt));
    }

    private static IServiceCollection AddJobLoop<TJob>(this IServiceCollection services, ScheduledJobOptions options)
        where TJob : class, IScheduledJob
    {
        services.TryAddScoped<TJob>();
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<ScheduledJob<TJob>>(provider, options));
        return services;
    }

    private static void CheckName(string name)
    {
        if (name.Length is 0 or > ScheduledJobRun.NameMaxLength)
        {
            throw new ArgumentException($"A job's name has 1 to {ScheduledJobRun.NameMaxLength} characters.", nameof(name));
        }
    }

    private static string Bounded(string text, int length) => text.Length > length ? text[..length] : text;
}

/// <summary>
/// One scheduled job's loop in this process. Every check (a quarter of the period, at most a minute apart) it takes
/// the job's PostgreSQL advisory lock without waiting; holding it, it moves the job's row in
/// <c>scheduled_job_runs</c> only when the job is due (<see cref="ScheduledJobOptions.DueAfterRunsBefore"/>: no run, by
/// any process, started since a period ago, or since the day's time for a daily job) or its last run did not finish
/// and started <see cref="ScheduledJobOptions.Retry"/> ago, and then runs the job. So one run at a time across the
/// processes (the lock), once per period (the row), and a failed run tried again soon. Times are the registry's clock
/// (<see cref="TimeProvider"/>). The lock is the session's: it goes with the connection if the process dies or the
/// database restarts, and the next check of any process takes it. Nothing that fails here (the database away, the
/// job) ends the loop or the host.
/// </summary>
internal sealed class ScheduledJob<TJob>(
    ScheduledJobOptions options, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ScheduledJob<TJob>> logger) : BackgroundService
    where TJob : class, IScheduledJob
{
    public TimeSpan CheckEvery => TimeSpan.FromTicks(Math.Clamp(options.Period.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromMinutes(1).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The scheduled job {Job} could not be checked or run; it is checked again in {Interval}.", options.Name, CheckEvery);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Runs the job when it is due and no other process runs it; true when this process ran it.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var connectionString = scope.ServiceProvider.GetRequiredService<RegistryDbContext>().Database.GetConnectionString();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (await ScalarAsync(connection, "SELECT pg_try_advisory_lock($1, hashtext($2))", [Space, Name], cancellationToken) is not true)
        {
            return false;
        }

        try
        {
            var now = clock.GetUtcNow();
            await ScalarAsync(connection, "INSERT INTO registry.scheduled_job_runs (name, runs) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", [Name], cancellationToken);
            var run = await ScalarAsync(
                connection,
                """
                UPDATE registry.scheduled_job_runs SET last_started_at = $3, last_finished_at = NULL, owner = $2, runs = runs + 1
                 WHERE name = $1 AND (last_started_at IS NULL OR last_started_at <= $4 OR (last_finished_at IS NULL AND last_started_at <= $5))
                RETURNING runs
                """,
                [Name, Owner, Instant(now), Instant(options.DueAfterRunsBefore(now)), Instant(now - options.Retry)],
                cancellationToken);
            if (run is null)
            {
                return false;
            }

            logger.LogInformation("Scheduled job {Job} run {Run} starts in {Owner}.", options.Name, run, ScheduledJobs.Owner);
            await scope.ServiceProvider.GetRequiredService<TJob>().RunOnceAsync(cancellationToken);
            await ScalarAsync(connection, "UPDATE registry.scheduled_job_runs SET last_finished_at = $3 WHERE name = $1 AND owner = $2", [Name, Owner, Instant(clock.GetUtcNow())], cancellationToken);
            return true;
        }
        finally
        {
            // Closing the connection would release the lock too; unlocking first leaves the pooled session clean.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ScalarAsync(connection, "SELECT pg_advisory_unlock($1, hashtext($2))", [Space, Name], CancellationToken.None);
            }
        }
    }

    private static NpgsqlParameter Instant(DateTimeOffset value) => new() { Value = value.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Space => new() { Value = AdvisoryLocks.JobSpace, NpgsqlDbType = NpgsqlDbType.Integer };

    private NpgsqlParameter Name => new() { Value = options.Name, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Owner => new() { Value = ScheduledJobs.Owner, NpgsqlDbType = NpgsqlDbType.Varchar };

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
