using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class PublisherConfiguration : IEntityTypeConfiguration<Publisher>
{
    public void Configure(EntityTypeBuilder<Publisher> builder)
    {
        builder.ToTable("publishers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Code).HasMaxLength(PublisherCode.MaxLength).UseCollation("C");
        builder.HasIndex(p => p.Code).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(Publisher.NameMaxLength);
        builder.Property(p => p.CreatedAt);
        builder.Property(p => p.UpdatedAt);
    }
}
