-- A realistic registry loaded straight into PostgreSQL (no API in the way), for benchmarks.
-- psql -v projects=1000000 -v partners=100000 -f bench/generate.sql   (on a migrated, empty database)
-- Projects in Polish, Lithuanian, Latvian and Bulgarian (Cyrillic), with English titles on a third,
-- titles and summaries naming one of 400 places of their country and topics of their language,
-- NUTS regions, 1-2 themes of 10 (themes, regions and the order of writing independent of the language),
-- a foreign partner country on a tenth, dates spread over 2014-2027
-- at day, month or year precision (a tenth without dates, some cancelled), budgets from 5,000 to
-- 5,000,000 in PLN, EUR or BGN (a seventh without), 1-4 partners each, funding measures and goals
-- from the seeded reference data. The derived search columns are filled by the same function every
-- write uses (registry.refresh_project_search).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET maintenance_work_mem = '1GB';
BEGIN;

-- Loading into a table with its secondary indexes is slow: they are set aside (as the migrations
-- defined them) and built again at the end, in bulk.
CREATE TEMP TABLE bench_indexes AS
SELECT i.indexname, i.indexdef
FROM pg_indexes i
JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'registry'::regnamespace
JOIN pg_index x ON x.indexrelid = c.oid
WHERE i.schemaname = 'registry' AND i.tablename IN ('projects', 'project_search', 'project_documents', 'project_partners', 'project_funding_measures', 'project_goals', 'changes')
  AND NOT x.indisunique AND NOT x.indisprimary;
SELECT format('DROP INDEX registry.%I', indexname) FROM bench_indexes
\gexec

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

-- 400 place names per language, from syllables.
CREATE TEMP TABLE bench_places (lang text, n int, place text);
INSERT INTO bench_places
SELECT lang, row_number() OVER (PARTITION BY lang ORDER BY a.o, b.o) - 1, a.s || b.s
FROM (VALUES ('pl', ARRAY['Bor','Dąb','Gór','Jezior','Kamień','Lip','Mił','Now','Ols','Pol','Rud','Sosn','Wól','Zał','Brzez','Chełm','Grab','Kłod','Mszcz','Żabn']),
             ('lt', ARRAY['Vilk','Ąžuol','Berž','Kalv','Šil','Piev','Ež','Lauk','Upyt','Girk','Rūd','Dūk','Kriau','Vėž','Pašil','Alyt','Jonišk','Skuod','Telš','Žag']),
             ('lv', ARRAY['Ozol','Lie','Kal','Sil','Vec','Jaun','Bēr','Līg','Kur','Rauc','Dzērb','Ērgļ','Valmier','Cēs','Smiltn','Gulb','Aluks','Māls','Ķeip','Priekul']),
             ('bg', ARRAY['Бел','Гор','Дол','Каменн','Слав','Ряс','Трън','Бук','Вър','Здрав','Лозн','Медв','Черн','Сух','Крив','Пещ','Добр','Стр','Бъзов','Ябълк'])) AS l(lang, starts)
CROSS JOIN LATERAL unnest(l.starts) WITH ORDINALITY AS a(s, o)
CROSS JOIN LATERAL unnest(CASE l.lang
    WHEN 'pl' THEN ARRAY['owo','ice','ów','ki','no','ek','ina','any','ewo','ia','ówka','ec','in','iska','ne','ów Wielki','nica','owice','ówek','yń']
    WHEN 'lt' THEN ARRAY['iai','ynė','ava','onys','ėnai','iškis','ališkis','ėliai','aičiai','uva','upiai','ainiai','ėnai','utė','ionys','iškės','eikiai','ava','upis','ėdava']
    WHEN 'lv' THEN ARRAY['nieki','pils','ciems','ene','ava','gale','muiža','kalns','upe','lauki','zeme','sala','mala','krasts','lejas','birzs','pļava','sēta','kroga','dārzs']
    ELSE ARRAY['ово','ица','ец','ене','ище','ник','ча','ани','ско','иново','ево','ино','овец','ица Горна','ен','орово','ляне','ешти','инци','ово Ново'] END) WITH ORDINALITY AS b(s, o);

