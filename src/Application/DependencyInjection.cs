using Mapster;
using RuralRegistry.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Audit;
using RuralRegistry.Application.Changes;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Goals;
using RuralRegistry.Application.Imports;
using RuralRegistry.Application.Partners;
using RuralRegistry.Application.Projects;
using RuralRegistry.Application.Publishers;

namespace RuralRegistry.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var mapping = new TypeAdapterConfig();
        mapping.Scan(typeof(DependencyInjection).Assembly);
        mapping.Compile();
        services.AddSingleton(mapping);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RegistryResilience>();
        services.AddSingleton<IDatabaseOutages>(provider => provider.GetRequiredService<RegistryResilience>());
        services.AddSingleton<ImportPhaseLog>();

        services.AddScoped<ListPublishers>();
        services.AddScoped<GetPublisher>();
        services.AddScoped<CreatePublisher>();
        services.AddScoped<ApiKeys>();
        services.AddScoped<PartnerResolver>();
        services.AddScoped<ProjectReader>();
        services.AddScoped<ProjectWriter>();
        services.AddScoped<GetProject>();
        services.AddScoped<ListProjects>();
        services.AddScoped<ProjectStatistics>();
        services.AddScoped<DeleteProject>();
        services.AddScoped<ProjectStatusJob>();
        services.AddScoped<PartnerQueries>();
        services.AddScoped<PartnerWriter>();
        services.AddScoped<FundingMeasureService>();
        services.AddScoped<GoalService>();
        services.AddScoped<ChangeFeed>();
        services.AddScoped<ExportProjects>();
        services.AddScoped<AuditLog>();
        services.AddScoped<ImportProjects>();
        services.AddScoped<ImportBatchWriter>();
        services.AddScoped<ImportLedger>();
        return services;
    }
}
