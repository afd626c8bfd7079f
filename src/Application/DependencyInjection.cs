using Mapster;
using Microsoft.Extensions.DependencyInjection;
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

        services.AddScoped<ListPublishers>();
        services.AddScoped<GetPublisher>();
        services.AddScoped<CreatePublisher>();
        return services;
    }
}
