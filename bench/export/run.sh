#!/usr/bin/env bash
# Export benchmark: N projects (default 1,000,000) streamed as NDJSON by the API, reporting records per
# second and the API process's peak resident memory (VmHWM), for the whole registry and for a tenth of
# it, each in a fresh API process, so memory that grew with the records would show.
#   bench/export/run.sh [projects]
# Uses a throwaway PostgreSQL cluster under .local/bench (kept between runs: generation runs once).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects="${1:-1000000}"
partners=$((projects / 10))
db_port="${BENCH_DB_PORT:-55480}"
api_port="${BENCH_API_PORT:-8095}"
data="$root/.local/bench/registry-$projects"

# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
pg_cluster_start "$data" "$db_port" registry
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry;Command Timeout=600"
api_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  pg_cluster_stop "$data"
}
trap cleanup EXIT

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
dotnet "$web_dll" migrate >/dev/null

psql_registry() { PGPASSWORD=registry psql -h 127.0.0.1 -p "$db_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }
have=$(psql_registry -Atc "SELECT count(*) FROM registry.projects")
if [ "$have" -lt "$projects" ]; then
  echo "generating $projects projects and $partners partners ..."
  start=$(date +%s)
  psql_registry -q -v projects="$projects" -v partners="$partners" -f bench/generate.sql
  echo "generated in $(( $(date +%s) - start )) s"
fi
# Projects loaded by SQL have no stored representation yet: migrating renders the missing ones (DatabaseMigrator).
dotnet "$web_dll" migrate >/dev/null

run_export() { # QUERY LABEL
  env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false \
    dotnet "$web_dll" --urls "http://127.0.0.1:$api_port" >/dev/null 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  local baseline out seconds lines peak
  baseline=$(awk '/VmHWM/ {print $2}' "/proc/$api_pid/status")
  out=$(mktemp)
  seconds=$(curl -fsS -o "$out" -w '%{time_total}' "http://127.0.0.1:$api_port/v1/exports/projects.ndjson$1")
  lines=$(wc -l < "$out")
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$api_pid/status")
  printf '%-28s %9d records in %7.1f s = %7.0f records/s; API peak RSS %4d MB (after start-up %d MB); %d MB of NDJSON\n' \
    "$2" "$lines" "$seconds" "$(echo "$lines / $seconds" | bc -l)" $((peak / 1024)) $((baseline / 1024)) $(( $(stat -c %s "$out") / 1048576 ))
  rm -f "$out"
  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
run_export "?publisher=bench-1" "one publisher (a tenth)"
run_export "" "whole registry"
