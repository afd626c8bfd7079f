using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// Two publishers with a key each, on a clock of the test's own (a <see cref="FakeTimeProvider"/> that starts at the real
/// time and moves only when the test advances it): a mirror test lets days pass while writers write.
/// </summary>
public sealed class MirrorApiFactory : PublishersApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
