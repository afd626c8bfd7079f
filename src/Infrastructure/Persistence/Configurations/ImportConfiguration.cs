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
        builder.Property(i => i.LeaseOwner).HasMaxLength(Import.LeaseOwnerMaxLength);
        builder.Property(i => i.BodyFormat).HasMaxLength(Import.BodyFormatMaxLength);
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
        // No foreign key: only the import writes its report rows, after its own row is committed, and a checked key
        // costs a lookup per row (100,000 for a large import). A trigger on imports removes them with their import.
        builder.Property(r => r.ExternalId).HasMaxLength(Project.ExternalIdMaxLength);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Problem).HasColumnType("jsonb");
    }
}

internal sealed class ImportBodyChunkConfiguration : IEntityTypeConfiguration<ImportBodyChunk>
{
    public void Configure(EntityTypeBuilder<ImportBodyChunk> builder)
    {
        builder.ToTable("import_body_chunks");
        builder.HasKey(c => new { c.ImportId, c.Sequence });
        // No foreign key: a body is written while it is received, before its import's row exists (its hash decides
        // whether the request replays an earlier import). The sweep removes pieces no unfinished import claims.
        builder.Property(c => c.Data).HasMaxLength(ImportBodyChunk.MaxBytes);
        builder.Property(c => c.ReceivedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class ImportFingerprintConfiguration : IEntityTypeConfiguration<ImportFingerprint>
{
    public void Configure(EntityTypeBuilder<ImportFingerprint> builder)
    {
        builder.ToTable("import_fingerprints");
        builder.HasKey(f => f.ProjectId);
        // No foreign key: a fingerprint is written in the transaction that writes its project's version, and a
        // checked key costs a lookup per row. A trigger on projects removes it with its project.
        builder.Property(f => f.Fingerprint).HasMaxLength(32);
    }
}
