using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence.Jobs;

/// <summary>A scheduled job's name and period (configuration <c>Jobs:{Name}:PeriodSeconds</c>, else the default).</summary>
public sealed record ScheduledJobOptions(string Name, TimeSpan Period);

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
        if (name.Length is 0 or > ScheduledJobRun.NameMaxLength)
        {
            throw new ArgumentException($"A job's name has 1 to {ScheduledJobRun.NameMaxLength} characters.", nameof(name));
        }

        var section = configuration.GetSection($"Jobs:{name}");
        if (!section.GetValue("Enabled", true))
        {
            return services;
        }

        var period = TimeSpan.FromSeconds(Math.Max(1, section.GetValue("PeriodSeconds", defaultPeriod.TotalSeconds)));
        services.AddScoped<TJob>();
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<ScheduledJob<TJob>>(provider, new ScheduledJobOptions(name, period)));
        return services;
    }

    private static string Bounded(string text, int length) => text.Length > length ? text[..length] : text;
}

/// <summary>
/// One scheduled job's loop in this process. Every check (a quarter of the period, at most a minute apart) it takes
/// the job's PostgreSQL advisory lock without waiting; holding it, it moves the job's row in
/// <c>scheduled_job_runs</c> only when the last run, by any process, started a period ago or more, and then runs the
/// job. So one run at a time across the processes (the lock), and once per period (the row). The lock is the
/// session's: it goes with the connection if the process dies or the database restarts, and the next check of any
/// process takes it. Nothing that fails here (the database away, the job) ends the loop or the host.
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
            await ScalarAsync(connection, "INSERT INTO registry.scheduled_job_runs (name, runs) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", [Name], cancellationToken);
            var run = await ScalarAsync(
                connection,
                """
                UPDATE registry.scheduled_job_runs SET last_started_at = now(), last_finished_at = NULL, owner = $2, runs = runs + 1
                 WHERE name = $1 AND (last_started_at IS NULL OR last_started_at <= now() - $3)
                RETURNING runs
                """,
                [Name, Owner, new NpgsqlParameter { Value = options.Period, NpgsqlDbType = NpgsqlDbType.Interval }],
                cancellationToken);
            if (run is null)
            {
                return false;
            }

            logger.LogInformation("Scheduled job {Job} run {Run} starts in {Owner}.", options.Name, run, ScheduledJobs.Owner);
            await scope.ServiceProvider.GetRequiredService<TJob>().RunOnceAsync(cancellationToken);
            await ScalarAsync(connection, "UPDATE registry.scheduled_job_runs SET last_finished_at = now() WHERE name = $1 AND owner = $2", [Name, Owner], cancellationToken);
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
