-- Recomputes the derived rows of the given projects (registry.project_search, registry.project_documents and new
-- registry.search_terms) from their content and links, set-based: live projects get theirs, others lose theirs.
CREATE OR REPLACE FUNCTION registry.refresh_project_search(p_ids uuid[])
 RETURNS void
 LANGUAGE sql
AS $function$
-- Per project, lateral lookups by index: linear in the number of projects however the planner guesses.
-- The ancestors of each measure and goal named are looked up once per call, not once per link.
WITH targets AS MATERIALIZED (SELECT DISTINCT t.id FROM unnest(p_ids) AS t(id)),
measure_paths AS MATERIALIZED (
    SELECT m.id, registry.measure_path(m.id) AS path
    FROM (SELECT DISTINCT pm.funding_measure_id AS id FROM targets JOIN registry.project_funding_measures pm ON pm.project_id = targets.id) AS m),
goal_paths AS MATERIALIZED (
    SELECT g.id, registry.goal_path(g.id) AS path
    FROM (SELECT DISTINCT pg.goal_id AS id FROM targets JOIN registry.project_goals pg ON pg.project_id = targets.id) AS g),
derived AS MATERIALIZED (
    SELECT p.id, p.publisher_id, p.version, p.updated_at, pg_current_xact_id()::text::bigint AS written_xid, p.languages,
        setweight(jsonb_to_tsvector('registry.folded', coalesce(p.content -> 'title', 'null'), '["string"]'), 'A')
        || setweight(jsonb_to_tsvector('registry.folded', jsonb_build_array(
               p.content -> 'summary',
               jsonb_path_query_array(p.content, '$.objectives[*].text'),
               jsonb_path_query_array(p.content, '$.activities[*].title')), '["string"]'), 'B')
        || setweight(jsonb_to_tsvector('registry.folded', jsonb_build_array(p.content -> 'description', pl.names), '["string"]'), 'C') AS document,
        left(registry.fold(coalesce(p.content -> 'title' ->> (p.content ->> 'originalLanguage'), registry.localized_text(p.content -> 'title'))), 200) AS title_key,
        coalesce(p.content ->> 'declaredStatus', 'unknown') AS declared_status,
        registry.partial_date_first(p.content ->> 'startDate') AS start_lo,
        registry.partial_date_last(p.content ->> 'startDate') AS start_hi,
        registry.partial_date_first(p.content ->> 'endDate') AS end_lo,
        registry.partial_date_last(p.content ->> 'endDate') AS end_hi,
        (p.content -> 'budget' -> 'total' ->> 'amount')::numeric AS budget_amount,
        p.content -> 'budget' -> 'total' ->> 'currency' AS budget_currency,
        ARRAY(SELECT jsonb_array_elements_text(coalesce(p.content -> 'countries', '[]'))) AS countries,
        -- A NUTS code with the codes of the regions it lies in (PL811: PL8, PL81, PL811); ISO 3166-2 codes as they are.
        ARRAY(SELECT x
              FROM jsonb_array_elements_text(coalesce(p.content -> 'regions', '[]')) AS r,
                   unnest(CASE WHEN r LIKE '%-%' OR length(r) <= 3 THEN ARRAY[r]
                               WHEN length(r) = 4 THEN ARRAY[left(r, 3), r]
                               ELSE ARRAY[left(r, 3), left(r, 4), r] END) AS x) AS regions,
        ARRAY(SELECT jsonb_array_elements_text(coalesce(p.content -> 'themes', '[]'))) AS themes,
        coalesce(pl.ids, '{}') AS partner_ids,
        coalesce(pl.countries, '{}') AS partner_countries,
        coalesce(ml.ids, '{}') AS measure_ids,
        coalesce(ml.paths, '{}') AS measure_paths,
        coalesce(gl.ids, '{}') AS goal_ids,
        coalesce(gl.paths, '{}') AS goal_paths
    FROM targets
    JOIN registry.projects p ON p.id = targets.id AND p.deleted_at IS NULL
    CROSS JOIN LATERAL (
        SELECT array_agg(DISTINCT pa.id) AS ids,
               array_agg(DISTINCT pa.country_key) AS countries,
               jsonb_agg(jsonb_build_array(pa.details -> 'name', pa.details -> 'acronym')) AS names
        FROM registry.project_partners pp
        -- Each link's partner by its key, as a subquery the planner keeps as it is: as a join,
        -- planned before the new tables had statistics, it read every partner for each project.
        CROSS JOIN LATERAL (
            SELECT x.id, x.country_key, x.details FROM registry.partners x WHERE x.id = pp.partner_id OFFSET 0) AS pa
        WHERE pp.project_id = p.id) AS pl
    CROSS JOIN LATERAL (
        SELECT array_agg(DISTINCT pm.funding_measure_id) AS ids,
               (SELECT array_agg(DISTINCT x) FROM measure_paths mp, unnest(mp.path) AS x WHERE mp.id = ANY (array_agg(pm.funding_measure_id))) AS paths
        FROM registry.project_funding_measures pm
        WHERE pm.project_id = p.id) AS ml
    CROSS JOIN LATERAL (
        SELECT array_agg(DISTINCT pg.goal_id) AS ids,
               (SELECT array_agg(DISTINCT x) FROM goal_paths gp, unnest(gp.path) AS x WHERE gp.id = ANY (array_agg(pg.goal_id))) AS paths
        FROM registry.project_goals pg
        WHERE pg.project_id = p.id) AS gl
    ORDER BY p.id),
