using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CoveringVersionWalk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_project_search_version",
                schema: "registry",
                table: "project_search");

            migrationBuilder.CreateIndex(
                name: "ix_project_search_version",
                schema: "registry",
                table: "project_search",
                column: "version")
                .Annotation("Npgsql:IndexInclude", new[] { "id", "status", "facets", "written_xid" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_project_search_version",
                schema: "registry",
                table: "project_search");

            migrationBuilder.CreateIndex(
                name: "ix_project_search_version",
                schema: "registry",
                table: "project_search",
                column: "version");
        }
    }
}
