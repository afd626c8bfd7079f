using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.FundingMeasures;
using RuralRegistry.Domain.Goals;
using RuralRegistry.Infrastructure.Persistence.Json;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class FundingMeasureConfiguration : IEntityTypeConfiguration<FundingMeasure>
{
    public void Configure(EntityTypeBuilder<FundingMeasure> builder)
    {
        builder.ToTable("funding_measures");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Scheme).HasMaxLength(HierarchyNode<FundingMeasureDetails>.SchemeMaxLength).UseCollation("C");
        builder.Property(m => m.Code).HasMaxLength(HierarchyNode<FundingMeasureDetails>.CodeMaxLength).UseCollation("C");
        builder.HasIndex(m => new { m.Scheme, m.Code }).IsUnique();
        builder.Property(m => m.Level).HasMaxLength(64);
        builder.Property(m => m.Details).HasJsonConversion();
        builder.HasOne<FundingMeasure>().WithMany().HasForeignKey(m => m.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.ParentId);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasIndex(m => m.Version);
    }
}

internal sealed class GoalConfiguration : IEntityTypeConfiguration<Goal>
{
    public void Configure(EntityTypeBuilder<Goal> builder)
    {
        builder.ToTable("goals");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.Scheme).HasMaxLength(HierarchyNode<GoalDetails>.SchemeMaxLength).UseCollation("C");
        builder.Property(g => g.Code).HasMaxLength(HierarchyNode<GoalDetails>.CodeMaxLength).UseCollation("C");
        builder.HasIndex(g => new { g.Scheme, g.Code }).IsUnique();
        builder.Property(g => g.Level).HasMaxLength(64);
        builder.Property(g => g.Details).HasJsonConversion();
        builder.HasOne<Goal>().WithMany().HasForeignKey(g => g.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => g.ParentId);
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.HasIndex(g => g.Version);
    }
}
