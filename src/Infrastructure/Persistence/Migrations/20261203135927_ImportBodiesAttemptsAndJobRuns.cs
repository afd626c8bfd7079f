using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImportBodiesAttemptsAndJobRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                schema: "registry",
                table: "imports",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Rows from before count as never claimed; the model has no default (every import sets its attempts).
            migrationBuilder.Sql("ALTER TABLE registry.imports ALTER COLUMN attempts DROP DEFAULT;");

            migrationBuilder.AddColumn<string>(
                name: "body_format",
                schema: "registry",
                table: "imports",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "import_body_chunks",
                schema: "registry",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", maxLength: 1048576, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_body_chunks", x => new { x.import_id, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "scheduled_job_runs",
                schema: "registry",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    last_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    runs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_job_runs", x => x.name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_body_chunks",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "scheduled_job_runs",
                schema: "registry");

            migrationBuilder.DropColumn(
                name: "attempts",
                schema: "registry",
                table: "imports");

            migrationBuilder.DropColumn(
                name: "body_format",
                schema: "registry",
                table: "imports");
        }
    }
}
