using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Infrastructure.Health;
using RuralRegistry.Application.Imports;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Infrastructure.Persistence.Imports;
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
        services.AddSingleton(configuration.GetSection(ListSettings.Section).Get<ListSettings>() ?? new ListSettings());
        services.AddScoped<IProjectListQuery, ProjectListQuery>();
        services.AddScoped<IProjectStatisticsQuery, ProjectStatisticsQuery>();
        services.AddScoped<IProjectSearchTerms, ProjectSearchTermsQuery>();
        services.AddScoped<IPartnerListQuery, PartnerListQuery>();
        services.AddScoped<IPartnerLookup, PartnerLookupQueries>();
        services.AddScoped<IReferenceNodeSearch, ReferenceNodeSearch>();
        if (configuration.GetValue("ChangeFeed:RetentionEnabled", true))
        {
            services.AddHostedService<ChangeFeedRetention>();
        }
        services.AddScoped<ReferenceDataSeeder>();

        services.AddHealthChecks()
            .AddCheck<DatabaseReadyHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }
}
