using System.Text.Json;
using RuralRegistry.Examples.Mirror;

// A tiny portal mirror: dotnet run --project deploy/examples/Mirror -- http://127.0.0.1:8080 mirror-out [seconds-between-polls]
// Loads the exports, then follows the change feed, writing the mirror to mirror-out/{projects,partners}.json after each catch-up.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: registry-mirror <api-base-url> <output-folder> [poll-seconds]");
    return 2;
}

var interval = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30);
using var api = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.All }) { BaseAddress = new Uri(args[0]) };
var mirror = new RegistryMirror(api);
var output = Directory.CreateDirectory(args[1]);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await mirror.LoadAsync(stop.Token);
Console.WriteLine($"loaded {mirror.Projects.Count} projects and {mirror.Partners.Count} partners; following the feed after {mirror.Cursor}");
try
{
    while (!stop.IsCancellationRequested)
    {
        var applied = await mirror.CatchUpAsync(stop.Token);
        await File.WriteAllTextAsync(Path.Combine(output.FullName, "projects.json"), JsonSerializer.Serialize(mirror.Projects.Values), stop.Token);
        await File.WriteAllTextAsync(Path.Combine(output.FullName, "partners.json"), JsonSerializer.Serialize(mirror.Partners.Values), stop.Token);
        Console.WriteLine($"{DateTimeOffset.UtcNow:O} applied {applied} changes; cursor {mirror.Cursor}; {mirror.Projects.Count} projects, {mirror.Partners.Count} partners");
        await Task.Delay(interval, stop.Token);
    }
}
catch (OperationCanceledException)
{
    Console.WriteLine("stopped");
}

return 0;
