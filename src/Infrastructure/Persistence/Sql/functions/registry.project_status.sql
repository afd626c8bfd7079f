-- The status a reader sees on a day (mirrors ProjectContent.StatusOn).
CREATE OR REPLACE FUNCTION registry.project_status(declared text, start_lo date, end_hi date, today date)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT CASE WHEN declared = 'cancelled' THEN 'cancelled'
                  WHEN start_lo IS NOT NULL AND today < start_lo THEN 'planned'
                  WHEN end_hi IS NOT NULL AND today > end_hi THEN 'completed'
                  WHEN start_lo IS NOT NULL AND end_hi IS NOT NULL THEN 'ongoing'
                  ELSE declared END $function$;
