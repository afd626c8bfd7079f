-- The live partners with any of the given name keys, always through the name-key GIN index (the planner prices
-- name_keys && keys as one comparison however many keys there are, and chose to read every partner).
CREATE OR REPLACE FUNCTION registry.live_partners_named(p_keys text[])
 RETURNS TABLE(id uuid, country_key text, name_keys text[], created_at timestamp with time zone)
 LANGUAGE sql
 STABLE
 SET enable_seqscan TO 'off'
 SET enable_indexscan TO 'off'
AS $function$
    SELECT p.id, p.country_key::text, p.name_keys, p.created_at
    FROM registry.partners p
    WHERE p.deleted_at IS NULL AND p.name_keys && p_keys
$function$;
