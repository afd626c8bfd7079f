-- A realistic registry loaded straight into PostgreSQL (no API in the way), for benchmarks.
-- psql -v projects=1000000 -v partners=100000 -f bench/generate.sql   (on a migrated, empty database)
-- Projects in Polish, Lithuanian, Latvian and Bulgarian (Cyrillic), with English titles on a third,
-- dates spread over 2014-2027 at day, month or year precision, budgets from 5,000 to 5,000,000 in
-- PLN, EUR or BGN, 1-4 partners each, funding measures and goals from the seeded reference data.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;

INSERT INTO registry.publishers (id, code, name, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-' || p, 'Benchmark network ' || p, now(), now()
FROM generate_series(1, 10) AS p;

CREATE TEMP TABLE bench_publishers AS
SELECT row_number() OVER (ORDER BY code) - 1 AS n, id FROM registry.publishers WHERE code LIKE 'bench-%';

CREATE TEMP TABLE bench_names (lang text, n int, word text);
INSERT INTO bench_names VALUES
 ('pl', 0, 'Współpraca'), ('pl', 1, 'Odnowa wsi'), ('pl', 2, 'Dziedzictwo kulinarne'), ('pl', 3, 'Turystyka wiejska'), ('pl', 4, 'Łączy regiony'),
 ('lt', 0, 'Kaimo bendruomenė'), ('lt', 1, 'Vietos plėtra'), ('lt', 2, 'Jaunimo užimtumas'), ('lt', 3, 'Amatų centras'), ('lt', 4, 'Žalioji ekonomika'),
 ('lv', 0, 'Viedie ciemi'), ('lv', 1, 'Zied zeme'), ('lv', 2, 'Lauku tūrisms'), ('lv', 3, 'Vietējā pārtika'), ('lv', 4, 'Kopienas iniciatīva'),
 ('bg', 0, 'Местна инициативна група'), ('bg', 1, 'Селски туризъм'), ('bg', 2, 'Културно наследство'), ('bg', 3, 'Лясковец'), ('bg', 4, 'Младежки център');

CREATE TEMP TABLE bench_partners AS
SELECT i,
       gen_random_uuid() AS id,
       (ARRAY['pl','lt','lv','bg'])[1 + i % 4] AS lang,
       (ARRAY['PL','LT','LV','BG'])[1 + i % 4] AS country
FROM generate_series(1, :partners) AS i;

INSERT INTO registry.partners (id, owner_publisher_id, details, name_keys, country_key, version, created_at, updated_at)
SELECT p.id, bp.id,
       jsonb_build_object(
           'name', jsonb_build_object(p.lang, nm.word || ' ' || p.i),
           'kind', (ARRAY['lag','ngo','municipality','county','union','other'])[1 + p.i % 6],
           'country', p.country,
           'identifiers', '[]'::jsonb),
       ARRAY[lower(nm.word) || ' ' || p.i], p.country, 0, now(), now()
FROM bench_partners p
JOIN bench_names nm ON nm.lang = p.lang AND nm.n = p.i % 5
JOIN bench_publishers bp ON bp.n = p.i % 10;

CREATE TEMP TABLE bench_projects AS
SELECT i,
       gen_random_uuid() AS id,
       (ARRAY['pl','lt','lv','bg'])[1 + i % 4] AS lang,
       (ARRAY['PL','LT','LV','BG'])[1 + i % 4] AS country,
       date '2014-01-01' + (i::bigint * 7919 % 4745)::int AS start_day,
       (i::bigint * 104729 % 1200)::int AS length_days,
       i % 3 AS precision,
       5000 + (i::bigint * 2654435761 % 499500000) / 100.0 AS amount
FROM generate_series(1, :projects) AS i;

INSERT INTO registry.projects (id, publisher_id, external_id, content, languages, version, created_at, updated_at)
SELECT p.id, bp.id, 'bench-' || p.i,
       jsonb_strip_nulls(jsonb_build_object(
           'title', CASE WHEN p.i % 3 = 0
                         THEN jsonb_build_object(p.lang, t.word || ' ' || p.i, 'en', 'Rural cooperation ' || p.i)
                         ELSE jsonb_build_object(p.lang, t.word || ' ' || p.i) END,
           'summary', jsonb_build_object(p.lang, t.word || ': ' || s.word || ', ' || u.word || ' — projekt ' || p.i),
           'originalLanguage', p.lang,
           'declaredStatus', 'unknown',
           'startDate', CASE p.precision WHEN 0 THEN to_char(p.start_day, 'YYYY-MM-DD') WHEN 1 THEN to_char(p.start_day, 'YYYY-MM') ELSE to_char(p.start_day, 'YYYY') END,
           'endDate', to_char(p.start_day + p.length_days, 'YYYY-MM-DD'),
           'budget', jsonb_build_object('total', jsonb_build_object(
               'amount', to_char(p.amount, 'FM9999999990.00'),
               'currency', (ARRAY['PLN','EUR','BGN','EUR'])[1 + p.i % 4]), 'contributions', '[]'::jsonb),
           'countries', jsonb_build_array(p.country),
           'regions', '[]'::jsonb,
           'themes', jsonb_build_array((ARRAY['smart-villages','leader','tourism','heritage','youth'])[1 + p.i % 5]),
           'targetGroups', '[]'::jsonb,
           'objectives', jsonb_build_array(jsonb_build_object('kind', 'main', 'text', jsonb_build_object(p.lang, s.word))),
           'activities', '[]'::jsonb,
           'links', '[]'::jsonb,
           'identifiers', '[]'::jsonb)),
       CASE WHEN p.i % 3 = 0 THEN ARRAY[p.lang, 'en'] ELSE ARRAY[p.lang] END,
       0, now() - (p.i % 1000) * interval '1 hour', now()
FROM bench_projects p
JOIN bench_names t ON t.lang = p.lang AND t.n = p.i % 5
JOIN bench_names s ON s.lang = p.lang AND s.n = (p.i / 5) % 5
JOIN bench_names u ON u.lang = p.lang AND u.n = (p.i / 25) % 5
JOIN bench_publishers bp ON bp.n = p.i % 10;

INSERT INTO registry.project_partners (project_id, partner_id, role, budget_share, position)
SELECT p.id, bpa.id, CASE WHEN k = 0 THEN 'Lead' ELSE 'Partner' END, NULL, k
FROM bench_projects p
CROSS JOIN LATERAL generate_series(0, p.i % 4) AS k
JOIN bench_partners bpa ON bpa.i = 1 + ((p.i * 31 + k * 7919) % :partners);

INSERT INTO registry.project_funding_measures (project_id, funding_measure_id, position)
SELECT p.id, m.id, 0
FROM bench_projects p
JOIN (SELECT id, row_number() OVER (ORDER BY scheme, code) - 1 AS n, count(*) OVER () AS total FROM registry.funding_measures) m
  ON m.n = p.i % m.total;

INSERT INTO registry.project_goals (project_id, goal_id, relevance, position)
SELECT p.id, g.id, 'Primary', 0
FROM bench_projects p
JOIN (SELECT id, row_number() OVER (ORDER BY scheme, code) - 1 AS n, count(*) OVER () AS total FROM registry.goals) g
  ON g.n = p.i % g.total;

-- Every record gets its version from the change sequence, with its feed entry, as the API would do.
CREATE TEMP TABLE bench_changes AS
SELECT nextval('registry.change_seq') AS sequence, type, id, publisher_id
FROM (SELECT 'Partner' AS type, id, owner_publisher_id AS publisher_id, 0 AS o, created_at FROM registry.partners WHERE version = 0
      UNION ALL
      SELECT 'Project', id, publisher_id, 1, created_at FROM registry.projects WHERE version = 0
      ORDER BY o, created_at) AS records;
UPDATE registry.partners p SET version = c.sequence FROM bench_changes c WHERE c.id = p.id;
UPDATE registry.projects p SET version = c.sequence FROM bench_changes c WHERE c.id = p.id;
INSERT INTO registry.changes (sequence, record_type, record_id, operation, publisher_id, occurred_at)
SELECT sequence, type, id, 'Upsert', publisher_id, now() FROM bench_changes;

COMMIT;
ANALYZE;
