namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// The key spaces of the registry's PostgreSQL advisory locks. Change numbers held by open transactions
/// are single-bigint locks (the change feed reads them from pg_locks); everything else uses the
/// two-int form, so the two can never be mistaken for each other.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Named locks: (1, hashtext(name) modulo <see cref="NamedBuckets"/>).</summary>
    public const int NamedSpace = 1;

    /// <summary>How many named locks there are (a power of two): names share them, so one transaction holds at most this many.</summary>
    public const int NamedBuckets = 1024;

    /// <summary>Scheduled jobs' locks: (3, hashtext(job name)), held by the process running the job (see Jobs/ScheduledJobs.cs).</summary>
    public const int JobSpace = 3;

    /// <summary>Fixed locks: (2, key).</summary>
    public const int FixedSpace = 2;

    public const int Migrate = 1;

    public const int ReferenceData = 2;

    /// <summary>Taken shared by writers while they take a change number, exclusively by feed readers while they find the settled bound.</summary>
    public const int FeedGuard = 3;
}
