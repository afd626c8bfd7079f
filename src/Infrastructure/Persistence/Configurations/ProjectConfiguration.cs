using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.FundingMeasures;
using RuralRegistry.Domain.Goals;
using RuralRegistry.Domain.Partners;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;
using RuralRegistry.Infrastructure.Persistence.Json;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.ExternalId).HasMaxLength(Project.ExternalIdMaxLength);
        builder.HasIndex(p => new { p.PublisherId, p.ExternalId }).IsUnique();
        // Checked per statement by triggers, not by a foreign key (migration ReferencesCheckedPerStatement).
        builder.HasOne<Publisher>().WithMany().HasForeignKey(p => p.PublisherId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Content).HasJsonConversion();
        builder.Property(p => p.Languages).HasColumnType("text[]");
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.IsDeleted);

        // The database does not check these keys (migration LinksFollowTheirProjectsByTrigger): links are written only
        // with their project, and a trigger removes them with a deleted project.
        builder.HasMany(p => p.Partners).WithOne().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Partners).HasField("_partners");
        builder.HasMany(p => p.FundingMeasures).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.FundingMeasures).HasField("_fundingMeasures");
        builder.HasMany(p => p.Goals).WithOne().HasForeignKey(g => g.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Goals).HasField("_goals");
    }
}

internal sealed class ProjectPartnerConfiguration : IEntityTypeConfiguration<ProjectPartner>
{
    public void Configure(EntityTypeBuilder<ProjectPartner> builder)
    {
        builder.ToTable("project_partners");
        builder.HasKey(p => new { p.ProjectId, p.PartnerId });
        builder.HasIndex(p => p.PartnerId);
        // Checked per statement by triggers, not by a foreign key (migration ReferencesCheckedPerStatement).
        builder.HasOne<Partner>().WithMany().HasForeignKey(p => p.PartnerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.BudgetShare).HasJsonConversion();
    }
}

internal sealed class ProjectFundingMeasureConfiguration : IEntityTypeConfiguration<ProjectFundingMeasure>
{
    public void Configure(EntityTypeBuilder<ProjectFundingMeasure> builder)
    {
        builder.ToTable("project_funding_measures");
        builder.HasKey(m => new { m.ProjectId, m.FundingMeasureId });
        builder.HasIndex(m => m.FundingMeasureId);
        // Checked per statement by triggers, not by a foreign key (migration ReferencesCheckedPerStatement).
        builder.HasOne<FundingMeasure>().WithMany().HasForeignKey(m => m.FundingMeasureId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProjectGoalConfiguration : IEntityTypeConfiguration<ProjectGoal>
{
    public void Configure(EntityTypeBuilder<ProjectGoal> builder)
    {
        builder.ToTable("project_goals");
        builder.HasKey(g => new { g.ProjectId, g.GoalId });
        builder.HasIndex(g => g.GoalId);
        // Checked per statement by triggers, not by a foreign key (migration ReferencesCheckedPerStatement).
        builder.HasOne<Goal>().WithMany().HasForeignKey(g => g.GoalId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(g => g.Relevance).HasConversion<string>().HasMaxLength(20);
    }
}
