#!/usr/bin/env bash
# Search benchmark (issue 4): typical portal queries against a registry of N projects (default
# 1,000,000, with N/10 partners), loaded straight into PostgreSQL by bench/generate.sql, through the
# real HTTP API (Release build), with wrk. For each query kind it prints p50/p95/p99 latency and
# requests per second, and it writes the plan PostgreSQL chose for each (EXPLAIN ANALYZE through
# auto_explain, the SQL the API really sends) to bench/search/plans/.
#   bench/search/run.sh [projects] [connections] [seconds]
# Uses a throwaway PostgreSQL cluster under .local/bench (kept between runs: generation runs once).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects="${1:-1000000}"
connections="${2:-4}"
seconds="${3:-20}"
partners=$((projects / 10))
db_port="${BENCH_DB_PORT:-55481}"
api_port="${BENCH_API_PORT:-8096}"
data="$root/.local/bench/registry-$projects"
plans="$root/bench/search/plans"
work=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
# A server sized for the machine (a quarter of its memory for PostgreSQL's buffers), as a production one would be.
export PG_CLUSTER_OPTS="${PG_CLUSTER_OPTS:--c shared_buffers=6GB}"
pg_cluster_start "$data" "$db_port" registry
# The API's sessions run with jit=off and max_parallel_workers_per_gather=0 (set on its connections); psql's here do too.
export PGOPTIONS="${PGOPTIONS:--c jit=off -c max_parallel_workers_per_gather=0}"
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry;Command Timeout=900;Maximum Pool Size=50"
api_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  pg_cluster_stop "$data"
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
dotnet "$web_dll" migrate >/dev/null

psql_registry() { PGPASSWORD=registry psql -h 127.0.0.1 -p "$db_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }
psql_super() { su postgres -c "psql -qh '$(pg_cluster_socket_dir "$data")' -p $db_port -d registry -v ON_ERROR_STOP=1 -c \"$1\""; }
have=$(psql_registry -Atc "SELECT count(*) FROM registry.projects")
if [ "$have" -lt "$projects" ]; then
  echo "generating $projects projects and $partners partners ..."
  start=$(date +%s)
  psql_registry -q -o /dev/null -v projects="$projects" -v partners="$partners" -f bench/generate.sql
  echo "generated in $(( $(date +%s) - start )) s"
fi
# Projects loaded by SQL have no stored representation yet: migrating renders the missing ones (DatabaseMigrator).
dotnet "$web_dll" migrate >/dev/null
# The registry's tables and indexes read into PostgreSQL's buffers, as on a server that has been serving a while.
psql_super "CREATE EXTENSION IF NOT EXISTS pg_prewarm"
psql_super "SELECT count(pg_prewarm(c.oid::regclass)) FROM pg_class c WHERE c.relnamespace = 'registry'::regnamespace AND c.relkind IN ('r', 'i')" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(psql_registry -Atc "SELECT count(*) FROM registry.projects") projects, $(psql_registry -Atc "SELECT count(*) FROM registry.partners") partners; database $(psql_registry -Atc "SELECT pg_size_pretty(pg_database_size('registry'))")"

start_api() {
  env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false RateLimits__Enabled=false \
    dotnet "$web_dll" --urls "http://127.0.0.1:$api_port" >/dev/null 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "the API did not start" >&2; exit 1
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }
base="http://127.0.0.1:$api_port"

# The queries: each kind rotates through several values, as a portal's visitors would.
places=$(psql_registry -Atc "SELECT DISTINCT lower(split_part(content -> 'title' ->> (content ->> 'originalLanguage'), ' — ', 2)) FROM registry.projects WHERE external_id IN (SELECT 'bench-' || (i * 7919 % $projects + 1) FROM generate_series(1, 40) AS i)")
: > "$work/filtered"; : > "$work/search"; : > "$work/stats"; : > "$work/walk"
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

start_api
# The 100th page of filtered walks: the tokens are taken by walking 99 pages first.
for query in "country=LT&sort=-updatedAt" "country=PL&theme=heritage&sort=startDate" "language=bg&sort=title" "partnerCountry=LV&sort=-startDate"; do
  [ "$projects" -lt 200000 ] && query="${query/&theme=heritage/}"
  path="/v1/projects?$query&pageSize=20"
  for page in $(seq 1 99); do
    path=$(curl -fsS "$base$path" | jq -r '.next // empty' | sed "s#^$base##")
    [ -n "$path" ] || { echo "$query has only $page pages; the walk needs 100" >&2; exit 1; }
  done
  echo "$path" >> "$work/walk"
done
curl -fsS "$base$(head -1 "$work/search")" >/dev/null
# A portal's first visitors fill the caches; so does this, once per kind, before anything is measured.
for kind in filtered search walk stats; do
  while IFS= read -r path; do curl -fsS -o /dev/null "$base$path"; done < "$work/$kind"
done
for kind in filtered search walk stats; do
  # warm-up, then the measured run
  PATHS="$work/$kind" wrk -t1 -c"$connections" -d5s -s bench/search/latency.lua "$base" >/dev/null
  printf '%-10s (%2d urls, %d connections, %d s): ' "$kind" "$(wc -l < "$work/$kind")" "$connections" "$seconds"
  PATHS="$work/$kind" wrk -t"$(( connections < 2 ? connections : 2 ))" -c"$connections" -d"${seconds}s" -s bench/search/latency.lua "$base" | tail -1
done
stop_api

# The plans of one query of each kind, as PostgreSQL ran them for the API (auto_explain, one fresh process).
mkdir -p "$plans"
log="$data.log"
for setting in "session_preload_libraries = 'auto_explain'" "auto_explain.log_min_duration = 0" "auto_explain.log_analyze = on" "auto_explain.log_buffers = on"; do
  psql_super "ALTER DATABASE registry SET $setting"
done
start_api
for kind in filtered search walk stats; do
  before=$(wc -l < "$log")
  curl -fsS "$base$(head -1 "$work/$kind")" >/dev/null
  sleep 0.5
  { echo "-- GET $(head -1 "$work/$kind")"; tail -n +"$((before + 1))" "$log"; } > "$plans/$kind.txt"
done
stop_api
# Only the settings set above (jit and parallel workers are the connections' own, never the database's).
for setting in session_preload_libraries auto_explain.log_min_duration auto_explain.log_analyze auto_explain.log_buffers; do
  psql_super "ALTER DATABASE registry RESET $setting"
done
echo "plans: $plans/{filtered,search,walk,stats}.txt"
