using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class ImportConfiguration : IEntityTypeConfiguration<Import>
{
    public void Configure(EntityTypeBuilder<Import> builder)
    {
        builder.ToTable("imports");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.HasOne<Publisher>().WithMany().HasForeignKey(i => i.PublisherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.PublisherId);
        builder.Property(i => i.Actor).HasMaxLength(PublisherCode.MaxLength);
        builder.Property(i => i.IdempotencyKey).HasMaxLength(Import.IdempotencyKeyMaxLength);
        builder.HasIndex(i => new { i.Actor, i.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        builder.Property(i => i.RequestHash).HasMaxLength(64);
        builder.Property(i => i.State).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(i => i.State);
        builder.Property(i => i.Error).HasMaxLength(Import.ErrorMaxLength);
        builder.Ignore(i => i.Counts);
        builder.Ignore(i => i.IsFinished);
    }
}

internal sealed class ImportRecordConfiguration : IEntityTypeConfiguration<ImportRecord>
{
    public void Configure(EntityTypeBuilder<ImportRecord> builder)
    {
        builder.ToTable("import_records");
        builder.HasKey(r => new { r.ImportId, r.Position });
        builder.HasOne<Import>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.ExternalId).HasMaxLength(Project.ExternalIdMaxLength);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Problem).HasColumnType("jsonb");
    }
}

internal sealed class ImportFingerprintConfiguration : IEntityTypeConfiguration<ImportFingerprint>
{
    public void Configure(EntityTypeBuilder<ImportFingerprint> builder)
    {
        builder.ToTable("import_fingerprints");
        builder.HasKey(f => f.ProjectId);
        builder.HasOne<Project>().WithOne().HasForeignKey<ImportFingerprint>(f => f.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(f => f.Fingerprint).HasMaxLength(32);
    }
}
