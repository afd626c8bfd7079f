using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The feed's guard lock can no longer outlive a failed or cancelled call on a pooled connection:
    /// take_change_number() releases its shared guard on any error, and change_feed_bound() takes the
    /// guard at transaction level (its callers run it as a statement of its own, so it is held only for
    /// that statement).
    /// </summary>
    public partial class FeedGuardSafety : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION registry.take_change_number() RETURNS bigint
                LANGUAGE plpgsql AS $$
                DECLARE
                    n bigint;
                BEGIN
                    PERFORM pg_advisory_lock_shared(2, 3);
                    BEGIN
                        n := nextval('registry.change_seq');
                        IF coalesce(current_setting('registry.held_change_number', true), '') = '' THEN
                            PERFORM pg_advisory_xact_lock(n);
                            PERFORM set_config('registry.held_change_number', n::text, true);
                        END IF;
                    EXCEPTION WHEN OTHERS OR query_canceled THEN
                        PERFORM pg_advisory_unlock_shared(2, 3);
                        RAISE;
                    END;
                    PERFORM pg_advisory_unlock_shared(2, 3);
                    RETURN n;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION registry.change_feed_bound() RETURNS bigint
                LANGUAGE plpgsql AS $$
                DECLARE
                    bound bigint;
                BEGIN
                    PERFORM pg_advisory_xact_lock(2, 3);
                    SELECT min((l.classid::bigint << 32) | l.objid::bigint) INTO bound
                      FROM pg_locks l
                     WHERE l.locktype = 'advisory' AND l.objsubid = 1
                       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
                    IF bound IS NULL THEN
                        SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO bound FROM registry.change_seq;
                    END IF;
                    RETURN bound;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION registry.change_feed_bound() RETURNS bigint
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
        }
    }
}
