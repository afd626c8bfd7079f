using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RuralRegistry.Application.Imports;

/// <summary>The parts of an import timed separately (see <see cref="ImportTelemetry"/>; logged at Debug when the import ends).</summary>
public enum ImportPhase
{
    /// <summary>Reading, hashing, parsing and checking records (on the read-ahead thread; overlaps the rest).</summary>
    Read,

    /// <summary>The writer waiting for the next batch to be read.</summary>
    WaitForRead,

    /// <summary>Looking up stored fingerprints and reporting records unchanged without reading them.</summary>
    Unchanged,

    /// <summary>Checking records the read-ahead did not check, publishers, duplicates within the import.</summary>
    Check,

    /// <summary>Loading the stored projects the batch changes, and resolving funding measures and goals.</summary>
    Load,

    /// <summary>Resolving (and registering) partners.</summary>
    Partners,

    /// <summary>Building the new and changed projects and their links.</summary>
    Build,

    /// <summary>Writing projects, links, change numbers and feed entries.</summary>
    Write,

    /// <summary>The refresh of the derived search rows of the batch's changed projects.</summary>
    Refresh,

    /// <summary>Fingerprints and report rows.</summary>
    Report,

    /// <summary>Commit and the import's progress.</summary>
    Commit,
}

/// <summary>
/// The import's instruments (<see cref="System.Diagnostics"/>): a span per import (<see cref="ImportActivity"/>),
/// per batch (<see cref="BatchActivity"/>) and per phase (<see cref="PhaseActivity"/>, tagged <see cref="PhaseTag"/>),
/// and a histogram of phase durations in seconds (<see cref="PhaseDurationName"/>, tagged by phase). Without a
/// listener nothing is created: a phase then costs two timestamps.
/// </summary>
public static class ImportTelemetry
{
    public const string Name = "RuralRegistry.Imports";

    public const string ImportActivity = "import";

    public const string BatchActivity = "import.batch";

    public const string PhaseActivity = "import.phase";

    public const string PhaseTag = "import.phase";

    public const string ImportIdTag = "import.id";

    public const string RecordsTag = "import.records";

    public const string PhaseDurationName = "import.phase.duration";

    public static ActivitySource Source { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);

    public static Histogram<double> PhaseDuration { get; } = Meter.CreateHistogram<double>(
        PhaseDurationName, "s", "Time an import spent in one phase of one batch (the read-ahead and the two batches in flight overlap).");

    public const string RecordsName = "registry_api.imports.records";

    public const string BatchesName = "registry_api.imports.batches";

    public const string DurationName = "registry_api.imports.duration";

    public const string OutcomeTag = "outcome";

    public const string StateTag = "state";

    /// <summary>Records of finished imports by outcome (created, updated, unchanged, failed, deleted); dry runs are not counted.</summary>
    public static Counter<long> Records { get; } = Meter.CreateCounter<long>(
        RecordsName, "{record}", "Records of finished imports (dry runs aside), by outcome: created, updated, unchanged, failed, deleted (pruned).");

    /// <summary>Batches an import has written (each one transaction of at most Imports:BatchSize records).</summary>
    public static Counter<long> Batches { get; } = Meter.CreateCounter<long>(
        BatchesName, "{batch}", "Import batches written (each in a transaction of its own unless the import is atomic or a dry run).");

    /// <summary>How long imports ran, from their start to their end, by the state they ended in.</summary>
    public static Histogram<double> Duration { get; } = Meter.CreateHistogram<double>(
        DurationName, "s", "How long an import ran, from its start to its end, by the state it ended in (completed, failed).");

    /// <summary>Counts a finished import: its records by outcome (unless a dry run) and its duration.</summary>
    public static void Finished(Domain.Imports.Import import, TimeSpan duration) =>
        Ended(import.State.ToString().ToLowerInvariant(), duration, import.DryRun, import.Counts);

    /// <summary>
    /// Counts an import a lease store ended as failed (it stopped on an unexpected error, made no progress, or its lease
    /// lapsed): its duration, and the records its committed batches kept, as <see cref="Finished"/> counts an import
    /// its run ended.
    /// </summary>
    public static void Failed(FailedImport import) =>
        Ended(Domain.Imports.ImportState.Failed.ToString().ToLowerInvariant(), import.Ran, import.DryRun, import.Counts);

    private static void Ended(string state, TimeSpan duration, bool dryRun, Domain.Imports.ImportCounts counts)
    {
        Duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(StateTag, state));
        if (dryRun || !Records.Enabled)
        {
            return;
        }

