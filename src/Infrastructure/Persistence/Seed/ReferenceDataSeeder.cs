using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Goals;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Seed;

/// <summary>
/// Loads the reference data shipped in <c>reference-data.json</c> (the EU code lists and the national
/// programme nodes, network objectives and actions the demo records need) by upserting each node by its
/// scheme and code: a second run changes nothing and takes no new versions.
/// </summary>
public sealed class ReferenceDataSeeder(
    RegistryDbContext db, FundingMeasureService measures, GoalService goals, ILogger<ReferenceDataSeeder> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var data = await LoadAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Instances starting together seed one after the other; the later ones find nothing to change.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLocks.FixedSpace}, {AdvisoryLocks.ReferenceData})", cancellationToken);
        var changed = 0;
        foreach (var node in ParentsFirst(data.FundingMeasures))
        {
            var request = new FundingMeasureRequest(node.Scheme, node.Code, node.Level, node.Name, node.Fund, node.Country, node.Period?.Start, node.Period?.End, node.Parent);
            changed += Count(await measures.StageAsync(Valid(FundingMeasureService.Validate(request), node), null, cancellationToken), node);
        }

        foreach (var node in ParentsFirst(data.Goals))
        {
            var request = new GoalRequest(node.Scheme, node.Code, node.Level, node.Name, node.Parent);
            changed += Count(await goals.StageAsync(Valid(GoalService.Validate(request), node), null, cancellationToken), node);
        }

        await db.SaveChangesAsync(cancellationToken);
        await measures.RestampStagedAsync(cancellationToken);
        await goals.RestampStagedAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Reference data: {Changed} of {Total} nodes created or updated.", changed, data.FundingMeasures.Count + data.Goals.Count);
    }

    private static async Task<ReferenceData> LoadAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(ReferenceDataSeeder).Assembly.GetManifestResourceStream("RuralRegistry.Infrastructure.reference-data.json")
            ?? throw new InvalidOperationException("The embedded reference-data.json is missing.");
        return await JsonSerializer.DeserializeAsync<ReferenceData>(stream, Json, cancellationToken)
            ?? throw new InvalidOperationException("reference-data.json is empty.");
    }

    /// <summary>Orders nodes so each comes after its parent within the same list.</summary>
    private static List<Node> ParentsFirst(IReadOnlyList<Node> nodes)
    {
        var placed = new HashSet<(string?, string?)>();
        var ordered = new List<Node>(nodes.Count);
        var pending = nodes.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(n => n.Parent is null || placed.Contains((n.Parent.Scheme, n.Parent.Code)) || !nodes.Any(p => p.Scheme == n.Parent.Scheme && p.Code == n.Parent.Code)).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("reference-data.json has a cycle of parents.");
            }

            foreach (var node in ready)
            {
                placed.Add((node.Scheme, node.Code));
                ordered.Add(node);
                pending.Remove(node);
            }
        }

        return ordered;
    }

    private static T Valid<T>(Result<T> result, Node node) =>
        result.Failure is { } failure
            ? throw new InvalidOperationException($"reference-data.json: {node.Scheme}/{node.Code} is invalid: {string.Join("; ", failure.Errors.Select(e => $"{e.Pointer} {e.Detail}"))}")
            : result.Value!;

    private static int Count(Result<Written<Guid>> result, Node node) =>
        Valid(result, node).Status == WriteStatus.Unchanged ? 0 : 1;

    private sealed record ReferenceData(IReadOnlyList<Node> FundingMeasures, IReadOnlyList<Node> Goals);

    private sealed record Period(string? Start, string? End);

    private sealed record Node(
        string? Scheme, string? Code, string? Level, Dictionary<string, string?>? Name, string? Fund, string? Country, Period? Period, ReferenceDto? Parent);
}
