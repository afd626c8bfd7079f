-- An array's items joined by spaces, immutable so that partners.name_search (a generated column) may use it.
CREATE OR REPLACE FUNCTION registry.joined(items text[])
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT array_to_string(items, ' ') $function$;
