using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Rows derived from a project (its search row, its document, its import fingerprint) and an import's report rows
    /// lose their foreign keys: each is written only by the statement or transaction that writes what it derives from,
    /// and a checked key costs PostgreSQL a lookup and a row lock per row written (four of them per imported project).
    /// They still go when what they derive from is deleted, by statement-level triggers (set-based, on the deleted rows).
    /// Foreign keys stay where a writer names a row it did not write: links to partners, measures, goals and projects,
    /// and publishers.
    /// </summary>
    public partial class DerivedRowsFollowByTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_import_fingerprints_projects_project_id",
                schema: "registry",
                table: "import_fingerprints");

            migrationBuilder.DropForeignKey(
                name: "fk_import_records_imports_import_id",
                schema: "registry",
                table: "import_records");

            migrationBuilder.Sql("""
                ALTER TABLE registry.project_search DROP CONSTRAINT project_search_id_fkey;
                ALTER TABLE registry.project_documents DROP CONSTRAINT project_documents_id_fkey;

                CREATE FUNCTION registry.forget_deleted_projects() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                BEGIN
                    DELETE FROM registry.project_search s USING deleted d WHERE s.id = d.id;
                    DELETE FROM registry.project_documents s USING deleted d WHERE s.id = d.id;
                    DELETE FROM registry.import_fingerprints f USING deleted d WHERE f.project_id = d.id;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER projects_deleted AFTER DELETE ON registry.projects
                REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT
                EXECUTE FUNCTION registry.forget_deleted_projects();

                CREATE FUNCTION registry.forget_deleted_imports() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                BEGIN
                    DELETE FROM registry.import_records r USING deleted d WHERE r.import_id = d.id;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER imports_deleted AFTER DELETE ON registry.imports
                REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT
                EXECUTE FUNCTION registry.forget_deleted_imports();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER imports_deleted ON registry.imports;
                DROP FUNCTION registry.forget_deleted_imports();
                DROP TRIGGER projects_deleted ON registry.projects;
                DROP FUNCTION registry.forget_deleted_projects();
                DELETE FROM registry.project_search s WHERE NOT EXISTS (SELECT 1 FROM registry.projects p WHERE p.id = s.id);
                DELETE FROM registry.project_documents s WHERE NOT EXISTS (SELECT 1 FROM registry.projects p WHERE p.id = s.id);
                DELETE FROM registry.import_fingerprints f WHERE NOT EXISTS (SELECT 1 FROM registry.projects p WHERE p.id = f.project_id);
                DELETE FROM registry.import_records r WHERE NOT EXISTS (SELECT 1 FROM registry.imports i WHERE i.id = r.import_id);
                ALTER TABLE registry.project_search ADD CONSTRAINT project_search_id_fkey FOREIGN KEY (id) REFERENCES registry.projects (id) ON DELETE CASCADE;
                ALTER TABLE registry.project_documents ADD CONSTRAINT project_documents_id_fkey FOREIGN KEY (id) REFERENCES registry.projects (id) ON DELETE CASCADE;
                """);

            migrationBuilder.AddForeignKey(
                name: "fk_import_fingerprints_projects_project_id",
                schema: "registry",
                table: "import_fingerprints",
                column: "project_id",
                principalSchema: "registry",
                principalTable: "projects",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_import_records_imports_import_id",
                schema: "registry",
                table: "import_records",
                column: "import_id",
                principalSchema: "registry",
                principalTable: "imports",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
