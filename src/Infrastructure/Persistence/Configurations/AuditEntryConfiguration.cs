using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Audit;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Actor).HasMaxLength(64);
        builder.Property(a => a.KeyId).HasMaxLength(64);
        builder.Property(a => a.Method).HasMaxLength(10);
        builder.Property(a => a.Path).HasMaxLength(AuditEntry.PathMaxLength);
        builder.Property(a => a.TraceId).HasMaxLength(200);
        builder.HasIndex(a => a.Actor);
        builder.HasIndex(a => a.OccurredAt);
    }
}
