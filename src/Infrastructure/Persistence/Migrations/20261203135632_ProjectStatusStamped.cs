using Microsoft.EntityFrameworkCore.Migrations;
using RuralRegistry.Infrastructure.Persistence.Sql;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// A project's status becomes a written fact: <c>projects.status</c> holds the status as of the day its version was
    /// stamped (the write unit stamps it; the status job restamps it as days pass), and <c>project_search.status</c> copies
    /// it for the status filter and statistics (<c>registry.refresh_project_search</c> re-applied). Existing projects get
    /// their status as of today (UTC), which is what their representation showed when this ran.
    /// </summary>
    public partial class ProjectStatusStamped : Migration
    {
        private static readonly SqlObject RefreshProjectSearch = SqlObjects.Named(SqlObjectKind.Function, "registry.refresh_project_search");

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "status",
                schema: "registry",
                table: "projects",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "status",
                schema: "registry",
                table: "project_search",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                UPDATE registry.projects SET status = registry.project_status(
                    coalesce(content ->> 'declaredStatus', 'unknown'),
                    registry.partial_date_first(content ->> 'startDate'),
                    registry.partial_date_last(content ->> 'endDate'),
                    (now() AT TIME ZONE 'UTC')::date);
                UPDATE registry.project_search s SET status = p.status FROM registry.projects p WHERE p.id = s.id;
                ALTER TABLE registry.projects ALTER COLUMN status DROP DEFAULT;
                ALTER TABLE registry.project_search ALTER COLUMN status DROP DEFAULT;
                """);
            migrationBuilder.ApplySqlObjects([RefreshProjectSearch]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Baseline.RefreshProjectSearchAtBaseline);

            migrationBuilder.DropColumn(
                name: "status",
                schema: "registry",
                table: "projects");

            migrationBuilder.DropColumn(
                name: "status",
                schema: "registry",
                table: "project_search");
        }
    }
}
