using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with every log message kept, to check that no secret is ever written.</summary>
public sealed class LogCapturingApiFactory : RegistryApiFactory
{
    public ConcurrentQueue<string> Messages { get; } = new();

    protected override string EnvironmentName => "Development";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace");
        builder.UseSetting("Logging:LogLevel:RuralRegistry.Web.Problems", "Trace");
        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(new CapturingProvider(Messages)));
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> messages) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(messages);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception) + " " + exception);
    }
}
