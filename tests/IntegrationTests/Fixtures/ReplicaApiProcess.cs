// The replica scenario's API process (Replicas/, ReplicaTopology): started by name with its environment; the cluster tests use ApiProcess.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The API as a real process of its own (the built src/Web Release dll under <c>dotnet</c>) on a free loopback port,
/// configured by environment variables as an operator configures a replica; killed with SIGKILL when disposed.
/// </summary>
public sealed class ReplicaApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ReplicaApiProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    /// <summary>The process id, as the import leases it holds name it (host/pid/suffix).</summary>
    public int Id => _process.Id;

    public Uri BaseAddress { get; }

    /// <summary>The last lines the process wrote, for a failing test's message.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts the process on a free loopback port and waits until it is ready; one that exits because another socket
    /// took the port before it bound it is started again on another (<see cref="LoopbackPort"/>).
    /// </summary>
    public static Task<ReplicaApiProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment) =>
        LoopbackPort.StartOnFreePortAsync(port => Launch(name, environment, port), api => api.WaitReadyAsync());

    private static ReplicaApiProcess Launch(string name, IReadOnlyDictionary<string, string> environment, int port)
    {
        var root = TestPaths.RepositoryRoot();
        var dll = Path.Combine(root, "src", "Web", "bin", "Release", "net10.0", "RuralRegistry.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution in Release first.");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, "src", "Web"), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var api = new ReplicaApiProcess(name, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => api.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => api.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>SIGKILL: the process ends at once, with no shutdown of its own.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitReadyAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"API process {Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"API process {Name} was not ready within 90 s:\n{Output}");
    }
}
