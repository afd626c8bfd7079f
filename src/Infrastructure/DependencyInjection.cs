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

        services.AddDbContext<RegistryDbContext>(options => RegistryDbContext.Configure(options, connectionString));
        services.AddScoped<IRegistryDbContext>(provider => provider.GetRequiredService<RegistryDbContext>());
        services.AddSingleton<IUniqueViolationDetector, PostgresFailures>();
        services.AddScoped<IChangeLog, ChangeLog>();
        services.AddScoped<IChangeFeedStore, ChangeFeedStore>();
        services.AddScoped<IProjectWrites, ProjectWrites>();
        services.AddScoped<IImportStore, ImportStore>();
        services.AddScoped<IImportLeaseStore, ImportLeaseStore>();
        services.AddScoped<IImportBodyStore, ImportBodyStore>();
        services.AddSingleton(configuration.GetSection(ListSettings.Section).Get<ListSettings>() ?? new ListSettings());
        services.AddScoped<IProjectListQuery, ProjectListQuery>();
        services.AddKeyedSingleton(StoredProjectQueries.ReadsDataSource, (_, _) => ReadsDataSource(connectionString));
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
        services.AddScoped<ReferenceDataSeeder>();

        services.AddHealthChecks()
            .AddCheck<DatabaseReadyHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>
    /// The hot reads' data source: the session settings of every registry connection, statements prepared once per
    /// connection after their second use, and no reset when a connection goes back to the pool (these connections run
    /// single SELECTs and change no session state).
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
