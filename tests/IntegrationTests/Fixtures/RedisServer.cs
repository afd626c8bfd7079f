using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// A real Redis of its own (Debian's <c>redis-server</c>, which deploy/local/test.sh installs when it is missing) on a
/// free loopback port, kept in memory only; a test may stop it (the registry's budgets must then fall back) and start
/// it again on the same port. A first start whose port another socket took meanwhile is tried on another
/// (<see cref="LoopbackPort"/>); a start again waits for its port to be let go.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string the API takes (<c>RateLimits:Redis</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static Task<RedisServer> StartAsync() =>
        LoopbackPort.StartOnFreePortAsync(port => new RedisServer(port), server => server.StartOnceAsync());

    /// <summary>Starts the server again on its port, waiting up to 30 s while another socket holds the port.</summary>
    public Task StartAgainAsync() => LoopbackPort.StartKeepingPortAsync(StartOnceAsync, TimeSpan.FromSeconds(30));

    /// <summary>One start; when the server exits instead of listening, an <see cref="InvalidOperationException"/> with its output.</summary>
    private async Task StartOnceAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (deploy/local/test.sh does it).", exception);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        _process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                // A server that could not bind its port says so ("bind: Address already in use") and exits.
                await _process.WaitForExitAsync();
                _process.Dispose();
                _process = null;
                throw new InvalidOperationException($"redis-server exited instead of listening on port {Port}: {string.Join(" | ", output)}");
            }

            try
            {
                // The server answers PING once it serves (a socket of another program on the port would not).
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var answer = new byte[16];
                var read = await stream.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                if (System.Text.Encoding.ASCII.GetString(answer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException or TimeoutException && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                await KillAsync();
                throw new InvalidOperationException($"redis-server did not answer on port {Port} within 20 s: {string.Join(" | ", output)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server at once (SIGKILL): its clients see their connection drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
