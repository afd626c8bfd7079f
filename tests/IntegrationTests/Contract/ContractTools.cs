using System.Diagnostics;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Runs the programs of tools/contract (the pinned npm tools, the client checks) as a developer would. A missing
/// tool fails the test, never skips it: CI must run them (deploy/local/test.sh installs what they need).
/// </summary>
internal static class ContractTools
{
    public static readonly string Folder = Path.Combine(TestPaths.RepositoryRoot(), "tools", "contract");

    /// <summary>Runs a program in tools/contract; fails unless it exits 0; returns its output (stdout, then stderr).</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (stdout, stderr) = await RunSeparatelyAsync(program, arguments);
        return stdout + stderr;
    }

    /// <summary>As <see cref="RunAsync"/>, keeping stdout apart (a program's data) from stderr (its messages).</summary>
    public static async Task<(string Stdout, string Stderr)> RunSeparatelyAsync(string program, params string[] arguments)
    {
        if (program != "npm" && !Directory.Exists(Path.Combine(Folder, "node_modules")))
        {
            await RunAsync("npm", "ci", "--prefix", Folder, "--no-audit", "--no-fund", "--loglevel=error");
        }

        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await process.WaitForExitAsync(timeout.Token);
        var (output, messages) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}{messages}");
        return (output, messages);
    }
}
