-- A partial date (2024, 2024-02, 2024-02-15) as the first day it names.
CREATE OR REPLACE FUNCTION registry.partial_date_first(v text)
 RETURNS date
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT CASE length(v) WHEN 4 THEN make_date(v::int, 1, 1)
                            WHEN 7 THEN make_date(left(v, 4)::int, substr(v, 6, 2)::int, 1)
                            WHEN 10 THEN v::date END $function$;
