-- Whether a row written by transaction written_xid is visible in a snapshot (keeps a keyset walk stable).
CREATE OR REPLACE FUNCTION registry.written_in(written_xid bigint, snapshot text)
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT pg_visible_in_snapshot(written_xid::text::xid8, snapshot::pg_snapshot) $function$;
