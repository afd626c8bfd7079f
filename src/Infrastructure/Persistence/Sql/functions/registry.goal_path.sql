-- A goal with its ancestors (at most 32 levels up).
CREATE OR REPLACE FUNCTION registry.goal_path(node uuid)
 RETURNS uuid[]
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM registry.goals WHERE id = node
          UNION ALL
          SELECT g.id, g.parent_id, up.depth + 1 FROM registry.goals g JOIN up ON g.id = up.parent_id WHERE up.depth < 32)
      SELECT coalesce(array_agg(id), '{}') FROM up $function$;
