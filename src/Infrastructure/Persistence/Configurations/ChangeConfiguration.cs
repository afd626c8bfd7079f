using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class ChangeConfiguration : IEntityTypeConfiguration<Change>
{
    public void Configure(EntityTypeBuilder<Change> builder)
    {
        builder.ToTable("changes");
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Sequence).ValueGeneratedNever();
        builder.Property(c => c.RecordType).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Operation).HasConversion<string>().HasMaxLength(10);
        // publisher_id is checked per statement by triggers (Persistence/Sql/triggers/changes_publisher_id_*).
        builder.HasIndex(c => c.PublisherId);
        // Retention prunes the feed by age.
        builder.HasIndex(c => c.OccurredAt);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
        builder.Property(k => k.SecretHash).HasMaxLength(32);
        builder.Property(k => k.Scopes).HasColumnType("text[]")
            .HasDefaultValueSql("ARRAY['imports:write'::text, 'partners:write'::text, 'projects:write'::text]");
        builder.HasOne<Publisher>().WithMany().HasForeignKey(k => k.PublisherId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.PublisherId);
        builder.Ignore(k => k.IsRevoked);
    }
}
