using System.Net;
using System.Net.Sockets;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// Loopback ports for the servers the tests start as processes of their own (the API, PostgreSQL, Redis). A port the
/// system has free when asked may still be taken before the server binds it: any outgoing connection of the machine gets
/// a port from the same range. So a first start that fails for that is tried again on another port, and a start again on
/// a port that must be kept (connection strings name it) waits for the port to be let go.
/// </summary>
internal static class LoopbackPort
{
    private const int Attempts = 5;

    /// <summary>A loopback port no socket holds now (the system's choice).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether a start failed because another socket held its port (the server's own words, in the failure's message).</summary>
    public static bool Taken(Exception failure) => failure.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Makes a server on a free port and starts it (<paramref name="start"/> returns once it serves); a server whose
    /// start fails is disposed, and when it failed because the port was taken (an <see cref="InvalidOperationException"/>
    /// whose message has the server's output), another is made on another port.
    /// </summary>
    public static async Task<T> StartOnFreePortAsync<T>(Func<int, T> make, Func<T, Task> start)
        where T : IAsyncDisposable
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = make(Free());
            try
            {
                await start(server);
                return server;
            }
            catch (Exception failure)
            {
                await server.DisposeAsync();
                if (!(attempt < Attempts && failure is InvalidOperationException && Taken(failure)))
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Starts a stopped server again on the port it must keep; while another socket holds that port (the start fails
    /// with <see cref="Taken"/>), tries again every half second for up to <paramref name="wait"/>.
    /// </summary>
    public static async Task StartKeepingPortAsync(Func<Task> start, TimeSpan wait)
    {
        var pause = TimeSpan.FromMilliseconds(500);
        for (var waited = TimeSpan.Zero; ; waited += pause)
        {
            try
            {
                await start();
                return;
            }
            catch (InvalidOperationException failure) when (waited < wait && Taken(failure))
            {
                await Task.Delay(pause);
            }
        }
    }
}
