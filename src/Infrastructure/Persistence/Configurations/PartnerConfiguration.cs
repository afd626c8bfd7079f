using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Publishers;
using RuralRegistry.Infrastructure.Persistence.Json;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public const string NameSearch = "NameSearch";

    public void Configure(EntityTypeBuilder<Partner> builder)
    {
        builder.ToTable("partners");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasOne<Publisher>().WithMany().HasForeignKey(p => p.OwnerPublisherId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.OwnerPublisherId);
        builder.Property(p => p.Details).HasJsonConversion();
        builder.Property(p => p.NameKeys).HasColumnType("text[]");
        builder.HasIndex(p => p.NameKeys).HasMethod("gin");
        // Folded names and acronym as one text, for q on the partner list (trigram index: any substring).
        builder.Property<string>(NameSearch).HasColumnType("text")
            .HasComputedColumnSql("registry.joined(name_keys) || ' ' || lower(coalesce(details ->> 'acronym', ''))", stored: true);
        builder.HasIndex(NameSearch).HasMethod("gin").HasOperators("gin_trgm_ops").HasFilter("deleted_at IS NULL");
        builder.Property(p => p.CountryKey).HasMaxLength(2);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => p.Version);
        builder.Ignore(p => p.IsDeleted);
        builder.HasMany(p => p.IdentifierRows).WithOne().HasForeignKey(i => i.PartnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.IdentifierRows).HasField("_identifiers");
    }
}

internal sealed class PartnerIdentifierConfiguration : IEntityTypeConfiguration<PartnerIdentifier>
{
    public void Configure(EntityTypeBuilder<PartnerIdentifier> builder)
    {
        builder.ToTable("partner_identifiers");
        builder.HasKey(i => new { i.Scheme, i.Value });
        builder.Property(i => i.Scheme).HasMaxLength(64);
        builder.Property(i => i.Value).HasMaxLength(200);
        builder.HasIndex(i => i.PartnerId);
    }
}
