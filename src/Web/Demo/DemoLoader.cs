using System.Text.Json;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Application.Publishers;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Demo;

/// <summary>
/// <c>load-demo DIR</c>: writes the demo publishers and projects of DIR (deploy/demo) through the same
/// use cases the API runs, as an admin, upserting projects by their external id, so a second load
/// changes nothing.
/// </summary>
internal static class DemoLoader
{
    public static async Task<int> RunAsync(IServiceProvider services, string directory, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var json = provider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoLoader));

        var publishers = JsonSerializer.Deserialize<List<CreatePublisherRequest>>(
            await File.ReadAllTextAsync(Path.Combine(directory, "publishers.json"), cancellationToken), json) ?? [];
        foreach (var publisher in publishers)
        {
            var created = await provider.GetRequiredService<CreatePublisher>().HandleAsync(publisher, cancellationToken);
            if (created.Failure is { Kind: not FailureKind.Conflict } failure)
            {
                logger.LogError("Demo publisher {Code} refused: {Detail}", publisher.Code, failure.Detail);
                return 1;
            }
        }

        var counts = new Dictionary<WriteStatus, int>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "projects"), "*.json").Order(StringComparer.Ordinal))
        {
            var request = JsonSerializer.Deserialize<ProjectRequest>(await File.ReadAllTextAsync(file, cancellationToken), json)
                ?? throw new InvalidDataException($"{file} is empty.");
            var input = ProjectRequestValidator.Validate(request);
            var written = input.Failure is null
                ? await provider.GetRequiredService<ProjectWriter>().WriteAsync(
                    Caller.Admin, new ProjectTarget.ByExternalId(request.ExternalId ?? string.Empty), input.Value!, Preconditions.None, cancellationToken)
                : input.Failure;
            if (written.Failure is { } failure)
            {
                logger.LogError("Demo record {File} refused: {Detail} {Errors}", file, failure.Detail, string.Join("; ", failure.Errors.Select(e => $"{e.Pointer}: {e.Detail}")));
                return 1;
            }

            counts[written.Value!.Status] = counts.GetValueOrDefault(written.Value.Status) + 1;
        }

        logger.LogInformation(
            "Demo data loaded: {Publishers} publishers; projects {Created} created, {Updated} updated, {Unchanged} unchanged.",
            publishers.Count, counts.GetValueOrDefault(WriteStatus.Created), counts.GetValueOrDefault(WriteStatus.Updated), counts.GetValueOrDefault(WriteStatus.Unchanged));
        return 0;
    }
}
