-- ON DELETE RESTRICT for the keys registry.check_references checks: after a DELETE statement (or before a TRUNCATE)
-- on the referenced table, rows that still name a deleted key fail it. Takes the referencing table in SHARE mode first.
-- TG_ARGV: the referencing table, its column, the constraint's name.
CREATE OR REPLACE FUNCTION registry.refuse_referenced_deletes()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
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
END $function$;
