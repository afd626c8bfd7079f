using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Domain.Projects;
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
        // publisher_id is checked per statement by triggers (Persistence/Sql/triggers/projects_publisher_id_*), not by a
        // foreign key: the model has no relationship for it.
        builder.Property(p => p.Content).HasJsonConversion();
        builder.Property(p => p.Languages).HasColumnType("text[]").HasDefaultValueSql("ARRAY[]::text[]");
        builder.Property(p => p.Version).IsConcurrencyToken();
        // The status as of the version's day, in the representation's words (planned, ongoing...), as registry.project_status gives it.
        builder.Property(p => p.Status).HasMaxLength(20)
            .HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<ProjectStatus>(s, true));
        builder.Ignore(p => p.IsDeleted);

        // The database does not check these keys: links are written only with their project, and the trigger
        // projects_deleted removes them with a deleted project. EF Core keeps the relationships (it loads and replaces
        // the links through them) without a constraint.
        builder.HasMany(p => p.Partners).WithOne().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Cascade)
            .KeptByTrigger("projects_deleted");
        builder.Navigation(p => p.Partners).HasField("_partners");
        builder.HasMany(p => p.FundingMeasures).WithOne().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade)
            .KeptByTrigger("projects_deleted");
        builder.Navigation(p => p.FundingMeasures).HasField("_fundingMeasures");
        builder.HasMany(p => p.Goals).WithOne().HasForeignKey(g => g.ProjectId).OnDelete(DeleteBehavior.Cascade)
            .KeptByTrigger("projects_deleted");
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
        // partner_id is checked per statement by triggers (Persistence/Sql/triggers/project_partners_partner_id_*).
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
        // funding_measure_id is checked per statement by triggers (Persistence/Sql/triggers/project_funding_measures_*).
    }
}

internal sealed class ProjectGoalConfiguration : IEntityTypeConfiguration<ProjectGoal>
{
    public void Configure(EntityTypeBuilder<ProjectGoal> builder)
    {
        builder.ToTable("project_goals");
        builder.HasKey(g => new { g.ProjectId, g.GoalId });
        builder.HasIndex(g => g.GoalId);
        // goal_id is checked per statement by triggers (Persistence/Sql/triggers/project_goals_goal_id_*).
        builder.Property(g => g.Relevance).HasConversion<string>().HasMaxLength(20);
    }
}
