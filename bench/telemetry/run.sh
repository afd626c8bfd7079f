#!/usr/bin/env bash
# Telemetry overhead: by-id and list throughput of the real API (Release) with OpenTelemetry off
# (Telemetry__Enabled=false), on as shipped (Telemetry:TraceSampleRatio 0.1: a tenth of the requests traced whole, every
# problem's server span; the spans sent by OTLP to a local sink, metrics exported every 5 s and /metrics scraped every
# 5 s as Prometheus would) and on with every request traced (ratio 1). The three run side by side as three processes on
# one PostgreSQL, each warmed up for BENCH_WARMUP seconds (15); then, in slices of a few seconds, each mode in turn is
# measured while the other two are stopped (SIGSTOP, so their exports and timers take no CPU from it) and the order of
# the modes turns from slice to slice. So every mode sees the same machine within seconds, and the ratio is not the
# difference between two moments of a shared machine. Prints every slice (throughput, latency, the API's CPU time per
# request) and, per kind, the on/off ratios summed over the slices. Target: the shipped setting costs < 10%.
# usage: bench/telemetry/run.sh [projects (20000)] [seconds per slice (10)] [connections (4)] [slices (6)]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects=${1:-20000}; seconds=${2:-10}; connections=${3:-4}; slices=${4:-6}
warmup=${BENCH_WARMUP:-15}; db_port=${BENCH_DB_PORT:-56611}; sink_port=${BENCH_SINK_PORT:-56612}
declare -A port=([off]=56610 [on]=56613 [all]=56614) pid=()
data="$root/.local/bench/telemetry-$projects"
work=$(mktemp -d)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
pg_cluster_start "$data" "$db_port" registry >/dev/null
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry;Command Timeout=900"
sink_pid=""
cleanup() {
  for p in "${pid[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
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
    dotnet "$web_dll" --urls "http://127.0.0.1:${port[$mode]}" >"$work/api-$mode.log" 2>&1 &
  pid[$mode]=$!
  for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:${port[$mode]}/health/ready" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "the API ($mode) did not start:" >&2; tail "$work/api-$mode.log" >&2; exit 1
}
# Prometheus's scrape, every 5 s, of the mode being measured (telemetry off has no /metrics).
scrape() { while sleep 5; do curl -s -H 'Authorization: Bearer bench-admin-key' "http://127.0.0.1:$1/metrics" >/dev/null; done; }
rate() { sed -n 's/.* \([0-9]*\) requests\/s .*/\1/p' <<<"$1"; }
requests() { sed -n 's/.* \([0-9]*\) requests .*/\1/p' <<<"$1"; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
modes=(off on all)
# Lets one mode's process run and stops the others.
only() { for other in "${modes[@]}"; do if [ "$other" = "$1" ]; then kill -CONT "${pid[$other]}"; else kill -STOP "${pid[$other]}"; fi; done; }

echo "telemetry overhead bench, $(date -u +%FT%TZ), $(nproc) cores, $projects projects, $connections connections, $slices slices of ${seconds} s; load: $(uptime | sed 's/.*load average: //')"
for mode in "${modes[@]}"; do start_api "$mode"; done
hz=$(getconf CLK_TCK)
declare -A sum cpu count
for kind in by-id list; do
  # Warm-up: each mode in turn, the others stopped; with less, the JIT's tiering (more code with telemetry on) still runs in the measured window.
  for mode in "${modes[@]}"; do
    only "$mode"
    PATHS="$work/$kind" wrk -t1 -c"$connections" -d"${warmup}s" -s bench/search/latency.lua "http://127.0.0.1:${port[$mode]}" >/dev/null
  done
  for slice in $(seq 1 "$slices"); do
    for turn in 0 1 2; do
      mode=${modes[$(( (slice + turn) % 3 ))]}
      only "$mode"
      scraper=""; [ "$mode" != off ] && { scrape "${port[$mode]}" & scraper=$!; }
      before=$(ticks "${pid[$mode]}")
      line=$(PATHS="$work/$kind" wrk -t2 -c"$connections" -d"${seconds}s" -s bench/search/latency.lua "http://127.0.0.1:${port[$mode]}" | tail -1)
      used=$(( $(ticks "${pid[$mode]}") - before ))
      [ -n "$scraper" ] && { kill "$scraper" 2>/dev/null; wait "$scraper" 2>/dev/null || true; }
      sum[$mode-$kind]=$(( ${sum[$mode-$kind]:-0} + $(rate "$line") ))
      cpu[$mode-$kind]=$(( ${cpu[$mode-$kind]:-0} + used )); count[$mode-$kind]=$(( ${count[$mode-$kind]:-0} + $(requests "$line") ))
      printf 'slice %s %-6s telemetry %-3s %s | API CPU %.0f us/request | load %s\n' "$slice" "$kind" "$mode" "$line" \
        "$(awk -v t="$used" -v n="$(requests "$line")" -v hz="$hz" 'BEGIN { print (n > 0 ? t / hz / n * 1e6 : 0) }')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
for p in "${pid[@]}"; do kill -CONT "$p"; done
for kind in by-id list; do
  for mode in on all; do
    awk -v k="$kind" -v m="$mode" -v on="${sum[$mode-$kind]}" -v off="${sum[off-$kind]}" \
      -v con="${cpu[$mode-$kind]}" -v coff="${cpu[off-$kind]}" -v non="${count[$mode-$kind]}" -v noff="${count[off-$kind]}" -v hz="$hz" \
      'BEGIN { printf "%s: telemetry %s/off throughput %.3f (cost %.1f%%), summed over the slices; API CPU per request %.0f against %.0f us (+%.1f%%)\n", k, (m == "on" ? "on as shipped (ratio 0.1)" : "on, every request traced (ratio 1)"), on / off, (1 - on / off) * 100, con / hz / non * 1e6, coff / hz / noff * 1e6, (con / non / (coff / noff) - 1) * 100 }'
  done
done
