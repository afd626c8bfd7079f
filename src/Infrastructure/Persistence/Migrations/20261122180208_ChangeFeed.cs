using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The gap-free change feed. A writer takes its change numbers through take_change_number(), which
    /// holds an advisory lock on the first number of its transaction until the transaction ends (one
    /// lock per transaction however many changes it makes). change_feed_bound() gives the lowest number
    /// still held by an open transaction (else the next number to be handed out): every change below
    /// it has committed or never will, so a reader may hand them out without skipping a late commit.
    /// Both take the guard lock (2, 3), so no number is between nextval and its lock while the bound is read.
    /// </summary>
    public partial class ChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION registry.take_change_number() RETURNS bigint
                LANGUAGE plpgsql AS $$
                DECLARE
                    n bigint;
                BEGIN
                    PERFORM pg_advisory_lock_shared(2, 3);
                    n := nextval('registry.change_seq');
                    IF coalesce(current_setting('registry.held_change_number', true), '') = '' THEN
                        PERFORM pg_advisory_xact_lock(n);
                        PERFORM set_config('registry.held_change_number', n::text, true);
                    END IF;
                    PERFORM pg_advisory_unlock_shared(2, 3);
                    RETURN n;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION registry.change_feed_bound() RETURNS bigint
                LANGUAGE plpgsql AS $$
                DECLARE
                    bound bigint;
                BEGIN
                    PERFORM pg_advisory_lock(2, 3);
                    SELECT min((l.classid::bigint << 32) | l.objid::bigint) INTO bound
                      FROM pg_locks l
                     WHERE l.locktype = 'advisory' AND l.objsubid = 1
                       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
                    IF bound IS NULL THEN
                        SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO bound FROM registry.change_seq;
                    END IF;
                    PERFORM pg_advisory_unlock(2, 3);
                    RETURN bound;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TABLE registry.change_feed_state (
                    id integer PRIMARY KEY CHECK (id = 1),
                    pruned_through bigint NOT NULL
                );
                INSERT INTO registry.change_feed_state (id, pruned_through) VALUES (1, 0);
                """);
            migrationBuilder.Sql("CREATE INDEX ix_changes_occurred_at ON registry.changes (occurred_at);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX registry.ix_changes_occurred_at;");
            migrationBuilder.Sql("DROP TABLE registry.change_feed_state;");
            migrationBuilder.Sql("DROP FUNCTION registry.change_feed_bound();");
            migrationBuilder.Sql("DROP FUNCTION registry.take_change_number();");
        }
    }
}
