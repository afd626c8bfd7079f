using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Application.Imports;

/// <summary>A batch as read ahead: its records, their fingerprints, and (when records are expected to change) each read and checked.</summary>
internal sealed record ImportBatch(IReadOnlyList<RawRecord> Records, byte[][] Fingerprints, (ProjectRequest? Request, Result<ProjectInput> Validated)?[] Checked)
{
    /// <summary>Completed once the batch's records have claimed their externalIds (<see cref="ImportRun.Claim"/>).</summary>
    public TaskCompletionSource Staged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// What one import remembers across its batches: publishers, measures and goals looked up, records seen, counts.
/// Two batches are checked and written at once, so what they share is safe to use from two threads.
/// </summary>
internal sealed class ImportRun(Caller caller, Func<byte[], (ProjectRequest? Request, IReadOnlyList<FieldError>? Errors)> parse, long mark)
{
    private readonly ConcurrentDictionary<string, Result<Guid>> _publishers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid? Id, string? Scheme, string? Code), Guid?> _measures = new();
    private readonly ConcurrentDictionary<(Guid? Id, string? Scheme, string? Code), Guid?> _goals = new();

    /// <summary>The records of the import so far, by publisher and externalId, with the index that named each first.</summary>
    public ConcurrentDictionary<(Guid PublisherId, string ExternalId), int> Seen { get; } = [];

    /// <summary>Whether an earlier record than the one at <paramref name="index"/> named <paramref name="key"/>, and which.</summary>
    public bool ClaimedByAnother((Guid PublisherId, string ExternalId) key, int index, out int first) =>
        Seen.TryGetValue(key, out first) && first != index;

    /// <summary>
    /// Records a batch's externalIds as named (before the next batch is checked, so a later record naming one again
    /// is refused). A batch run again after a rollback claims the same records again, which changes nothing.
    /// </summary>
    public void Claim(Dictionary<(Guid PublisherId, string ExternalId), int> staged)
    {
        foreach (var (key, index) in staged)
        {
            Seen.TryAdd(key, index);
        }
    }

    public ImportCounts Counts { get; private set; } = ImportCounts.None;

    /// <summary>Carries on from what an earlier run's committed batches kept: their counts, and the externalIds their records named.</summary>
    public void Resume(ImportResume resume)
    {
        Counts = resume.Counts;
        foreach (var (key, index) in resume.Seen)
        {
            Seen.TryAdd(key, index);
        }
    }

    /// <summary>Where partners, funding measures and goals stood when the import started (see <see cref="IImportStore.ReferenceMarkAsync"/>).</summary>
    public long Mark => mark;

    /// <summary>Whether the last batch was mostly records to read in full, so the next is read and checked ahead.</summary>
    public volatile bool ExpectChanges;

    public async Task<Result<Guid>> PublisherOfAsync(IRegistryDbContext db, string? code, CancellationToken cancellationToken)
    {
        var key = code ?? string.Empty;
        if (!_publishers.TryGetValue(key, out var publisher))
        {
            publisher = await ProjectRules.PublisherOfAsync(db, caller, code, cancellationToken);
            _publishers[key] = publisher;
        }

        return publisher;
    }

    public Guid? Measure(NodeReference reference) => _measures.GetValueOrDefault(Key(reference));

    public Guid? Goal(NodeReference reference) => _goals.GetValueOrDefault(Key(reference));

    /// <summary>Looks up, in one query per kind, the funding measures and goals of a batch not looked up before.</summary>
    public async Task ResolveNodesAsync(IRegistryDbContext db, IEnumerable<ProjectInput> inputs, CancellationToken cancellationToken)
    {
        var list = inputs.ToList();
        var measures = list.SelectMany(i => i.FundingMeasures).Where(r => !_measures.ContainsKey(Key(r))).ToList();
        if (measures.Count > 0)
        {
            var ids = measures.Select(r => r.Id).OfType<Guid>().Distinct().ToList();
            var codes = measures.Where(r => r.Id is null).Select(r => r.Code!).Distinct().ToList();
            var rows = await db.FundingMeasures.AsNoTracking().Where(m => ids.Contains(m.Id) || codes.Contains(m.Code))
                .Select(m => new { m.Id, m.Scheme, m.Code }).ToListAsync(cancellationToken);
            foreach (var reference in measures)
            {
                _measures[Key(reference)] = rows.Where(m => reference.Id is { } id ? m.Id == id : m.Scheme == reference.Scheme && m.Code == reference.Code)
                    .Select(m => (Guid?)m.Id).FirstOrDefault();
            }
        }

        var goals = list.SelectMany(i => i.Goals).Select(g => g.Goal).Where(r => !_goals.ContainsKey(Key(r))).ToList();
        if (goals.Count > 0)
        {
            var ids = goals.Select(r => r.Id).OfType<Guid>().Distinct().ToList();
            var codes = goals.Where(r => r.Id is null).Select(r => r.Code!).Distinct().ToList();
            var rows = await db.Goals.AsNoTracking().Where(g => ids.Contains(g.Id) || codes.Contains(g.Code))
                .Select(g => new { g.Id, g.Scheme, g.Code }).ToListAsync(cancellationToken);
            foreach (var reference in goals)
            {
                _goals[Key(reference)] = rows.Where(g => reference.Id is { } id ? g.Id == id : g.Scheme == reference.Scheme && g.Code == reference.Code)
                    .Select(g => (Guid?)g.Id).FirstOrDefault();
            }
        }
    }

    /// <summary>Counts the outcomes of a committed batch.</summary>
    public void Settle(IEnumerable<ImportOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            Counts = Counts.Add(outcome.Record.Status);
        }
    }

    /// <summary>A record read and checked: the request, and the input or why it is invalid.</summary>
    public (ProjectRequest? Request, Result<ProjectInput> Validated) Check(RawRecord record)
    {
        var (request, unreadable) = parse(record.Bytes);
        return (request, unreadable is not null ? Failure.Invalid(unreadable) : ProjectRequestValidator.Validate(request!));
    }

    private static (Guid? Id, string? Scheme, string? Code) Key(NodeReference reference) =>
        reference.Id is { } id ? (id, null, null) : (null, reference.Scheme, reference.Code);
}
