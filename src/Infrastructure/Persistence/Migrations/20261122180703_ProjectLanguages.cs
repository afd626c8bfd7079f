using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProjectLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "languages",
                schema: "registry",
                table: "projects",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.CreateIndex(
                name: "ix_projects_languages",
                schema: "registry",
                table: "projects",
                column: "languages")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.Sql("""
                UPDATE registry.projects p
                   SET languages = ARRAY(
                       SELECT DISTINCT k FROM (
                           SELECT jsonb_object_keys(p.content->'title')
                           UNION SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(p.content->'summary') = 'object' THEN p.content->'summary' ELSE jsonb_build_object() END)
                           UNION SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(p.content->'description') = 'object' THEN p.content->'description' ELSE jsonb_build_object() END)
                       ) AS keys(k) ORDER BY k);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_projects_languages",
                schema: "registry",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "languages",
                schema: "registry",
                table: "projects");
        }
    }
}
