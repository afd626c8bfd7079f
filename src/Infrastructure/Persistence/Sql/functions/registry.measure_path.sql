-- A funding measure with its ancestors (at most 32 levels up).
CREATE OR REPLACE FUNCTION registry.measure_path(node uuid)
 RETURNS uuid[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM registry.funding_measures WHERE id = node
          UNION ALL
          SELECT f.id, f.parent_id, up.depth + 1 FROM registry.funding_measures f JOIN up ON f.id = up.parent_id WHERE up.depth < 32)
      SELECT coalesce(array_agg(id), '{}') FROM up $function$;
