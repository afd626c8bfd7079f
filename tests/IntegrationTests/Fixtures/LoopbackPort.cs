using System.Net;
using System.Net.Sockets;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// Loopback ports for the servers the tests start as processes of their own (the API, PostgreSQL, Redis). A port the
/// system has free when asked may still be taken before the server binds it: any outgoing connection of the machine gets
/// a port from the same range. So a start that fails for that is tried again on another port.
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
    /// Starts a server on a free port; when the start fails because the port was taken (an <see cref="InvalidOperationException"/>
    /// whose message has the server's output), on another. <paramref name="start"/> cleans up after a failed start itself.
    /// </summary>
    public static async Task<T> StartOnFreePortAsync<T>(Func<int, Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(Free());
            }
            catch (InvalidOperationException failure) when (attempt < Attempts && Taken(failure))
            {
            }
        }
    }
}
