using System.Diagnostics;
using System.Text;

namespace RuralRegistry.Application.Imports;

/// <summary>The parts of an import timed separately (logged at Debug when the import ends).</summary>
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
/// Wall-clock time per <see cref="ImportPhase"/> of one import, added up over the threads that run it: the
/// read-ahead thread adds to <see cref="ImportPhase.Read"/>, and the two batches in flight each add their own
/// phases, so the phases of an import that commits batch by batch add up to more than its duration.
/// </summary>
public sealed class ImportPhases
{
    private readonly long[] _ticks = new long[Enum.GetValues<ImportPhase>().Length];
    private readonly long _started = Stopwatch.GetTimestamp();

    // The process's allocations and collections since the import began (other requests' too): what the import costs the GC.
    private readonly long _allocated = GC.GetTotalAllocatedBytes();
    private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();

    public int Batches { get; set; }

    /// <summary>Adds the time since <paramref name="since"/> to <paramref name="phase"/>; returns now, to time the next phase from.</summary>
    public long Lap(ImportPhase phase, long since)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _ticks[(int)phase], now - since);
        return now;
    }

    public TimeSpan this[ImportPhase phase] => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)phase]));

    /// <summary>
    /// E.g. "12.3 s, 100 batches: Read 4.1 s; WaitForRead 0.2 s; ...; process: 2840 MB allocated, collections gen0/1/2 48/22/12,
    /// GC pauses 2.26 s" (phases that took no time left out; the process's figures count other requests too).
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Stopwatch.GetElapsedTime(_started).TotalSeconds:0.00} s, {Batches} batches:");
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
