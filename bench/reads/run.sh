#!/usr/bin/env bash
# Reads benchmark (issue 17): on the bench registry of 1,000,000 projects (bench/search's generator), the API (Release
# build) with wrk and PostgreSQL with pgbench, side by side at the same concurrency, for: GET by id (random ids), the
# 304 path, a filtered list page, a search page and GET /v1/changes?include=record&pageSize=500. Each pgbench script is
# the statement(s) the API sent for that request (taken from PostgreSQL's log, parameters written in), so the ratio
# says what the API costs on top of the database's own work. Then list/search/statistics p95 at 1 connection, the
# NDJSON export of every project (records/s, the API's peak RSS), and EXPLAIN (ANALYZE, BUFFERS) of the by-id and list
# statements into bench/reads/plans/.
#   bench/reads/run.sh [projects] [connections] [seconds]      (1000000 16 15 by default)
# Every measured run follows a warm-up of BENCH_WARMUP seconds (15) on the same URLs, so the JIT has tiered up.
# The registry lives in .local/bench/registry-<projects> (as bench/search makes it, and is generated the same way
# when missing); when it is missing and BENCH_REGISTRY_FROM names one made earlier, a copy of that is taken (the
# original is left alone).
# Migrating renders the stored representations of projects that have none (the backfill; timed below).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects="${1:-1000000}"
connections="${2:-16}"
seconds="${3:-15}"
db_port="${BENCH_DB_PORT:-56510}"
api_port="${BENCH_API_PORT:-56511}"
data="$root/.local/bench/registry-$projects"
plans="$root/bench/reads/plans"
work=$(mktemp -d)
base="http://127.0.0.1:$api_port"

for tool in wrk pgbench jq python3; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
if [ ! -d "$data" ]; then
  if [ -n "${BENCH_REGISTRY_FROM:-}" ] && [ -d "$BENCH_REGISTRY_FROM" ]; then
    echo "copying the registry of $BENCH_REGISTRY_FROM ..."
    mkdir -p "$(dirname "$data")"
    cp -a "$BENCH_REGISTRY_FROM" "$data"
    rm -f "$data/postmaster.pid"
  fi
fi
# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
export PG_CLUSTER_OPTS="${PG_CLUSTER_OPTS:--c shared_buffers=6GB}"
pg_cluster_start "$data" "$db_port" registry
export PGOPTIONS="${PGOPTIONS:--c jit=off -c max_parallel_workers_per_gather=0}"
export PGPASSWORD=registry
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry;Command Timeout=900;Maximum Pool Size=50"
api_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  pg_cluster_stop "$data"
  rm -rf "$work"
}
trap cleanup EXIT
psql_registry() { psql -h 127.0.0.1 -p "$db_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }
psql_super() { su postgres -c "psql -qh '$(pg_cluster_socket_dir "$data")' -p $db_port -d registry -v ON_ERROR_STOP=1 -c \"$1\""; }

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
start=$(date +%s)
dotnet "$web_dll" migrate >/dev/null
echo "migrate (with the backfill of stored representations where missing): $(( $(date +%s) - start )) s"
if [ "$(psql_registry -Atc "SELECT count(*) FROM registry.projects")" -lt "$projects" ]; then
  echo "generating $projects projects and $((projects / 10)) partners ..."
  start=$(date +%s)
  psql_registry -q -o /dev/null -v projects="$projects" -v partners="$((projects / 10))" -f bench/generate.sql
  dotnet "$web_dll" migrate >/dev/null
  echo "generated and rendered in $(( $(date +%s) - start )) s"
fi
# Vacuumed as autovacuum leaves tables nobody is writing: their pages all-visible, so the index-only walk of a filtered
# page (ix_project_search_version covers what it tests) reads no row of the table.
start=$(date +%s)
psql_registry -q -c "VACUUM (ANALYZE) registry.project_search" -c "VACUUM (ANALYZE) registry.project_documents" -c "VACUUM (ANALYZE) registry.project_representations"
echo "vacuum: $(( $(date +%s) - start )) s"
psql_super "CREATE EXTENSION IF NOT EXISTS pg_prewarm"
psql_super "SELECT count(pg_prewarm(c.oid::regclass)) FROM pg_class c WHERE c.relnamespace = 'registry'::regnamespace AND c.relkind IN ('r', 'i')" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); $(psql_registry -Atc "SELECT count(*) FROM registry.project_representations") stored representations, $(psql_registry -Atc "SELECT pg_size_pretty(pg_total_relation_size('registry.project_representations'))")"

# 10,000 random live projects, in a table pgbench reads too (bench.ids: n, id, version).
psql_registry -q -c "CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.ids;
  CREATE TABLE bench.ids AS SELECT row_number() OVER () AS n, id, version FROM (SELECT id, version FROM registry.projects WHERE deleted_at IS NULL ORDER BY random() LIMIT 10000) s;
  ALTER TABLE bench.ids ADD PRIMARY KEY (n); ANALYZE bench.ids"
