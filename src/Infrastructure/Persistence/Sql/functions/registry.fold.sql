-- Case and diacritics folded, the same way for documents and queries (stable, so it is inlined).
CREATE OR REPLACE FUNCTION registry.fold(t text)
 RETURNS text
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, ''))) $function$;
