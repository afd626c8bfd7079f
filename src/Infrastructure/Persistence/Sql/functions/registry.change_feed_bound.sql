-- The lowest change number still held by an open transaction, else the next one to be handed out: every change below
-- it has committed or never will. Takes the guard lock (2, 3) at transaction level (callers run it as a statement of its own).
CREATE OR REPLACE FUNCTION registry.change_feed_bound()
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
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
$function$;