psql_registry -Atc "SELECT id || ' ' || version FROM bench.ids ORDER BY n" > "$work/ids"

places=$(psql_registry -Atc "SELECT DISTINCT lower(split_part(content -> 'title' ->> (content ->> 'originalLanguage'), ' — ', 2)) FROM registry.projects WHERE external_id IN (SELECT 'bench-' || (i * 7919 % $projects + 1) FROM generate_series(1, 40) AS i)")
: > "$work/filtered"; : > "$work/search"; : > "$work/stats"; : > "$work/changes"
for country in PL LT LV BG; do
  for theme in tourism heritage youth food nature; do
    echo "/v1/projects?country=$country&theme=$theme&status=completed&pageSize=20" >> "$work/filtered"
  done
  for group in fundingMeasure status startYear; do
    echo "/v1/stats/projects?groupBy=$group&region=$(case $country in PL) echo PL41;; LT) echo LT01;; LV) echo LV006;; *) echo BG34;; esac)&theme=tourism" >> "$work/stats"
  done
done
while IFS= read -r place; do
  [ -n "$place" ] && printf '/v1/projects?q=%s&pageSize=20\n' "$(jq -rn --arg v "$place" '$v|@uri')" >> "$work/search"
done <<< "$places"
last=$(psql_registry -Atc "SELECT max(sequence) FROM registry.changes")
for i in $(seq 1 10); do echo "/v1/changes?include=record&pageSize=500&after=$(( last * i / 12 ))" >> "$work/changes"; done

start_api() {
  env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false RateLimits__Enabled=false Telemetry__ChangeFeedSampleSeconds=0 \
    dotnet "$web_dll" --urls "$base" >/dev/null 2>&1 &
  api_pid=$!
  for _ in $(seq 1 120); do curl -fsS "$base/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "the API did not start" >&2; exit 1
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }

# The statements the API sends for each kind: one request per path with every statement logged, turned into pgbench scripts.
log="$data.log"
psql_super "ALTER DATABASE registry SET log_min_duration_statement = 0"
start_api
id=$(head -1 "$work/ids" | cut -d' ' -f1); version=$(head -1 "$work/ids" | cut -d' ' -f2)
capture() { # NAME PATH [curl args]: the statements with their values written in (NAME.sql), and, with VARS, as
  local name=$1 path=$2; shift 2                               # pgbench variables whose values go to VARS (NAME.pgbench)
  curl -fsS -o /dev/null "$@" "$base$path"; sleep 0.3
  local before; before=$(wc -l < "$log")
  curl -fsS -o /dev/null "$@" "$base$path"; sleep 0.3
  tail -n +"$((before + 1))" "$log" > "$work/$name.log"
  python3 bench/reads/statements.py < "$work/$name.log" > "$work/$name.sql"
  if [ -n "${VARS:-}" ]; then python3 bench/reads/statements.py "${name//-/_}" "$VARS" < "$work/$name.log" > "$work/$name.pgbench"; fi
}
capture by-id "/v1/projects/$id"
capture not-modified "/v1/projects/$id" -H "If-None-Match: \"$version\""
for kind in filtered search changes; do
  n=0
  : > "$work/$kind.vars"
  while IFS= read -r path; do n=$((n + 1)); VARS="$work/$kind.vars" capture "$kind-$n" "$path"; done < "$work/$kind"
done
stop_api
psql_super "ALTER DATABASE registry RESET log_min_duration_statement"
# By id and 304 with the id drawn at random per transaction, as wrk does: the captured statement on bench.ids' row n.
by_id_sql=$(sed "s/'$id'/(SELECT id FROM bench.ids WHERE n = :n)/g" "$work/by-id.sql")
printf '\\set n random(1, 10000)\n%s\n' "$by_id_sql" > "$work/pg-by-id.sql"
not_modified_sql=$(sed -e "s/'$id'/(SELECT id FROM bench.ids WHERE n = :n)/g" -e "s/'{$version}'/ARRAY[(SELECT version FROM bench.ids WHERE n = :n)]/g" "$work/not-modified.sql")
printf '\\set n random(1, 10000)\n%s\n' "$not_modified_sql" > "$work/pg-not-modified.sql"
printf '\\set n random(1, 10000)\nSELECT body FROM registry.project_representations WHERE id = (SELECT id FROM bench.ids WHERE n = :n);\n' > "$work/pg-pk-body.sql"
printf '\\set n random(1, 10000)\nSELECT version FROM registry.projects WHERE id = (SELECT id FROM bench.ids WHERE n = :n);\n' > "$work/pg-pk-version.sql"
echo "statements per request: by id $(grep -c . "$work/by-id.sql"), 304 $(grep -c . "$work/not-modified.sql"), filtered $(grep -c . "$work/filtered-1.sql"), search $(grep -c . "$work/search-1.sql"), changes $(grep -c . "$work/changes-1.sql")"
cp "$work/by-id.sql" "$work/filtered-1.sql" "$work/search-1.sql" "$work/changes-1.sql" "$work/not-modified.sql" "$plans/" 2>/dev/null || { mkdir -p "$plans"; cp "$work/by-id.sql" "$work/filtered-1.sql" "$work/search-1.sql" "$work/changes-1.sql" "$work/not-modified.sql" "$plans/"; }

