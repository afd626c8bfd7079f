using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// The built API (src/Web's Release dll) as a process of its own on a loopback port, as a replica runs in production:
/// the tests kill it with SIGKILL or stop it with SIGTERM. Its console output is kept for the tests to read.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line the process wrote so far (stdout and stderr).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>
    /// Starts the API on a loopback port the system has free and waits until it is ready; a process that does not get
    /// ready is killed. The port is free when chosen, but another socket (any outgoing connection of the machine gets a
    /// port from the same range) may take it before the process binds it: a process that exits for that is started
    /// again on another port (<see cref="LoopbackPort"/>).
    /// </summary>
    public static Task<ApiProcess> StartReadyAsync(string connectionString, IReadOnlyDictionary<string, string> settings, TimeSpan within) =>
        LoopbackPort.StartOnFreePortAsync(port => Start(connectionString, port, settings), process => process.WaitReadyAsync(within));

    /// <summary>Starts the API on <paramref name="port"/> over <paramref name="connectionString"/> with the settings given (as configuration keys, e.g. <c>Imports:LeaseSeconds</c>).</summary>
    public static ApiProcess Start(string connectionString, int port, IReadOnlyDictionary<string, string> settings) =>
        new(Process.Start(StartInfo(connectionString, port, settings))!, port);

    /// <summary>
    /// Migrates the database with the API's migrate-only mode (<c>RuralRegistry.Web.dll migrate</c>), as the deployment's
    /// migration job does: no port, nothing left listening when it returns.
    /// </summary>
    public static async Task MigrateAsync(string connectionString, TimeSpan within)
    {
        var start = StartInfo(connectionString, port: null, new Dictionary<string, string>());
        start.ArgumentList.Add("migrate");
        await using var process = new ApiProcess(Process.Start(start)!, port: 0);
        using var timeout = new CancellationTokenSource(within);
        await process._process.WaitForExitAsync(timeout.Token);
        if (process._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Migrating exited with {process._process.ExitCode}:\n{string.Join('\n', process.Output)}");
        }
    }

    private static ProcessStartInfo StartInfo(string connectionString, int? port, IReadOnlyDictionary<string, string> settings)
    {
        var directory = Path.Combine(TestPaths.RepositoryRoot(), "src", "Web", "bin", "Release", "net10.0");
        var dll = Path.Combine(directory, "RuralRegistry.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built: dotnet build Api.sln -c Release first.");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (port is { } listen)
        {
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listen}";
        }
        start.Environment["ConnectionStrings__Registry"] = connectionString;
        start.Environment["REGISTRY_ADMIN_KEY"] = RegistryApiFactory.AdminKey;
        start.Environment["RateLimits__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Critical";
        start.Environment["Logging__LogLevel__RuralRegistry.Web.Problems"] = "Critical";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(15) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API process exited with {_process.ExitCode}:\n{string.Join('\n', Output)}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or its first answer (the model built, the code compiled) is slow on a loaded machine.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The API process on {BaseUrl} was not ready within {within}:\n{string.Join('\n', Output)}");
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(100) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public HttpClient AdminClient() => Client(RegistryApiFactory.AdminKey);

    /// <summary>SIGKILL: the process dies at once, mid-statement, its leases left as they were.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a replica; returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(deadline.Token);
        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
