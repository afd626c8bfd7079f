#!/usr/bin/env bash
# Telemetry overhead: by-id and list throughput of the real API (Release) with OpenTelemetry off
# (Telemetry__Enabled=false), on as shipped (Telemetry:TraceSampleRatio 0.1: a tenth of the requests traced whole, every
# problem's server span; the spans sent by OTLP to a local sink, metrics kept for /metrics, scraped every 5 s as
# Prometheus would) and on with every request traced (ratio 1), in alternating rounds, each after a pgbench reference
# run (SELECT 1) that shows how loaded the machine was at that moment. Prints each run and the on/off ratios.
# Each run is measured after a warm-up of BENCH_WARMUP seconds (15) on a fresh API process: shorter, and the JIT's
# tiering (more code with telemetry on) still runs in the measured window. Target: the shipped setting costs < 10%.
# usage: bench/telemetry/run.sh [projects (20000)] [seconds per run (15)] [connections (4)] [rounds (2)]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects=${1:-20000}; seconds=${2:-15}; connections=${3:-4}; rounds=${4:-2}
warmup=${BENCH_WARMUP:-15}; db_port=${BENCH_DB_PORT:-56611}; api_port=${BENCH_API_PORT:-56610}; sink_port=${BENCH_SINK_PORT:-56612}
data="$root/.local/bench/telemetry-$projects"
work=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install postgresql-client-15" >&2; exit 1; }
# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
pg_cluster_start "$data" "$db_port" registry >/dev/null
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry;Command Timeout=900"
api_pid=""; sink_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
  pg_cluster_stop "$data" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly -p:GenerateOpenApiContract=false >/dev/null
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
dotnet "$web_dll" migrate >/dev/null
psql_registry() { PGPASSWORD=registry psql -h 127.0.0.1 -p "$db_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_registry -Atc "SELECT count(*) FROM registry.projects")" -lt "$projects" ]; then
  psql_registry -q -o /dev/null -v projects="$projects" -v partners="$(( projects / 10 ))" -f bench/generate.sql
fi
# Projects loaded by SQL have no stored representation yet: migrating renders the missing ones (DatabaseMigrator).
dotnet "$web_dll" migrate >/dev/null
psql_registry -Atc "SELECT '/v1/projects/' || id FROM registry.projects WHERE deleted_at IS NULL ORDER BY id LIMIT 200" > "$work/by-id"
printf '%s\n' '/v1/projects?pageSize=50' '/v1/projects?country=PL&pageSize=20' '/v1/projects?status=completed&pageSize=20' \
  '/v1/projects?country=LT&sort=title&pageSize=20' > "$work/list"
echo 'SELECT 1;' > "$work/select1.sql"

# The OTLP sink: answers every export with 200 and counts the bytes, as a collector's receiver would.
python3 - "$sink_port" > "$work/sink.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
sink_pid=$!

start_api() {
  local mode=$1 enabled=true ratio=0.1
  case $mode in off) enabled=false;; all) ratio=1;; esac
  env Telemetry__Enabled="$enabled" Telemetry__TraceSampleRatio="$ratio" OTEL_EXPORTER_OTLP_ENDPOINT="$([ "$enabled" = true ] && echo "http://127.0.0.1:$sink_port")" \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRIC_EXPORT_INTERVAL=5000 REGISTRY_ADMIN_KEY=bench-admin-key \
    env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false RateLimits__Enabled=false \
    dotnet "$web_dll" --urls "http://127.0.0.1:$api_port" >"$work/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "the API did not start:" >&2; tail "$work/api.log" >&2; exit 1
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }
scrape() { while sleep 5; do curl -s -H 'Authorization: Bearer bench-admin-key' "http://127.0.0.1:$api_port/metrics" >/dev/null; done; }
rate() { sed -n 's/.* \([0-9]*\) requests\/s .*/\1/p' <<<"$1"; }

echo "telemetry overhead bench, $(date -u +%FT%TZ), $(nproc) cores, $projects projects, $connections connections, ${seconds} s per run; load: $(uptime | sed 's/.*load average: //')"
declare -A sum
for round in $(seq 1 "$rounds"); do
  for mode in off on all; do
    start_api "$mode"
    scraper=""; [ "$mode" != off ] && { scrape & scraper=$!; }
    pg=$(PGPASSWORD=registry pgbench -n -h 127.0.0.1 -p "$db_port" -U registry -c "$connections" -j 2 -T 5 -f "$work/select1.sql" registry 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    for kind in by-id list; do
      PATHS="$work/$kind" wrk -t1 -c"$connections" -d"${warmup}s" -s bench/search/latency.lua "http://127.0.0.1:$api_port" >/dev/null
      line=$(PATHS="$work/$kind" wrk -t2 -c"$connections" -d"${seconds}s" -s bench/search/latency.lua "http://127.0.0.1:$api_port" | tail -1)
      sum[$mode-$kind]=$(( ${sum[$mode-$kind]:-0} + $(rate "$line") ))
      printf 'round %s telemetry %-3s %-6s %s | pgbench SELECT 1: %.0f tps | load %s\n' "$round" "$mode" "$kind" "$line" "${pg:-0}" "$(uptime | sed 's/.*load average: //')"
    done
    [ -n "$scraper" ] && kill "$scraper" 2>/dev/null
    stop_api
  done
done
for kind in by-id list; do
  for mode in on all; do
    awk -v k="$kind" -v m="$mode" -v on="${sum[$mode-$kind]}" -v off="${sum[off-$kind]}" \
      'BEGIN { printf "%s: telemetry %s/off throughput %.3f (cost %.1f%%), summed over the rounds\n", k, (m == "on" ? "on as shipped (ratio 0.1)" : "on, every request traced (ratio 1)"), on / off, (1 - on / off) * 100 }'
  done
done
