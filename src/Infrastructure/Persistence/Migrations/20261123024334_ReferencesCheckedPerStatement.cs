using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The keys a batch of project rows names most often (its publisher, partners, funding measures and goals) are
    /// checked once per statement instead of once per row. PostgreSQL checks a foreign key with one query per
    /// inserted row: for a 100,000-record import that was about 600,000 look-ups, each with a row lock, about 2.5 s of
    /// PostgreSQL's 18.5 s (perf), although a batch of 1,000 projects names one publisher, about 6 measures and goals
    /// and about 1,900 partners. Each relationship's foreign key is replaced by two triggers that keep its rules:
    /// <list type="bullet">
    /// <item>after an INSERT or UPDATE statement on the referencing table, every distinct key its new rows name is
    /// looked up by index (by <c>registry.check_references</c>); one that does not exist fails the statement with
    /// SQLSTATE 23503 and the constraint's old name;</item>
    /// <item>after a DELETE statement on the referenced table (and before a TRUNCATE), rows that still name a deleted
    /// key fail it the same way (ON DELETE RESTRICT), by <c>registry.refuse_referenced_deletes</c>. It first takes
    /// the referencing table in SHARE mode: that waits for every transaction that wrote to it, so a key checked by a
    /// writer that has not committed yet cannot be deleted under it, and it runs in READ COMMITTED, where the check
    /// that follows sees what they committed.</item>
    /// </list>
    /// No write of the API deletes a publisher, partner, measure or goal (partners and projects are tombstoned), so
    /// the second trigger only guards an operator's DELETE. Keys are never updated in place (EF Core does not change
    /// a key), and nothing here checks one that is. <c>changes.publisher_id</c> is checked the same way.
    /// </summary>
    public partial class ReferencesCheckedPerStatement : Migration
    {
        /// <summary>(referencing table, column, referenced table, the foreign key it replaces).</summary>
        private static readonly (string Table, string Column, string Referenced, string Constraint)[] References =
        [
            ("projects", "publisher_id", "publishers", "fk_projects_publishers_publisher_id"),
            ("changes", "publisher_id", "publishers", "fk_changes_publishers_publisher_id"),
            ("project_partners", "partner_id", "partners", "fk_project_partners_partners_partner_id"),
            ("project_funding_measures", "funding_measure_id", "funding_measures", "fk_project_funding_measures_funding_measures_funding_measure_id"),
            ("project_goals", "goal_id", "goals", "fk_project_goals_goals_goal_id"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- TG_ARGV: the column of the referencing table, the referenced table (its key is id), the constraint's name.
                CREATE FUNCTION registry.check_references() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                DECLARE
                    missing text;
                BEGIN
                    -- Each distinct key once, by the referenced table's primary key (a subquery per key, not a join the
                    -- planner could turn into a scan of the whole referenced table).
                    EXECUTE format(
                        'SELECT n.key::text FROM (SELECT DISTINCT %1$I AS key FROM named WHERE %1$I IS NOT NULL) AS n '
                        || 'WHERE (SELECT r.id FROM registry.%2$I AS r WHERE r.id = n.key) IS NULL LIMIT 1',
                        TG_ARGV[0], TG_ARGV[1]) INTO missing;
                    IF missing IS NOT NULL THEN
                        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_ARGV[2]
                            USING ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_ARGV[2],
                                  DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], missing, TG_ARGV[1]);
                    END IF;
                    RETURN NULL;
                END $$;

                -- TG_ARGV: the referencing table, its column, the constraint's name. After DELETE (transition table gone) or
                -- before TRUNCATE (no rows may be left named at all).
                CREATE FUNCTION registry.refuse_referenced_deletes() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                DECLARE
                    named text;
                BEGIN
                    IF current_setting('transaction_isolation') <> 'read committed' THEN
                        RAISE EXCEPTION 'rows of "%" can be deleted only in a READ COMMITTED transaction, where the check of their references sees what other transactions committed', TG_TABLE_NAME
                            USING ERRCODE = 'object_not_in_prerequisite_state';
                    END IF;

                    EXECUTE format('LOCK TABLE registry.%I IN SHARE MODE', TG_ARGV[0]);
                    IF TG_OP = 'TRUNCATE' THEN
                        EXECUTE format('SELECT l.%1$I::text FROM registry.%2$I AS l LIMIT 1', TG_ARGV[1], TG_ARGV[0]) INTO named;
                    ELSE
                        EXECUTE format(
                            'SELECT g.id::text FROM gone AS g WHERE EXISTS (SELECT 1 FROM registry.%2$I AS l WHERE l.%1$I = g.id) LIMIT 1',
                            TG_ARGV[1], TG_ARGV[0]) INTO named;
                    END IF;

                    IF named IS NOT NULL THEN
                        RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "%"', TG_TABLE_NAME, TG_ARGV[2], TG_ARGV[0]
                            USING ERRCODE = 'foreign_key_violation', SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_ARGV[0], CONSTRAINT = TG_ARGV[2],
                                  DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', named, TG_ARGV[0]);
                    END IF;

                    RETURN NULL;
                END $$;
                """);

            foreach (var (table, column, referenced, constraint) in References)
            {
                migrationBuilder.Sql($"""
                    ALTER TABLE registry.{table} DROP CONSTRAINT {constraint};
                    CREATE TRIGGER {table}_{column}_inserted AFTER INSERT ON registry.{table} REFERENCING NEW TABLE AS named
                        FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('{column}', '{referenced}', '{constraint}');
                    CREATE TRIGGER {table}_{column}_updated AFTER UPDATE ON registry.{table} REFERENCING NEW TABLE AS named
                        FOR EACH STATEMENT EXECUTE FUNCTION registry.check_references('{column}', '{referenced}', '{constraint}');
                    CREATE TRIGGER {table}_{column}_deleted AFTER DELETE ON registry.{referenced} REFERENCING OLD TABLE AS gone
                        FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('{table}', '{column}', '{constraint}');
                    CREATE TRIGGER {table}_{column}_truncated BEFORE TRUNCATE ON registry.{referenced}
                        FOR EACH STATEMENT EXECUTE FUNCTION registry.refuse_referenced_deletes('{table}', '{column}', '{constraint}');
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column, referenced, constraint) in References)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER {table}_{column}_inserted ON registry.{table};
                    DROP TRIGGER {table}_{column}_updated ON registry.{table};
                    DROP TRIGGER {table}_{column}_deleted ON registry.{referenced};
                    DROP TRIGGER {table}_{column}_truncated ON registry.{referenced};
                    ALTER TABLE registry.{table} ADD CONSTRAINT {constraint}
                        FOREIGN KEY ({column}) REFERENCES registry.{referenced} (id) ON DELETE RESTRICT;
                    """);
            }

            migrationBuilder.Sql("""
                DROP FUNCTION registry.refuse_referenced_deletes();
                DROP FUNCTION registry.check_references();
                """);
        }
    }
}
