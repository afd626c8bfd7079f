-- The next change number; holds an advisory lock on the first number of its transaction until the transaction ends,
-- so registry.change_feed_bound can tell which numbers may still commit.
CREATE OR REPLACE FUNCTION registry.take_change_number()
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
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
$function$;
