using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CoreResources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "change_seq",
                schema: "registry");

            migrationBuilder.CreateTable(
                name: "api_keys",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    publisher_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_keys_publishers_publisher_id",
                        column: x => x.publisher_id,
                        principalSchema: "registry",
                        principalTable: "publishers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "changes",
                schema: "registry",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    record_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    operation = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    publisher_id = table.Column<Guid>(type: "uuid", nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_changes", x => x.sequence);
                    table.ForeignKey(
                        name: "fk_changes_publishers_publisher_id",
                        column: x => x.publisher_id,
                        principalSchema: "registry",
                        principalTable: "publishers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "funding_measures",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scheme = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    level = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_funding_measures", x => x.id);
                    table.ForeignKey(
                        name: "fk_funding_measures_funding_measures_parent_id",
                        column: x => x.parent_id,
                        principalSchema: "registry",
                        principalTable: "funding_measures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "goals",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scheme = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    level = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_goals", x => x.id);
                    table.ForeignKey(
                        name: "fk_goals_goals_parent_id",
                        column: x => x.parent_id,
                        principalSchema: "registry",
                        principalTable: "goals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_publisher_id = table.Column<Guid>(type: "uuid", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false),
                    name_keys = table.Column<string[]>(type: "text[]", nullable: false),
                    country_key = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partners", x => x.id);
                    table.ForeignKey(
                        name: "fk_partners_publishers_owner_publisher_id",
                        column: x => x.owner_publisher_id,
                        principalSchema: "registry",
                        principalTable: "publishers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    publisher_id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                    table.ForeignKey(
                        name: "fk_projects_publishers_publisher_id",
                        column: x => x.publisher_id,
                        principalSchema: "registry",
                        principalTable: "publishers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partner_identifiers",
                schema: "registry",
                columns: table => new
                {
                    scheme = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partner_identifiers", x => new { x.scheme, x.value });
                    table.ForeignKey(
                        name: "fk_partner_identifiers_partners_partner_id",
                        column: x => x.partner_id,
                        principalSchema: "registry",
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_funding_measures",
                schema: "registry",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    funding_measure_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_funding_measures", x => new { x.project_id, x.funding_measure_id });
                    table.ForeignKey(
                        name: "fk_project_funding_measures_funding_measures_funding_measure_id",
                        column: x => x.funding_measure_id,
                        principalSchema: "registry",
                        principalTable: "funding_measures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_project_funding_measures_projects_project_id",
                        column: x => x.project_id,
                        principalSchema: "registry",
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_goals",
                schema: "registry",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    goal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    relevance = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_goals", x => new { x.project_id, x.goal_id });
                    table.ForeignKey(
                        name: "fk_project_goals_goals_goal_id",
                        column: x => x.goal_id,
                        principalSchema: "registry",
                        principalTable: "goals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_project_goals_projects_project_id",
                        column: x => x.project_id,
                        principalSchema: "registry",
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_partners",
                schema: "registry",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    partner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    budget_share = table.Column<string>(type: "jsonb", nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_partners", x => new { x.project_id, x.partner_id });
                    table.ForeignKey(
                        name: "fk_project_partners_partners_partner_id",
                        column: x => x.partner_id,
                        principalSchema: "registry",
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_project_partners_projects_project_id",
                        column: x => x.project_id,
                        principalSchema: "registry",
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_publisher_id",
                schema: "registry",
                table: "api_keys",
                column: "publisher_id");

            migrationBuilder.CreateIndex(
                name: "ix_changes_publisher_id",
                schema: "registry",
                table: "changes",
                column: "publisher_id");

            migrationBuilder.CreateIndex(
                name: "ix_changes_record_type_record_id",
                schema: "registry",
                table: "changes",
                columns: new[] { "record_type", "record_id" });

            migrationBuilder.CreateIndex(
                name: "ix_funding_measures_parent_id",
                schema: "registry",
                table: "funding_measures",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_funding_measures_scheme_code",
                schema: "registry",
                table: "funding_measures",
                columns: new[] { "scheme", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_funding_measures_version",
                schema: "registry",
                table: "funding_measures",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "ix_goals_parent_id",
                schema: "registry",
                table: "goals",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_goals_scheme_code",
                schema: "registry",
                table: "goals",
                columns: new[] { "scheme", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_goals_version",
                schema: "registry",
                table: "goals",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "ix_partner_identifiers_partner_id",
                schema: "registry",
                table: "partner_identifiers",
                column: "partner_id");

            migrationBuilder.CreateIndex(
                name: "ix_partners_name_keys",
                schema: "registry",
                table: "partners",
                column: "name_keys")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_partners_owner_publisher_id",
                schema: "registry",
                table: "partners",
                column: "owner_publisher_id");

            migrationBuilder.CreateIndex(
                name: "ix_partners_version",
                schema: "registry",
                table: "partners",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "ix_project_funding_measures_funding_measure_id",
                schema: "registry",
                table: "project_funding_measures",
                column: "funding_measure_id");

            migrationBuilder.CreateIndex(
                name: "ix_project_goals_goal_id",
                schema: "registry",
                table: "project_goals",
                column: "goal_id");

            migrationBuilder.CreateIndex(
                name: "ix_project_partners_partner_id",
                schema: "registry",
                table: "project_partners",
                column: "partner_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_publisher_id_external_id",
                schema: "registry",
                table: "projects",
                columns: new[] { "publisher_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_projects_version",
                schema: "registry",
                table: "projects",
                column: "version");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "changes",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "partner_identifiers",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "project_funding_measures",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "project_goals",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "project_partners",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "funding_measures",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "goals",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "partners",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "projects",
                schema: "registry");

            migrationBuilder.DropSequence(
                name: "change_seq",
                schema: "registry");
        }
    }
}
