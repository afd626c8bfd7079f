using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Three indexes no query reads any more, each an entry to write per project or change: lists, filters and
    /// exports read <c>project_search</c> (with its own version and publisher indexes) since ProjectSearchTables,
    /// so <c>projects (version)</c> and <c>projects (publisher_id, id)</c> served nothing, and the publisher's
    /// projects are found by <c>projects (publisher_id, external_id)</c>; nothing looks changes up by record
    /// (the feed reads them by sequence).
    /// </summary>
    public partial class DropIndexesNoQueryUses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_projects_version",
                schema: "registry",
                table: "projects");

            migrationBuilder.DropIndex(
                name: "ix_changes_record_type_record_id",
                schema: "registry",
                table: "changes");

            migrationBuilder.Sql("DROP INDEX registry.ix_projects_publisher_id;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_projects_publisher_id ON registry.projects (publisher_id, id);");

            migrationBuilder.CreateIndex(
                name: "ix_projects_version",
                schema: "registry",
                table: "projects",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "ix_changes_record_type_record_id",
                schema: "registry",
                table: "changes",
                columns: new[] { "record_type", "record_id" });
        }
    }
}
