using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// What lists, search and statistics filter and sort on: columns derived from each project's content
    /// and links (kept by <c>registry.refresh_project_search</c>, which every project write calls), their
    /// indexes, a dictionary of search terms for typo tolerance, and the id of the transaction that wrote
    /// each project row, which keeps a keyset walk stable while records change.
    /// </summary>
    public partial class ProjectSearch : Migration
    {
        /// <summary>The refresh as this migration defined it (also what ProjectSearchTables' Down restores).</summary>
        internal const string RefreshFunction = """
                -- Recomputes the derived columns of the given projects from their content and links, set-based.
                CREATE FUNCTION registry.refresh_project_search(p_ids uuid[]) RETURNS void
                LANGUAGE sql VOLATILE
                AS $$
                -- Per project, lateral lookups by index: linear in the number of projects however the planner guesses.
                -- The ancestors of each measure and goal named are looked up once per call, not once per link.
                WITH targets AS MATERIALIZED (SELECT DISTINCT t.id FROM unnest(p_ids) AS t(id)),
                measure_paths AS MATERIALIZED (
                    SELECT m.id, registry.measure_path(m.id) AS path
                    FROM (SELECT DISTINCT pm.funding_measure_id AS id FROM targets JOIN registry.project_funding_measures pm ON pm.project_id = targets.id) AS m),
                goal_paths AS MATERIALIZED (
                    SELECT g.id, registry.goal_path(g.id) AS path
                    FROM (SELECT DISTINCT pg.goal_id AS id FROM targets JOIN registry.project_goals pg ON pg.project_id = targets.id) AS g),
                derived AS (
                    SELECT p.id,
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
                    JOIN registry.projects p ON p.id = targets.id
                    CROSS JOIN LATERAL (
                        SELECT array_agg(DISTINCT pa.id) AS ids,
                               array_agg(DISTINCT pa.country_key) AS countries,
                               jsonb_agg(jsonb_build_array(pa.details -> 'name', pa.details -> 'acronym')) AS names
                        FROM registry.project_partners pp
                        JOIN registry.partners pa ON pa.id = pp.partner_id
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
                        WHERE pg.project_id = p.id) AS gl)
                UPDATE registry.projects p SET
                    search_document = d.document, title_key = d.title_key, declared_status = d.declared_status,
                    start_lo = d.start_lo, start_hi = d.start_hi, end_lo = d.end_lo, end_hi = d.end_hi,
                    budget_amount = d.budget_amount, budget_currency = d.budget_currency,
                    countries = d.countries, regions = d.regions, themes = d.themes,
                    partner_ids = d.partner_ids, partner_countries = d.partner_countries,
                    measure_ids = d.measure_ids, measure_paths = d.measure_paths,
                    goal_ids = d.goal_ids, goal_paths = d.goal_paths
                FROM derived d
                WHERE p.id = d.id;

                INSERT INTO registry.search_terms (term)
                SELECT DISTINCT w
                FROM (SELECT DISTINCT t.id FROM unnest(p_ids) AS t(id)) AS targets
                JOIN registry.projects p ON p.id = targets.id
                CROSS JOIN unnest(tsvector_to_array(p.search_document)) AS w
                WHERE length(w) BETWEEN 4 AND 60 AND w !~ '^[0-9.,/-]+$'
                ORDER BY w
                ON CONFLICT DO NOTHING;
                $$;
                """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
                CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
                CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public;

                -- Case and diacritics folded, the same way for documents and queries (stable, so it is inlined).
                CREATE FUNCTION registry.fold(t text) RETURNS text
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, ''))) $$;

                -- The text search configuration of documents and queries: words without diacritics, lowercased.
                CREATE TEXT SEARCH CONFIGURATION registry.folded (COPY = pg_catalog.simple);
                ALTER TEXT SEARCH CONFIGURATION registry.folded
                    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
                    WITH public.unaccent, pg_catalog.simple;

                -- Every language's text of a localized text object, or of an array of them under a member.
                CREATE FUNCTION registry.localized_text(doc jsonb) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$ SELECT coalesce(string_agg(value, ' '), '') FROM jsonb_each_text(CASE WHEN jsonb_typeof(doc) = 'object' THEN doc ELSE '{}'::jsonb END) $$;


                -- A partial date (2024, 2024-02, 2024-02-15) as the first and the last day it names.
                CREATE FUNCTION registry.partial_date_first(v text) RETURNS date
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ SELECT CASE length(v) WHEN 4 THEN make_date(v::int, 1, 1)
                                            WHEN 7 THEN make_date(left(v, 4)::int, substr(v, 6, 2)::int, 1)
                                            WHEN 10 THEN v::date END $$;

                CREATE FUNCTION registry.partial_date_last(v text) RETURNS date
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ SELECT CASE length(v) WHEN 4 THEN make_date(v::int, 12, 31)
                                            WHEN 7 THEN (make_date(left(v, 4)::int, substr(v, 6, 2)::int, 1) + interval '1 month - 1 day')::date
                                            WHEN 10 THEN v::date END $$;

                -- The status a reader sees on a day (mirrors ProjectContent.StatusOn).
                CREATE FUNCTION registry.project_status(declared text, start_lo date, end_hi date, today date) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$ SELECT CASE WHEN declared = 'cancelled' THEN 'cancelled'
                                  WHEN start_lo IS NOT NULL AND today < start_lo THEN 'planned'
                                  WHEN end_hi IS NOT NULL AND today > end_hi THEN 'completed'
                                  WHEN start_lo IS NOT NULL AND end_hi IS NOT NULL THEN 'ongoing'
                                  ELSE declared END $$;

                ALTER TABLE registry.projects
                    ADD COLUMN written_xid bigint NOT NULL DEFAULT 0,
                    ADD COLUMN search_document tsvector NOT NULL DEFAULT ''::tsvector,
                    ADD COLUMN title_key text COLLATE "C" NOT NULL DEFAULT '',
                    ADD COLUMN declared_status text NOT NULL DEFAULT 'unknown',
                    ADD COLUMN start_lo date,
                    ADD COLUMN start_hi date,
                    ADD COLUMN end_lo date,
                    ADD COLUMN end_hi date,
                    ADD COLUMN budget_amount numeric,
                    ADD COLUMN budget_currency text COLLATE "C",
                    ADD COLUMN countries text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN regions text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN themes text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN partner_ids uuid[] NOT NULL DEFAULT '{}',
                    ADD COLUMN partner_countries text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN measure_ids uuid[] NOT NULL DEFAULT '{}',
                    ADD COLUMN measure_paths uuid[] NOT NULL DEFAULT '{}',
                    ADD COLUMN goal_ids uuid[] NOT NULL DEFAULT '{}',
                    ADD COLUMN goal_paths uuid[] NOT NULL DEFAULT '{}';

                -- The transaction that wrote a row's current version: a walk started at snapshot S hands out
                -- only rows written by transactions S sees, so a record changed mid-walk is never seen twice.
                CREATE FUNCTION registry.stamp_written_xid() RETURNS trigger
                LANGUAGE plpgsql
                AS $$ BEGIN NEW.written_xid := pg_current_xact_id()::text::bigint; RETURN NEW; END $$;

                CREATE TRIGGER projects_written_xid BEFORE INSERT OR UPDATE ON registry.projects
                FOR EACH ROW EXECUTE FUNCTION registry.stamp_written_xid();

                CREATE FUNCTION registry.written_in(written_xid bigint, snapshot text) RETURNS boolean
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ SELECT pg_visible_in_snapshot(written_xid::text::xid8, snapshot::pg_snapshot) $$;

                -- Words of the documents, for one-typo tolerance (numbers and short words are left out).
                CREATE TABLE registry.search_terms (term text COLLATE "C" PRIMARY KEY);
                CREATE INDEX ix_search_terms_trigram ON registry.search_terms USING gin (term public.gin_trgm_ops);

                CREATE FUNCTION registry.measure_path(node uuid) RETURNS uuid[]
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ WITH RECURSIVE up(id, parent_id, depth) AS (
                          SELECT id, parent_id, 0 FROM registry.funding_measures WHERE id = node
                          UNION ALL
                          SELECT f.id, f.parent_id, up.depth + 1 FROM registry.funding_measures f JOIN up ON f.id = up.parent_id WHERE up.depth < 32)
                      SELECT coalesce(array_agg(id), '{}') FROM up $$;

                CREATE FUNCTION registry.goal_path(node uuid) RETURNS uuid[]
                LANGUAGE sql STABLE PARALLEL SAFE
                AS $$ WITH RECURSIVE up(id, parent_id, depth) AS (
                          SELECT id, parent_id, 0 FROM registry.goals WHERE id = node
                          UNION ALL
                          SELECT g.id, g.parent_id, up.depth + 1 FROM registry.goals g JOIN up ON g.id = up.parent_id WHERE up.depth < 32)
                      SELECT coalesce(array_agg(id), '{}') FROM up $$;

                """ + RefreshFunction + "\n" + """
                SELECT registry.refresh_project_search(ARRAY(SELECT id FROM registry.projects));

                CREATE INDEX ix_projects_search_document ON registry.projects USING gin (search_document) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_countries ON registry.projects USING gin (countries) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_regions ON registry.projects USING gin (regions) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_themes ON registry.projects USING gin (themes) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_partner_ids ON registry.projects USING gin (partner_ids) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_partner_countries ON registry.projects USING gin (partner_countries) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_measure_paths ON registry.projects USING gin (measure_paths) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_goal_paths ON registry.projects USING gin (goal_paths) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_publisher_version ON registry.projects (publisher_id, version) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_publisher_id ON registry.projects (publisher_id, id);
                CREATE INDEX ix_projects_live_version ON registry.projects (version) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_start_asc ON registry.projects ((coalesce(start_lo, 'infinity'::date)), id) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_start_desc ON registry.projects ((coalesce(start_lo, '-infinity'::date)), id) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_title ON registry.projects (title_key, id) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_updated_at ON registry.projects (updated_at) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_end ON registry.projects (end_hi, start_lo) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_budget ON registry.projects (budget_currency, budget_amount) WHERE deleted_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION registry.refresh_project_search(uuid[]);
                DROP FUNCTION registry.goal_path(uuid);
                DROP FUNCTION registry.measure_path(uuid);
                DROP TABLE registry.search_terms;
                DROP FUNCTION registry.written_in(bigint, text);
                DROP TRIGGER projects_written_xid ON registry.projects;
                DROP FUNCTION registry.stamp_written_xid();
                ALTER TABLE registry.projects
                    DROP COLUMN written_xid, DROP COLUMN search_document, DROP COLUMN title_key, DROP COLUMN declared_status,
                    DROP COLUMN start_lo, DROP COLUMN start_hi, DROP COLUMN end_lo, DROP COLUMN end_hi,
                    DROP COLUMN budget_amount, DROP COLUMN budget_currency, DROP COLUMN countries, DROP COLUMN regions,
                    DROP COLUMN themes, DROP COLUMN partner_ids, DROP COLUMN partner_countries, DROP COLUMN measure_ids,
                    DROP COLUMN measure_paths, DROP COLUMN goal_ids, DROP COLUMN goal_paths;
                DROP FUNCTION registry.project_status(text, date, date, date);
                DROP FUNCTION registry.partial_date_last(text);
                DROP FUNCTION registry.partial_date_first(text);
                DROP FUNCTION registry.localized_text(jsonb);
                DROP TEXT SEARCH CONFIGURATION registry.folded;
                DROP FUNCTION registry.fold(text);
                """);
        }
    }
}