        foreach (var (outcome, count) in (ReadOnlySpan<(string, int)>)[
            ("created", counts.Created), ("updated", counts.Updated), ("unchanged", counts.Unchanged), ("failed", counts.Failed), ("deleted", counts.Deleted)])
        {
            if (count > 0)
            {
                Records.Add(count, new KeyValuePair<string, object?>(OutcomeTag, outcome));
            }
        }
    }

    /// <summary>Starts the span of one import; the phases of its batches are its descendants.</summary>
    public static Activity? StartImport(Guid importId) =>
        Source.StartActivity(ImportActivity, ActivityKind.Internal)?.SetTag(ImportIdTag, importId.ToString());

    public static Activity? StartBatch()
    {
        Batches.Add(1);
        return Source.StartActivity(BatchActivity, ActivityKind.Internal);
    }

    /// <summary>Times one phase until disposed: <c>using (ImportTelemetry.Phase(ImportPhase.Check)) { ... }</c>.</summary>
    public static PhaseScope Phase(ImportPhase phase) => new(phase, Source.StartActivity(PhaseActivity, ActivityKind.Internal)?.SetTag(PhaseTag, phase.ToString()));

    /// <summary>One phase being timed.</summary>
    public readonly struct PhaseScope(ImportPhase phase, Activity? activity) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public void Dispose()
        {
            activity?.Dispose();
            if (PhaseDuration.Enabled)
            {
                PhaseDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, new KeyValuePair<string, object?>(PhaseTag, phase.ToString()));
            }
        }
    }
}

/// <summary>
/// Wall-clock time per <see cref="ImportPhase"/> of one import, added up over the threads that run it: the
/// read-ahead thread adds to <see cref="ImportPhase.Read"/>, and the two batches in flight each add their own
/// phases, so the phases of an import that commits batch by batch add up to more than its duration.
/// Filled by <see cref="ImportPhaseLog"/> from the import's spans.
/// </summary>
public sealed class ImportPhases
{
    private readonly long[] _ticks = new long[Enum.GetValues<ImportPhase>().Length];
    private int _batches;

    // The process's allocations and collections since the import began (other requests' too): what the import costs the GC.
    private readonly long _allocated = GC.GetTotalAllocatedBytes();
    private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();

    public int Batches => Volatile.Read(ref _batches);

    public void AddBatch() => Interlocked.Increment(ref _batches);

    public void Add(ImportPhase phase, TimeSpan duration) => Interlocked.Add(ref _ticks[(int)phase], duration.Ticks);

    public TimeSpan this[ImportPhase phase] => TimeSpan.FromTicks(Interlocked.Read(ref _ticks[(int)phase]));

    /// <summary>
    /// E.g. "12.3 s, 100 batches: Read 4.1 s; WaitForRead 0.2 s; ...; process: 2840 MB allocated, collections gen0/1/2 48/22/12,
    /// GC pauses 2.26 s" (phases that took no time left out; the process's figures count other requests too).
    /// </summary>
    public string Describe(TimeSpan duration)
    {
        var text = new StringBuilder($"{duration.TotalSeconds:0.00} s, {Batches} batches:");
        foreach (var phase in Enum.GetValues<ImportPhase>())
        {
            if (this[phase] > TimeSpan.Zero)
            {
                text.Append($" {phase} {this[phase].TotalSeconds:0.00} s;");
            }
        }

        return text.ToString().TrimEnd(';') + $"; process: {(GC.GetTotalAllocatedBytes() - _allocated) / 1048576} MB allocated, collections gen0/1/2 "
            + $"{GC.CollectionCount(0) - _collections[0]}/{GC.CollectionCount(1) - _collections[1]}/{GC.CollectionCount(2) - _collections[2]}, "
            + $"GC pauses {(GC.GetTotalPauseDuration() - _paused).TotalSeconds:0.00} s";
    }
}

/// <summary>
/// The import log (at Debug, as <c>bench/import/run.sh</c> with <c>BENCH_IMPORT_LOG=1</c> prints it): an
/// <see cref="ActivityListener"/> on <see cref="ImportTelemetry.Source"/>, present only while Debug is enabled for
/// this category, adds each phase span to its import's <see cref="ImportPhases"/> and logs them when the import's
/// span ends.
/// </summary>
public sealed class ImportPhaseLog : IDisposable
{
    private const string PhasesProperty = "import.phases";

    private readonly ActivityListener? _listener;

    public ImportPhaseLog(ILogger<ImportPhaseLog> logger)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ImportTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.OperationName == ImportTelemetry.ImportActivity)
                {
                    activity.SetCustomProperty(PhasesProperty, new ImportPhases());
                }
            },
            ActivityStopped = activity =>
            {
                var import = activity;
                while (import is not null && import.OperationName != ImportTelemetry.ImportActivity)
                {
                    import = import.Parent;
                }

                if (import?.GetCustomProperty(PhasesProperty) is not ImportPhases phases)
                {
                    return;
                }

                if (activity.OperationName == ImportTelemetry.PhaseActivity
                    && Enum.TryParse<ImportPhase>(activity.GetTagItem(ImportTelemetry.PhaseTag) as string, out var phase))
                {
                    phases.Add(phase, activity.Duration);
                }
                else if (activity.OperationName == ImportTelemetry.BatchActivity)
                {
                    phases.AddBatch();
                }
                else if (activity == import)
                {
                    logger.LogDebug(
                        "Import {ImportId} of {Records} records took {Phases}",
                        activity.GetTagItem(ImportTelemetry.ImportIdTag), activity.GetTagItem(ImportTelemetry.RecordsTag), phases.Describe(activity.Duration));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts an import's span (see <see cref="ImportTelemetry.StartImport"/>); its phases are logged when it ends.</summary>
    public Activity? StartImport(Guid importId) => ImportTelemetry.StartImport(importId);

    public void Dispose() => _listener?.Dispose();
}
