-- A foreign key checked once per statement (AFTER INSERT/UPDATE ... REFERENCING NEW TABLE AS named): every distinct key
-- the new rows name is looked up by index; a missing one fails with SQLSTATE 23503 and the replaced constraint's name.
-- TG_ARGV: the column of the referencing table, the referenced table (its key is id), the constraint's name.
CREATE OR REPLACE FUNCTION registry.check_references()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
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
END $function$;
