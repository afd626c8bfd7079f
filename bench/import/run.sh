#!/usr/bin/env bash
# Import benchmark: N generated project records (default 100,000) as NDJSON through the real HTTP API
# (Release build, POST /v1/imports/projects), first into an empty registry, then again unchanged; reports
# records per second and the API process's peak resident memory (VmHWM), and loads the same file by raw
# COPY into a scratch table for comparison.
#   bench/import/run.sh [records]
# Uses a throwaway PostgreSQL cluster under .local/bench (the registry database is made anew each run).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
records="${1:-100000}"
db_port="${BENCH_DB_PORT:-55491}"
api_port="${BENCH_API_PORT:-8106}"
data="$root/.local/bench/postgres-import"
work="$root/.local/bench/import"
mkdir -p "$work"
base="http://127.0.0.1:$api_port"
admin_key="bench-admin-$(date +%s)"

# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
pg_cluster_start "$data" "$db_port" postgres
psql_db() { local db=$1; shift; PGPASSWORD=registry psql -h 127.0.0.1 -p "$db_port" -U registry -d "$db" -v ON_ERROR_STOP=1 -q "$@"; }
psql_db postgres -c "DROP DATABASE IF EXISTS registry_import WITH (FORCE)" -c "CREATE DATABASE registry_import"
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry_import;Username=registry;Password=registry;Command Timeout=600"
api_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  pg_cluster_stop "$data"
}
trap cleanup EXIT

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
dotnet "$web_dll" migrate >/dev/null

file="$work/records-$records.ndjson"
[ -s "$file" ] || python3 bench/import/generate.py "$records" > "$file"
mb=$(( $(stat -c %s "$file") / 1048576 ))

REGISTRY_ADMIN_KEY="$admin_key" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false \
  Imports__MaxRecords="$records" dotnet "$web_dll" --urls "$base" >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 60); do curl -fsS "$base/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
baseline=$(awk '/VmHWM/ {print $2}' "/proc/$api_pid/status")
curl -fsS -X POST "$base/v1/publishers" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  -d '{"code": "bench-import", "name": "Import benchmark"}' >/dev/null
key=$(curl -fsS -X POST "$base/v1/publishers/bench-import/api-keys" -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  -d '{"name": "bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

run_import() { # LABEL
  local out seconds status counts
  out=$(mktemp)
  read -r status seconds < <(curl -sS -o "$out" -w '%{http_code} %{time_total}\n' -X POST "$base/v1/imports/projects" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' --data-binary @"$file")
  counts=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["import"]["counts"]; print(" ".join(f"{k}={v}" for k,v in c.items() if v))' "$out" 2>/dev/null || head -c 400 "$out")
  rm -f "$out"
  local peak
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$api_pid/status")
  printf '%-22s HTTP %s  %7d records in %6.1f s = %7.0f records/s; API peak RSS so far %4d MB (after start-up %d MB); %s\n' \
    "$1" "$status" "$records" "$seconds" "$(echo "$records / $seconds" | bc -l)" $((peak / 1024)) $((baseline / 1024)) "$counts"
  echo "$seconds" > "$work/last-seconds"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $records records, $mb MB of NDJSON"
run_import "first import"
first_seconds=$(cat "$work/last-seconds")
run_import "unchanged re-import"
kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""

# The floor: the same file loaded by raw COPY into a scratch table (one jsonb column, no checks, no links).
psql_db registry_import -c "DROP TABLE IF EXISTS bench_copy" -c "CREATE UNLOGGED TABLE bench_copy (record jsonb)"
start=$(date +%s.%N)
psql_db registry_import -c "\\copy bench_copy FROM '$file' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
copy_seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
printf '%-22s          %7d records in %6.1f s = %7.0f records/s; the first import takes %.1f times as long\n' \
  "raw COPY (jsonb rows)" "$records" "$copy_seconds" "$(echo "$records / $copy_seconds" | bc -l)" "$(echo "$first_seconds / $copy_seconds" | bc -l)"
psql_db registry_import -c "DROP TABLE bench_copy"
