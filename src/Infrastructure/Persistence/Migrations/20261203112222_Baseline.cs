using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;
using RuralRegistry.Infrastructure.Persistence.Sql;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The whole schema as of the squash of the first nineteen migrations (no release had shipped and no database
    /// outside tests and benches held data): the tables, keys and indexes of the EF model, then the objects of
    /// Persistence/Sql in the order <see cref="SqlObjects"/> gives. From here on each migration is small, names what
    /// it changes, and re-applies the Persistence/Sql files it changes.
    /// </summary>
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "registry");

            // In schema public by name, before EF's own CREATE EXTENSION IF NOT EXISTS (which names no schema): a role
            // named like the schema (registry) would otherwise get them in registry, its "$user" schema, and the
            // functions and the text search configuration name public.unaccent.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
                CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
                CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public;
                """);

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.ApplySqlObjects(SqlObjects.BeforeTables);

            migrationBuilder.CreateSequence(
                name: "change_seq",
                schema: "registry");

            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    method = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    path = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    trace_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "change_feed_state",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    pruned_through = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("change_feed_state_pkey", x => x.id);
                    table.CheckConstraint("change_feed_state_id_check", "id = 1");
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
                name: "import_fingerprints",
                schema: "registry",
                columns: table => new
                {
                    project_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    mark = table.Column<long>(type: "bigint", nullable: false),
                    fingerprint = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_fingerprints", x => x.project_id);
                });

            migrationBuilder.CreateTable(
                name: "import_records",
                schema: "registry",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    index = table.Column<int>(type: "integer", nullable: true),
                    external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    project_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    problem = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_records", x => new { x.import_id, x.position });
                });

            migrationBuilder.CreateTable(
                name: "project_documents",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    document = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("project_documents_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "project_search",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    publisher_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    written_xid = table.Column<long>(type: "bigint", nullable: false),
                    title_key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    declared_status = table.Column<string>(type: "text", nullable: false),
                    start_lo = table.Column<DateOnly>(type: "date", nullable: true),
                    start_hi = table.Column<DateOnly>(type: "date", nullable: true),
                    end_lo = table.Column<DateOnly>(type: "date", nullable: true),
                    end_hi = table.Column<DateOnly>(type: "date", nullable: true),
                    budget_amount = table.Column<decimal>(type: "numeric", nullable: true),
                    budget_currency = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    countries = table.Column<string[]>(type: "text[]", nullable: false),
                    measure_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    goal_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    facets = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("project_search_pkey", x => x.id);
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
                    languages = table.Column<string[]>(type: "text[]", nullable: false, defaultValueSql: "ARRAY[]::text[]"),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "publishers",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_publishers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "search_terms",
                schema: "registry",
                columns: table => new
                {
                    term = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("search_terms_pkey", x => x.term);
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
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scopes = table.Column<string[]>(type: "text[]", nullable: false, defaultValueSql: "ARRAY['imports:write'::text, 'partners:write'::text, 'projects:write'::text]"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
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
                name: "imports",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    publisher_id = table.Column<Guid>(type: "uuid", nullable: true),
                    actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    atomic = table.Column<bool>(type: "boolean", nullable: false),
                    dry_run = table.Column<bool>(type: "boolean", nullable: false),
                    prune = table.Column<bool>(type: "boolean", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    result_status = table.Column<int>(type: "integer", nullable: true),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    created = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    deleted = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_imports", x => x.id);
                    table.ForeignKey(
                        name: "fk_imports_publishers_publisher_id",
                        column: x => x.publisher_id,
                        principalSchema: "registry",
                        principalTable: "publishers",
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
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    name_search = table.Column<string>(type: "text", nullable: true, computedColumnSql: "registry.joined(name_keys) || ' ' || lower(coalesce(details ->> 'acronym', ''))", stored: true)
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

            migrationBuilder.InsertData(
                schema: "registry",
                table: "change_feed_state",
                columns: new[] { "id", "pruned_through" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_publisher_id",
                schema: "registry",
                table: "api_keys",
                column: "publisher_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_actor",
                schema: "registry",
                table: "audit_entries",
                column: "actor");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_occurred_at",
                schema: "registry",
                table: "audit_entries",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_changes_occurred_at",
                schema: "registry",
                table: "changes",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_changes_publisher_id",
                schema: "registry",
                table: "changes",
                column: "publisher_id");

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
                name: "ix_imports_actor_idempotency_key",
                schema: "registry",
                table: "imports",
                columns: new[] { "actor", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_imports_publisher_id",
                schema: "registry",
                table: "imports",
                column: "publisher_id");

            migrationBuilder.CreateIndex(
                name: "ix_imports_state",
                schema: "registry",
                table: "imports",
                column: "state");

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
                name: "ix_partners_name_search",
                schema: "registry",
                table: "partners",
                column: "name_search",
                filter: "deleted_at IS NULL")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

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
                name: "ix_project_documents_document",
                schema: "registry",
                table: "project_documents",
                column: "document")
                .Annotation("Npgsql:IndexMethod", "gin");

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
                name: "ix_project_search_budget",
                schema: "registry",
                table: "project_search",
                columns: new[] { "budget_currency", "budget_amount" });

            migrationBuilder.CreateIndex(
                name: "ix_project_search_end",
                schema: "registry",
                table: "project_search",
                columns: new[] { "end_hi", "start_lo" });

            migrationBuilder.CreateIndex(
                name: "ix_project_search_facets",
                schema: "registry",
                table: "project_search",
                column: "facets")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_project_search_publisher_version",
                schema: "registry",
                table: "project_search",
                columns: new[] { "publisher_id", "version" });

            migrationBuilder.CreateIndex(
                name: "ix_project_search_title",
                schema: "registry",
                table: "project_search",
                columns: new[] { "title_key", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_project_search_updated_at",
                schema: "registry",
                table: "project_search",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "ix_project_search_version",
                schema: "registry",
                table: "project_search",
                column: "version");

            migrationBuilder.CreateIndex(
                name: "ix_projects_publisher_id_external_id",
                schema: "registry",
                table: "projects",
                columns: new[] { "publisher_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_publishers_code",
                schema: "registry",
                table: "publishers",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_search_terms_trigram",
                schema: "registry",
                table: "search_terms",
                column: "term")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.ApplySqlObjects(
                SqlObjects.AfterTables,
                ownCopies: new Dictionary<string, string> { ["registry.refresh_project_search"] = RefreshProjectSearchAtBaseline });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "change_feed_state",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "changes",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "funding_measures",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "goals",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "import_fingerprints",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "import_records",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "imports",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "partner_identifiers",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "project_documents",
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
                name: "project_search",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "search_terms",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "partners",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "projects",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "publishers",
                schema: "registry");

            migrationBuilder.DropSequence(
                name: "change_seq",
                schema: "registry");

            migrationBuilder.DropSqlObjects(SqlObjects.All);
        }
    }
}
