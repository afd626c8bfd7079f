namespace RuralRegistry.Application.Abstractions;

/// <summary>
/// A job the API runs on a schedule, once per period across every API process that shares the database (see
/// Infrastructure's <c>ScheduledJobs</c>): whichever process finds it due first runs it, under its advisory lock. A
/// run that fails is logged; the next period's run catches up.
/// </summary>
public interface IScheduledJob
{
    Task RunOnceAsync(CancellationToken cancellationToken);
}