CREATE TEMP TABLE bench_topics (lang text, n int, topic text);
INSERT INTO bench_topics VALUES
 ('pl', 0, 'rozwój turystyki wiejskiej i agroturystyki'), ('pl', 1, 'odnowa wsi i wspólne przestrzenie'), ('pl', 2, 'dziedzictwo kulinarne i lokalne produkty'),
 ('pl', 3, 'aktywizacja młodzieży i seniorów'), ('pl', 4, 'współpraca lokalnych grup działania'), ('pl', 5, 'inteligentne wioski i cyfryzacja'),
 ('pl', 6, 'ochrona przyrody i krajobrazu'), ('pl', 7, 'przedsiębiorczość i rzemiosło'),
 ('lt', 0, 'kaimo turizmo plėtra'), ('lt', 1, 'kaimo bendruomenės stiprinimas'), ('lt', 2, 'vietos maisto produktai ir amatai'),
 ('lt', 3, 'jaunimo užimtumas kaime'), ('lt', 4, 'vietos veiklos grupių bendradarbiavimas'), ('lt', 5, 'sumanūs kaimai ir skaitmeninimas'),
 ('lt', 6, 'gamtos ir kraštovaizdžio apsauga'), ('lt', 7, 'verslumas ir amatai'),
 ('lv', 0, 'lauku tūrisma attīstība'), ('lv', 1, 'vietējās kopienas iniciatīvas'), ('lv', 2, 'vietējā pārtika un amatniecība'),
 ('lv', 3, 'jauniešu iesaiste laukos'), ('lv', 4, 'vietējo rīcības grupu sadarbība'), ('lv', 5, 'viedie ciemi un digitalizācija'),
 ('lv', 6, 'dabas un ainavas aizsardzība'), ('lv', 7, 'uzņēmējdarbība un amati'),
 ('bg', 0, 'развитие на селския туризъм'), ('bg', 1, 'местна инициативна група и общността'), ('bg', 2, 'местни храни и занаяти'),
 ('bg', 3, 'младежка заетост в селата'), ('bg', 4, 'сътрудничество между местни групи'), ('bg', 5, 'интелигентни села и цифровизация'),
 ('bg', 6, 'опазване на природата и ландшафта'), ('bg', 7, 'предприемачество и занаяти');

CREATE TEMP TABLE bench_projects AS
SELECT i,
       gen_random_uuid() AS id,
       (ARRAY['pl','lt','lv','bg'])[1 + i % 4] AS lang,
       (ARRAY['PL','LT','LV','BG'])[1 + i % 4] AS country,
       date '2014-01-01' + (i::bigint * 7919 % 4745)::int AS start_day,
       (i::bigint * 104729 % 1200)::int AS length_days,
       i % 3 AS precision,
       5000 + (i::bigint * 2654435761 % 499500000) / 100.0 AS amount,
       -- Themes, regions and the order of writing drawn independently of the language (hashes, not residues of i).
       abs(hashint4(i + 101)) % 10 AS theme,
       CASE WHEN i % 4 = 0 THEN abs(hashint4(i + 202)) % 10 ELSE abs(hashint4(i + 101)) % 10 END AS theme2,
       abs(hashint4(i + 303)) % 1000 AS region
FROM generate_series(1, :projects) AS i;

-- The status as of today (UTC), as the write unit stamps it (registry.project_status mirrors ProjectContent.StatusOn).
INSERT INTO registry.projects (id, publisher_id, external_id, content, status, languages, version, created_at, updated_at)
SELECT g.id, g.publisher_id, g.external_id, g.content,
       registry.project_status(coalesce(g.content ->> 'declaredStatus', 'unknown'), registry.partial_date_first(g.content ->> 'startDate'),
                               registry.partial_date_last(g.content ->> 'endDate'), (now() AT TIME ZONE 'UTC')::date),
       g.languages, g.version, g.created_at, g.updated_at