gone AS (
    DELETE FROM registry.project_search s USING targets t
    WHERE s.id = t.id AND NOT EXISTS (SELECT 1 FROM derived d WHERE d.id = t.id)),
gone_documents AS (
    DELETE FROM registry.project_documents s USING targets t
    WHERE s.id = t.id AND NOT EXISTS (SELECT 1 FROM derived d WHERE d.id = t.id)),
documents AS (
    INSERT INTO registry.project_documents AS s (id, document)
    SELECT id, document FROM derived
    ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document),
terms AS (
    -- Words of the documents, for one-typo tolerance (numbers and short words are left out).
    INSERT INTO registry.search_terms (term)
    SELECT DISTINCT w
    FROM derived CROSS JOIN unnest(tsvector_to_array(derived.document)) AS w
    WHERE length(w) BETWEEN 4 AND 60 AND w !~ '^[0-9.,/-]+$'
    ORDER BY w
    ON CONFLICT DO NOTHING)
INSERT INTO registry.project_search AS s (id, publisher_id, version, updated_at, written_xid, title_key, declared_status, start_lo, start_hi, end_lo, end_hi, budget_amount, budget_currency, countries, measure_ids, goal_ids, facets)
SELECT id, publisher_id, version, updated_at, written_xid, title_key, declared_status, start_lo, start_hi, end_lo, end_hi,
    budget_amount, budget_currency, countries, measure_ids, goal_ids,
    -- registry.project_facets, written out: a SQL function with subqueries is not inlined, and a call
    -- per project started its own executor.
    ARRAY(SELECT 'c:' || x FROM unnest(countries) AS x)
    || ARRAY(SELECT 'r:' || x FROM unnest(regions) AS x)
    || ARRAY(SELECT 't:' || x FROM unnest(themes) AS x)
    || ARRAY(SELECT 'l:' || x FROM unnest(languages) AS x)
    || ARRAY(SELECT 'p:' || x FROM unnest(partner_ids) AS x)
    || ARRAY(SELECT 'pc:' || x FROM unnest(partner_countries) AS x)
    || ARRAY(SELECT 'm:' || x FROM unnest(measure_paths) AS x)
    || ARRAY(SELECT 'g:' || x FROM unnest(goal_paths) AS x)
FROM derived
ON CONFLICT (id) DO UPDATE SET
    publisher_id = EXCLUDED.publisher_id, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
    written_xid = EXCLUDED.written_xid, title_key = EXCLUDED.title_key,
    declared_status = EXCLUDED.declared_status, start_lo = EXCLUDED.start_lo, start_hi = EXCLUDED.start_hi,
    end_lo = EXCLUDED.end_lo, end_hi = EXCLUDED.end_hi, budget_amount = EXCLUDED.budget_amount,
    budget_currency = EXCLUDED.budget_currency, countries = EXCLUDED.countries,
    measure_ids = EXCLUDED.measure_ids, goal_ids = EXCLUDED.goal_ids, facets = EXCLUDED.facets;
$function$;