# Every script runs prepared (-M prepared), as the API's reads data source sends its statements (by id, 304, list and
# search pages); the list, search and feed scripts take their values as pgbench variables (-D, from the capture), so
# they are parameters as the API sends them. (The change feed's EF statements the API sends unprepared: pgbench's
# prepared run of them is the database's best, not the API's way.)
pgbench_tps() { # mode connections script-files... (VARS: a file of NAME=VALUE lines for -D)
  local mode=$1 c=$2; shift 2
  local args=(); for f in "$@"; do args+=(-f "$f"); done
  if [ -n "${VARS:-}" ]; then while IFS= read -r definition; do args+=(-D "$definition"); done < <(sort -u "$VARS"); fi
  pgbench -h 127.0.0.1 -p "$db_port" -U registry -n -M "$mode" -c "$c" -j 2 -T "$seconds" "${args[@]}" registry > "$work/pgbench.out" 2>&1 || true
  awk '/^tps/ {printf "%.0f", $3}' "$work/pgbench.out"
  grep -m1 'error' "$work/pgbench.out" >&2 || true
}
wrk_line() { # connections lua env... url
  local c=$1 lua=$2; shift 2
  env "$@" wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"${BENCH_WARMUP:-15}s" -s "$lua" "$base" >/dev/null
  env "$@" wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"${seconds}s" -s "$lua" "$base" | tail -1
}
rps() { sed -E 's/.* ([0-9]+) requests\/s.*/\1/' <<< "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", (b > 0 ? 100 * a / b : 0) }'; }
report() { # name api-line pgbench-tps pgbench-what
  printf '%-9s API: %s\n          pgbench (%s): %s tps  -> API/pgbench %s\n' "$1" "$2" "$4" "$3" "$(ratio "$(rps "$2")" "$3")"
}

start_api
for kind in filtered search changes; do while IFS= read -r path; do curl -fsS -o /dev/null "$base$path"; done < "$work/$kind"; done
echo "== $connections connections, $seconds s each, $(date -u +%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
line=$(wrk_line "$connections" bench/reads/ids.lua IDS="$work/ids")
report "by id" "$line" "$(pgbench_tps prepared "$connections" "$work/pg-by-id.sql")" "the API's statement"
echo "          pgbench (primary-key read of the stored representation): $(pgbench_tps prepared "$connections" "$work/pg-pk-body.sql") tps"
line=$(wrk_line "$connections" bench/reads/ids.lua IDS="$work/ids" NOT_MODIFIED=1)
report "304" "$line" "$(pgbench_tps prepared "$connections" "$work/pg-not-modified.sql")" "the API's statement"
echo "          pgbench (version lookup by primary key): $(pgbench_tps prepared "$connections" "$work/pg-pk-version.sql") tps"
for kind in filtered search changes; do
  line=$(wrk_line "$connections" bench/search/latency.lua PATHS="$work/$kind")
  report "$kind" "$line" "$(VARS="$work/$kind.vars" pgbench_tps prepared "$connections" "$work/$kind"-[0-9]*.pgbench)" "the API's statements, $(wc -l < "$work/$kind") paths"
done
echo "== 1 connection, $(date -u +%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in filtered search stats; do
  printf '%-9s %s\n' "$kind" "$(wrk_line 1 bench/search/latency.lua PATHS="$work/$kind")"
done
stop_api

# The export of every project, from a fresh API process: records/s and its peak resident memory.
start_api
start_ns=$(date +%s%N)
records=$(curl -fsS "$base/v1/exports/projects.ndjson" | wc -l)
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
peak=$(awk '/VmHWM/ {print $2}' "/proc/$api_pid/status")
echo "export: $records records in $elapsed_ms ms = $(( records * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1) )) records/s; API peak RSS $(( peak / 1024 )) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
stop_api

for name in by-id filtered-1; do
  { echo "-- EXPLAIN (ANALYZE, BUFFERS) of the statement(s) the API sends for $(case $name in by-id) echo "GET /v1/projects/$id";; *) head -1 "$work/filtered";; esac)"
    grep -v -i -E '^(BEGIN|COMMIT|SET|RESET|SELECT pg_current_snapshot)' "$work/$name.sql" | while IFS= read -r statement; do
      echo "-- $statement"
      psql_registry -Atc "EXPLAIN (ANALYZE, BUFFERS) ${statement%;}"
    done; } > "$plans/$name.explain.txt"
done
echo "plans: $plans/by-id.explain.txt, $plans/filtered-1.explain.txt"