FROM (
SELECT p.id, bp.id, 'bench-' || p.i,
       jsonb_strip_nulls(jsonb_build_object(
           'title', CASE WHEN p.i % 3 = 0
                         THEN jsonb_build_object(p.lang, initcap(t.topic) || ' — ' || pl.place, 'en', 'Rural cooperation in ' || pl.place || ' ' || p.i)
                         ELSE jsonb_build_object(p.lang, initcap(t.topic) || ' — ' || pl.place) END,
           'summary', jsonb_build_object(p.lang, pl.place || ': ' || s.topic || ', ' || u.topic || ' (' || p.i || ')'),
           'description', CASE WHEN p.i % 2 = 0 THEN jsonb_build_object(p.lang, initcap(s.topic) || '. ' || initcap(u.topic) || ' — ' || pl2.place || ', ' || pl.place || '. ' || initcap(t.topic) || '.') END,
           'originalLanguage', p.lang,
           'declaredStatus', CASE WHEN p.i % 50 = 7 THEN 'cancelled' ELSE 'unknown' END,
           'startDate', CASE WHEN p.i % 10 = 3 THEN NULL WHEN p.precision = 0 THEN to_char(p.start_day, 'YYYY-MM-DD') WHEN p.precision = 1 THEN to_char(p.start_day, 'YYYY-MM') ELSE to_char(p.start_day, 'YYYY') END,
           'endDate', CASE WHEN p.i % 10 IN (3, 6) THEN NULL ELSE to_char(p.start_day + p.length_days, 'YYYY-MM-DD') END,
           'budget', CASE WHEN p.i % 7 = 5 THEN NULL ELSE jsonb_build_object('total', jsonb_build_object(
               'amount', to_char(p.amount, 'FM9999999990.00'),
               'currency', (ARRAY['PLN','EUR','BGN','EUR'])[1 + p.i % 4]), 'contributions', '[]'::jsonb) END,
           'countries', CASE WHEN p.i % 10 = 1 THEN jsonb_build_array(p.country, (ARRAY['FI','EE','GR','GB','DE','SE'])[1 + p.i % 6]) ELSE jsonb_build_array(p.country) END,
           'regions', jsonb_build_array(CASE p.country
               WHEN 'PL' THEN 'PL' || (1 + p.region % 9) || (1 + p.region / 9 % 3) || (1 + p.region / 27 % 4)
               WHEN 'LT' THEN 'LT0' || (1 + p.region % 2) || (1 + p.region / 2 % 9)
               WHEN 'LV' THEN 'LV00' || (3 + p.region % 7)
               ELSE 'BG3' || (1 + p.region % 4) || (1 + p.region / 4 % 5) END),
           'themes', CASE WHEN p.theme2 <> p.theme
               THEN jsonb_build_array((ARRAY['smart-villages','leader','tourism','heritage','youth','food','nature','crafts','digitalisation','cooperation'])[1 + p.theme],
                                      (ARRAY['smart-villages','leader','tourism','heritage','youth','food','nature','crafts','digitalisation','cooperation'])[1 + p.theme2])
               ELSE jsonb_build_array((ARRAY['smart-villages','leader','tourism','heritage','youth','food','nature','crafts','digitalisation','cooperation'])[1 + p.theme]) END,
           'targetGroups', '[]'::jsonb,
           'objectives', jsonb_build_array(jsonb_build_object('kind', 'main', 'text', jsonb_build_object(p.lang, s.topic))),
           'activities', CASE WHEN p.i % 5 = 0 THEN jsonb_build_array(jsonb_build_object('kind', 'study-visit', 'title', jsonb_build_object(p.lang, pl2.place), 'links', '[]'::jsonb)) ELSE '[]'::jsonb END,
           'links', '[]'::jsonb,
           'identifiers', '[]'::jsonb)),
       CASE WHEN p.i % 3 = 0 THEN ARRAY[p.lang, 'en'] ELSE ARRAY[p.lang] END,
       0, now() - (abs(hashint4(p.i)) % 100000) * interval '1 minute', now()
FROM bench_projects p
JOIN bench_topics t ON t.lang = p.lang AND t.n = p.i % 8
JOIN bench_topics s ON s.lang = p.lang AND s.n = (p.i / 8) % 8
JOIN bench_topics u ON u.lang = p.lang AND u.n = (p.i / 64) % 8
JOIN bench_places pl ON pl.lang = p.lang AND pl.n = (p.i * 7) % 400
JOIN bench_places pl2 ON pl2.lang = p.lang AND pl2.n = (p.i * 13 + 5) % 400
JOIN bench_publishers bp ON bp.n = p.i % 10) AS g(id, publisher_id, external_id, content, languages, version, created_at, updated_at);

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

-- Statistics first, so the refresh below is planned for tables of this size.
ANALYZE registry.projects, registry.partners, registry.project_partners, registry.project_funding_measures, registry.project_goals;

-- The derived columns lists and search read, by the function every write calls, a slice at a time.
SELECT format('SELECT registry.refresh_project_search(ARRAY(SELECT id FROM bench_projects WHERE i > %s AND i <= %s))', lo, lo + 50000)
FROM generate_series(0, :projects - 1, 50000) AS lo
\gexec

SELECT indexdef FROM bench_indexes
\gexec

COMMIT;
-- The version update rewrote every project row: compact the table as a registry grown by writes would be.
VACUUM FULL registry.projects;
VACUUM (ANALYZE) registry.projects, registry.project_search, registry.project_documents, registry.partners, registry.partner_identifiers, registry.project_partners,
    registry.project_funding_measures, registry.project_goals, registry.changes, registry.search_terms;
