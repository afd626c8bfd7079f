using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The derived columns lists, search and statistics read move out of the wide <c>registry.projects</c> rows
    /// (about 1.8 kB each, most of it content) into two narrow tables of live projects only:
    /// <c>registry.project_search</c> (the facets, the sort keys, the version and the writing transaction, about
    /// 300 bytes a project) and <c>registry.project_documents</c> (the weighted text search document). A filter or
    /// a statistics call then reads a sixth of the pages it read, and a write of the derived columns no longer
    /// rewrites the project row and its indexes. <c>registry.refresh_project_search</c> keeps the same signature;
    /// a project tombstoned or deleted leaves both tables at once.
    /// </summary>
    public partial class ProjectSearchTables : Migration
    {
        internal const string FacetColumns =
            "publisher_id, version, updated_at, written_xid, title_key, declared_status, start_lo, start_hi, end_lo, end_hi, " +
            "budget_amount, budget_currency, countries, measure_ids, goal_ids, facets";

        // What a project is filtered by, as one array of prefixed values under one GIN index: c: country, r: region
        // (with its NUTS parents), t: theme, l: language, p: partner id, pc: partner country, m: funding measure id and
        // its ancestors, g: goal id and its ancestors. Conditions on several of them are answered in one index scan.
        internal const string FacetsFunction = """
                CREATE FUNCTION registry.project_facets(countries text[], regions text[], themes text[], languages text[],
                    partner_ids uuid[], partner_countries text[], measure_paths uuid[], goal_paths uuid[]) RETURNS text[]
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$ SELECT ARRAY(SELECT 'c:' || x FROM unnest(countries) AS x)
                          || ARRAY(SELECT 'r:' || x FROM unnest(regions) AS x)
                          || ARRAY(SELECT 't:' || x FROM unnest(themes) AS x)
                          || ARRAY(SELECT 'l:' || x FROM unnest(languages) AS x)
                          || ARRAY(SELECT 'p:' || x FROM unnest(partner_ids) AS x)
                          || ARRAY(SELECT 'pc:' || x FROM unnest(partner_countries) AS x)
                          || ARRAY(SELECT 'm:' || x FROM unnest(measure_paths) AS x)
                          || ARRAY(SELECT 'g:' || x FROM unnest(goal_paths) AS x) $$;
                """;

        /// <summary>The refresh function as this migration made it (a later migration that replaces it restores it on the way down).</summary>
        internal const string RefreshFunction = $$"""
                -- Recomputes the derived rows of the given projects from their content and links, set-based: live
                -- projects get theirs (inserted or replaced, stamped with this transaction), others lose theirs.
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
                INSERT INTO registry.project_search AS s (id, {{FacetColumns}})
                SELECT id, publisher_id, version, updated_at, written_xid, title_key, declared_status, start_lo, start_hi, end_lo, end_hi,
                    budget_amount, budget_currency, countries, measure_ids, goal_ids,
                    registry.project_facets(countries, regions, themes, languages, partner_ids, partner_countries, measure_paths, goal_paths)
                FROM derived
                ON CONFLICT (id) DO UPDATE SET
                    publisher_id = EXCLUDED.publisher_id, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
                    written_xid = EXCLUDED.written_xid, title_key = EXCLUDED.title_key,
                    declared_status = EXCLUDED.declared_status, start_lo = EXCLUDED.start_lo, start_hi = EXCLUDED.start_hi,
                    end_lo = EXCLUDED.end_lo, end_hi = EXCLUDED.end_hi, budget_amount = EXCLUDED.budget_amount,
                    budget_currency = EXCLUDED.budget_currency, countries = EXCLUDED.countries,
                    measure_ids = EXCLUDED.measure_ids, goal_ids = EXCLUDED.goal_ids, facets = EXCLUDED.facets;
                $$;
                """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_projects_languages",
                schema: "registry",
                table: "projects");

            migrationBuilder.Sql($$"""
                CREATE TABLE registry.project_search (
                    id uuid PRIMARY KEY REFERENCES registry.projects (id) ON DELETE CASCADE,
                    publisher_id uuid NOT NULL,
                    version bigint NOT NULL,
                    updated_at timestamptz NOT NULL,
                    written_xid bigint NOT NULL,
                    title_key text COLLATE "C" NOT NULL,
                    declared_status text NOT NULL,
                    start_lo date,
                    start_hi date,
                    end_lo date,
                    end_hi date,
                    budget_amount numeric,
                    budget_currency text COLLATE "C",
                    countries text[] NOT NULL,
                    measure_ids uuid[] NOT NULL,
                    goal_ids uuid[] NOT NULL,
                    facets text[] NOT NULL);

                CREATE TABLE registry.project_documents (
                    id uuid PRIMARY KEY REFERENCES registry.projects (id) ON DELETE CASCADE,
                    document tsvector NOT NULL);

                {{FacetsFunction}}

                INSERT INTO registry.project_search (id, {{FacetColumns}})
                SELECT id, publisher_id, version, updated_at, written_xid, title_key, declared_status, start_lo, start_hi, end_lo, end_hi,
                    budget_amount, budget_currency, countries, measure_ids, goal_ids,
                    registry.project_facets(countries, regions, themes, languages, partner_ids, partner_countries, measure_paths, goal_paths)
                FROM registry.projects WHERE deleted_at IS NULL ORDER BY id;
                INSERT INTO registry.project_documents (id, document)
                SELECT id, search_document FROM registry.projects WHERE deleted_at IS NULL ORDER BY id;

                DROP TRIGGER projects_written_xid ON registry.projects;
                DROP FUNCTION registry.stamp_written_xid();
                DROP INDEX registry.ix_projects_search_document, registry.ix_projects_countries, registry.ix_projects_regions,
                    registry.ix_projects_themes, registry.ix_projects_partner_ids, registry.ix_projects_partner_countries,
                    registry.ix_projects_measure_paths, registry.ix_projects_goal_paths, registry.ix_projects_publisher_version,
                    registry.ix_projects_live_version, registry.ix_projects_start_asc, registry.ix_projects_start_desc,
                    registry.ix_projects_title, registry.ix_projects_updated_at, registry.ix_projects_end, registry.ix_projects_budget;
                ALTER TABLE registry.projects
                    DROP COLUMN written_xid, DROP COLUMN search_document, DROP COLUMN title_key, DROP COLUMN declared_status,
                    DROP COLUMN start_lo, DROP COLUMN start_hi, DROP COLUMN end_lo, DROP COLUMN end_hi,
                    DROP COLUMN budget_amount, DROP COLUMN budget_currency, DROP COLUMN countries, DROP COLUMN regions,
                    DROP COLUMN themes, DROP COLUMN partner_ids, DROP COLUMN partner_countries, DROP COLUMN measure_ids,
                    DROP COLUMN measure_paths, DROP COLUMN goal_ids, DROP COLUMN goal_paths;

                CREATE INDEX ix_project_documents_document ON registry.project_documents USING gin (document);
                CREATE INDEX ix_project_search_facets ON registry.project_search USING gin (facets);
                CREATE INDEX ix_project_search_publisher_version ON registry.project_search (publisher_id, version);
                CREATE INDEX ix_project_search_version ON registry.project_search (version);
                CREATE INDEX ix_project_search_start_asc ON registry.project_search ((coalesce(start_lo, 'infinity'::date)), id);
                CREATE INDEX ix_project_search_start_desc ON registry.project_search ((coalesce(start_lo, '-infinity'::date)), id);
                CREATE INDEX ix_project_search_title ON registry.project_search (title_key, id);
                CREATE INDEX ix_project_search_updated_at ON registry.project_search (updated_at);
                CREATE INDEX ix_project_search_end ON registry.project_search (end_hi, start_lo);
                CREATE INDEX ix_project_search_budget ON registry.project_search (budget_currency, budget_amount);

                -- A project tombstoned leaves the tables of live projects in the same statement, whichever write did it.
                CREATE FUNCTION registry.forget_project_search() RETURNS trigger
                LANGUAGE plpgsql
                AS $$
                BEGIN
                    DELETE FROM registry.project_search WHERE id = NEW.id;
                    DELETE FROM registry.project_documents WHERE id = NEW.id;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER projects_forget_search AFTER UPDATE OF deleted_at ON registry.projects
                FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL)
                EXECUTE FUNCTION registry.forget_project_search();

                DROP FUNCTION registry.refresh_project_search(uuid[]);

                {{RefreshFunction}}

                ANALYZE registry.project_search, registry.project_documents;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($$"""
                DROP TRIGGER projects_forget_search ON registry.projects;
                DROP FUNCTION registry.forget_project_search();
                DROP FUNCTION registry.refresh_project_search(uuid[]);
                DROP FUNCTION registry.project_facets(text[], text[], text[], text[], uuid[], text[], uuid[], uuid[]);
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
                CREATE FUNCTION registry.stamp_written_xid() RETURNS trigger
                LANGUAGE plpgsql
                AS $$ BEGIN NEW.written_xid := pg_current_xact_id()::text::bigint; RETURN NEW; END $$;
                CREATE TRIGGER projects_written_xid BEFORE INSERT OR UPDATE ON registry.projects
                FOR EACH ROW EXECUTE FUNCTION registry.stamp_written_xid();
                """ + ProjectSearch.RefreshFunction + "\n" + """
                SELECT registry.refresh_project_search(ARRAY(SELECT id FROM registry.projects));
                DROP TABLE registry.project_documents, registry.project_search;
                CREATE INDEX ix_projects_search_document ON registry.projects USING gin (search_document) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_countries ON registry.projects USING gin (countries) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_regions ON registry.projects USING gin (regions) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_themes ON registry.projects USING gin (themes) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_partner_ids ON registry.projects USING gin (partner_ids) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_partner_countries ON registry.projects USING gin (partner_countries) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_measure_paths ON registry.projects USING gin (measure_paths) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_goal_paths ON registry.projects USING gin (goal_paths) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_publisher_version ON registry.projects (publisher_id, version) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_live_version ON registry.projects (version) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_start_asc ON registry.projects ((coalesce(start_lo, 'infinity'::date)), id) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_start_desc ON registry.projects ((coalesce(start_lo, '-infinity'::date)), id) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_title ON registry.projects (title_key, id) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_updated_at ON registry.projects (updated_at) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_end ON registry.projects (end_hi, start_lo) WHERE deleted_at IS NULL;
                CREATE INDEX ix_projects_budget ON registry.projects (budget_currency, budget_amount) WHERE deleted_at IS NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_projects_languages",
                schema: "registry",
                table: "projects",
                column: "languages")
                .Annotation("Npgsql:IndexMethod", "gin");
        }
    }
}
