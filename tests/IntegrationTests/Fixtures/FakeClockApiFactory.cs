using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The API on a clock of the test's own: a <see cref="FakeTimeProvider"/> that starts at the real time and
/// stands still until the test advances it, so expiries and timestamps need no real-time waits.
/// </summary>
public sealed class FakeClockApiFactory : RegistryApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
