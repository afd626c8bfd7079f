using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Infrastructure.Health;
using RuralRegistry.Application.Imports;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Infrastructure.Persistence.Imports;
using RuralRegistry.Infrastructure.Persistence.Jobs;
using RuralRegistry.Infrastructure.Persistence.Partners;
using RuralRegistry.Infrastructure.Persistence.Projects;
using RuralRegistry.Infrastructure.Persistence.Reference;
using RuralRegistry.Infrastructure.Persistence.Seed;

namespace RuralRegistry.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "Registry";
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No database is configured: set ConnectionStrings:{ConnectionStringName} (environment variable ConnectionStrings__{ConnectionStringName}), or start the API with deploy/local/run.sh, which provides a local database.");
        }

        AddReadRoute(services, configuration, connectionString);
        services.AddDbContext<RegistryDbContext>((provider, options) =>
        {
            // The request's route is fixed once its context is made: reads the web layer sent to the replicas use their
            // data source (noting which connections a standby served); everything else, the primary, as before.
            var route = provider.GetRequiredService<ReadRoute>();
            route.Fix();
            if (route.OnReplicas)
            {
                RegistryDbContext.Configure(options, route.DataSource).AddInterceptors(route.Interceptor);
            }
            else
            {
                RegistryDbContext.Configure(options, connectionString);
            }
        });
        services.AddScoped<IRegistryDbContext>(provider => provider.GetRequiredService<RegistryDbContext>());
        // For reads that need the context only now and then (a list's publisher filter): made on first use, if ever.
        services.AddScoped(provider => new Lazy<IRegistryDbContext>(provider.GetRequiredService<IRegistryDbContext>));
        services.AddSingleton<IUniqueViolationDetector, PostgresFailures>();
        services.AddScoped<IChangeLog, ChangeLog>();
        services.AddScoped<IChangeFeedStore, ChangeFeedStore>();
        services.AddScoped<IProjectWrites, ProjectWrites>();
        services.AddScoped<IImportStore, ImportStore>();
        services.AddScoped<IImportLeaseStore, ImportLeaseStore>();
        services.AddScoped<IImportBodyStore, ImportBodyStore>();
        services.AddSingleton(configuration.GetSection(ListSettings.Section).Get<ListSettings>() ?? new ListSettings());
        services.AddScoped<IProjectListQuery, ProjectListQuery>();
        services.AddScoped<IStoredProjects, StoredProjectQueries>();
        services.AddScoped<IProjectStatisticsQuery, ProjectStatisticsQuery>();
        services.AddScoped<IProjectSearchTerms, ProjectSearchTermsQuery>();
        services.AddScoped<IPartnerListQuery, PartnerListQuery>();
        services.AddScoped<IPartnerLookup, PartnerLookupQueries>();
        services.AddScoped<IReferenceNodeSearch, ReferenceNodeSearch>();
        services.AddScoped<IRegistrySummary, RegistrySummaryQuery>();
        if (configuration.GetValue("ChangeFeed:RetentionEnabled", true))
        {
            services.AddScheduledJob<ChangeFeedRetention>(configuration, ChangeFeedRetention.Name, ChangeFeedRetention.Period);
        }

        services.AddDailyJob<Application.Projects.ProjectStatusJob>(configuration, Application.Projects.ProjectStatusJob.JobName, Application.Projects.ProjectStatusJob.DefaultDailyAtUtc);
        services.AddScoped<ReferenceDataSeeder>();

        services.AddHealthChecks()
            .AddCheck<DatabaseReadyHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>
    /// The read route (<see cref="ReadRoute"/>) and its data sources, keyed "reads" (the replicas' when
    /// <c>ConnectionStrings:RegistryReplicas</c> is set, else the primary's) and "primary".
    /// </summary>
    private static void AddReadRoute(IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var replicas = configuration.GetConnectionString(ReadReplicaSettings.ConnectionStringName);
        var settings = new ReadReplicaSettings
        {
            PrimaryConnectionString = connectionString,
            ReplicaConnectionString = string.IsNullOrWhiteSpace(replicas) ? null : replicas,
            CatchUpTimeout = TimeSpan.FromSeconds(configuration.GetValue("Database:ReplicaCatchUpSeconds", 3.0)),
        };
        services.AddSingleton(settings);
        services.AddKeyedSingleton<NpgsqlDataSource>(ReadReplicaSettings.PrimaryKey, (_, _) => ReadsDataSource(connectionString));
        services.AddKeyedSingleton<NpgsqlDataSource>(ReadReplicaSettings.ReadsKey, (provider, _) => settings.ReplicaConnectionString is { } replicaString
            ? ReadsDataSource(replicaString)
            : provider.GetRequiredKeyedService<NpgsqlDataSource>(ReadReplicaSettings.PrimaryKey));
        services.AddScoped<ReadRoute>();
    }

    /// <summary>
    /// A read route's data source: the session settings of every registry connection, statements prepared once per
    /// connection after their second use, and no reset when a connection goes back to the pool (these connections run
    /// reads and change no session state beyond a transaction).
    /// </summary>
    private static NpgsqlDataSource ReadsDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseSessionSettings.Apply(connectionString))
        {
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
        };
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
