-- A partial date (2024, 2024-02, 2024-02-15) as the last day it names.
CREATE OR REPLACE FUNCTION registry.partial_date_last(v text)
 RETURNS date
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT CASE length(v) WHEN 4 THEN make_date(v::int, 12, 31)
                            WHEN 7 THEN (make_date(left(v, 4)::int, substr(v, 6, 2)::int, 1) + interval '1 month - 1 day')::date
                            WHEN 10 THEN v::date END $function$;
