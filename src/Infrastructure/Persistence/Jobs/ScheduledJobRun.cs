using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RuralRegistry.Infrastructure.Persistence.Jobs;

/// <summary>
/// When a scheduled job last ran, in whichever API process: every process's scheduler reads and moves it under the
/// job's advisory lock, so that a job runs once per period across all of them (see <see cref="ScheduledJobs"/>).
/// </summary>
public sealed class ScheduledJobRun
{
    public const int NameMaxLength = 100;

    private ScheduledJobRun()
    {
        Name = string.Empty;
    }

    public string Name { get; private set; }

    /// <summary>The process that ran it last (host, process id and a per-start suffix).</summary>
    public string? Owner { get; private set; }

    public DateTimeOffset? LastStartedAt { get; private set; }

    public DateTimeOffset? LastFinishedAt { get; private set; }

    /// <summary>How many runs started, across every process.</summary>
    public long Runs { get; private set; }
}

internal sealed class ScheduledJobRunConfiguration : IEntityTypeConfiguration<ScheduledJobRun>
{
    public void Configure(EntityTypeBuilder<ScheduledJobRun> builder)
    {
        builder.ToTable("scheduled_job_runs");
        builder.HasKey(r => r.Name);
        builder.Property(r => r.Name).HasMaxLength(ScheduledJobRun.NameMaxLength);
        builder.Property(r => r.Owner).HasMaxLength(Domain.Imports.Import.LeaseOwnerMaxLength);
    }
}
