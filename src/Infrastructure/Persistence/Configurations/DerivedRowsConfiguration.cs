using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RuralRegistry.Infrastructure.Persistence.Derived;

namespace RuralRegistry.Infrastructure.Persistence.Configurations;

// Tables written by SQL only (Persistence/Sql): declared here so that the model describes the whole schema. Their
// keys keep PostgreSQL's default names, and they have no foreign keys: registry.refresh_project_search writes them
// in the transaction that writes their project, and triggers remove them with it. (project_representations is
// written by the write unit's refresh in the same way, from C#: Projects/ProjectRepresentations.)

internal sealed class ProjectSearchRowConfiguration : IEntityTypeConfiguration<ProjectSearchRow>
{
    public void Configure(EntityTypeBuilder<ProjectSearchRow> builder)
    {
        builder.ToTable("project_search");
        builder.HasKey(s => s.Id).HasName("project_search_pkey");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.TitleKey).HasColumnType("text").UseCollation("C");
        builder.Property(s => s.DeclaredStatus).HasColumnType("text");
        builder.Property(s => s.Status).HasColumnType("text");
        builder.Property(s => s.BudgetAmount).HasColumnType("numeric");
        builder.Property(s => s.BudgetCurrency).HasColumnType("text").UseCollation("C");
        builder.Property(s => s.Countries).HasColumnType("text[]");
        builder.Property(s => s.Facets).HasColumnType("text[]");
        builder.HasIndex(s => s.Facets).HasMethod("gin").HasDatabaseName("ix_project_search_facets");
        builder.HasIndex(s => new { s.PublisherId, s.Version }).HasDatabaseName("ix_project_search_publisher_version");
        // Covering: a list page in the default order walks this index backwards and tests each row's facets and
        // status (ProjectOrder.WalkStatement), and a later page of the walk its written_xid too, so with them here
        // the walk is an index-only scan, not one heap page per row walked (ListWalkPlanTests; bench/README, "Reads",
        // run 11). It makes the index about 20 times larger, and a first import about 8% slower (the same section).
        builder.HasIndex(s => s.Version).HasDatabaseName("ix_project_search_version")
            .IncludeProperties(s => new { s.Id, s.Status, s.Facets, s.WrittenXid });
        builder.HasIndex(s => new { s.TitleKey, s.Id }).HasDatabaseName("ix_project_search_title");
        builder.HasIndex(s => s.UpdatedAt).HasDatabaseName("ix_project_search_updated_at");
        builder.HasIndex(s => new { s.EndHi, s.StartLo }).HasDatabaseName("ix_project_search_end");
        builder.HasIndex(s => new { s.BudgetCurrency, s.BudgetAmount }).HasDatabaseName("ix_project_search_budget");
        // ix_project_search_start_asc and _desc index expressions: Persistence/Sql/indexes.
    }
}

internal sealed class ProjectDocumentConfiguration : IEntityTypeConfiguration<ProjectDocument>
{
    public void Configure(EntityTypeBuilder<ProjectDocument> builder)
    {
        builder.ToTable("project_documents");
        builder.HasKey(d => d.Id).HasName("project_documents_pkey");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.HasIndex(d => d.Document).HasMethod("gin").HasDatabaseName("ix_project_documents_document");
    }
}

internal sealed class ProjectRepresentationConfiguration : IEntityTypeConfiguration<ProjectRepresentation>
{
    public void Configure(EntityTypeBuilder<ProjectRepresentation> builder)
    {
        builder.ToTable("project_representations");
        builder.HasKey(r => r.Id).HasName("project_representations_pkey");
        builder.Property(r => r.Id).ValueGeneratedNever();
        // lz4, not pglz: half of the bodies pass the 2 kB TOAST threshold and are compressed on write and
        // decompressed on every read; lz4 halves the write and is 3× faster to read (bench/README, "lz4").
        builder.Property(r => r.Body).HasColumnType("bytea").UseCompressionMethod("lz4");
    }
}

internal sealed class SearchTermConfiguration : IEntityTypeConfiguration<SearchTerm>
{
    public void Configure(EntityTypeBuilder<SearchTerm> builder)
    {
        builder.ToTable("search_terms");
        builder.HasKey(t => t.Term).HasName("search_terms_pkey");
        builder.Property(t => t.Term).HasColumnType("text").UseCollation("C");
        builder.HasIndex(t => t.Term).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_search_terms_trigram");
    }
}

internal sealed class ChangeFeedStateConfiguration : IEntityTypeConfiguration<ChangeFeedState>
{
    public void Configure(EntityTypeBuilder<ChangeFeedState> builder)
    {
        builder.ToTable("change_feed_state", table => table.HasCheckConstraint("change_feed_state_id_check", $"id = {ChangeFeedState.SingletonId}"));
        builder.HasKey(s => s.Id).HasName("change_feed_state_pkey");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(new { Id = ChangeFeedState.SingletonId, PrunedThrough = 0L });
    }
}
