using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// A project's link rows (partners, funding measures, goals) lose their foreign key to the project: they are
    /// only written with their project, in the transaction that inserts or updates its row (and so holds it against
    /// deletion), and a checked key cost PostgreSQL a lookup and a row lock per link (1.2 s of a 100,000-record
    /// import's 3.1 s for its 200,000 partner links, measured with INSERT ... SELECT). They still go with a deleted
    /// project: the statement-level trigger that removes its derived rows removes them too. The links' keys to the
    /// partners, measures and goals they name stay checked: those rows are written by others.
    /// The model keeps the relationships (EF Core loads and replaces the links through them).
    /// </summary>
    public partial class LinksFollowTheirProjectsByTrigger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE registry.project_partners DROP CONSTRAINT fk_project_partners_projects_project_id;
                ALTER TABLE registry.project_funding_measures DROP CONSTRAINT fk_project_funding_measures_projects_project_id;
                ALTER TABLE registry.project_goals DROP CONSTRAINT fk_project_goals_projects_project_id;

                CREATE OR REPLACE FUNCTION registry.forget_deleted_projects() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                BEGIN
                    DELETE FROM registry.project_partners l USING deleted d WHERE l.project_id = d.id;
                    DELETE FROM registry.project_funding_measures l USING deleted d WHERE l.project_id = d.id;
                    DELETE FROM registry.project_goals l USING deleted d WHERE l.project_id = d.id;
                    DELETE FROM registry.project_search s USING deleted d WHERE s.id = d.id;
                    DELETE FROM registry.project_documents s USING deleted d WHERE s.id = d.id;
                    DELETE FROM registry.import_fingerprints f USING deleted d WHERE f.project_id = d.id;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION registry.forget_deleted_projects() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                BEGIN
                    DELETE FROM registry.project_search s USING deleted d WHERE s.id = d.id;
                    DELETE FROM registry.project_documents s USING deleted d WHERE s.id = d.id;
                    DELETE FROM registry.import_fingerprints f USING deleted d WHERE f.project_id = d.id;
                    RETURN NULL;
                END $$;

                DELETE FROM registry.project_partners l WHERE NOT EXISTS (SELECT 1 FROM registry.projects p WHERE p.id = l.project_id);
                DELETE FROM registry.project_funding_measures l WHERE NOT EXISTS (SELECT 1 FROM registry.projects p WHERE p.id = l.project_id);
                DELETE FROM registry.project_goals l WHERE NOT EXISTS (SELECT 1 FROM registry.projects p WHERE p.id = l.project_id);
                ALTER TABLE registry.project_partners ADD CONSTRAINT fk_project_partners_projects_project_id
                    FOREIGN KEY (project_id) REFERENCES registry.projects (id) ON DELETE CASCADE;
                ALTER TABLE registry.project_funding_measures ADD CONSTRAINT fk_project_funding_measures_projects_project_id
                    FOREIGN KEY (project_id) REFERENCES registry.projects (id) ON DELETE CASCADE;
                ALTER TABLE registry.project_goals ADD CONSTRAINT fk_project_goals_projects_project_id
                    FOREIGN KEY (project_id) REFERENCES registry.projects (id) ON DELETE CASCADE;
                """);
        }
    }
}
