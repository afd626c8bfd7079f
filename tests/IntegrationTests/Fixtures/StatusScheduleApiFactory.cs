using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API on a clock of the test's own (<see cref="FakeTimeProvider"/>) with the date-driven status job's schedule on.</summary>
public sealed class StatusScheduleApiFactory : RegistryApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override bool StatusScheduleEnabled => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
