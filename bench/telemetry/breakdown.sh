#!/usr/bin/env bash
# Where the telemetry's cost on GET by id goes: the API (Release) on the registry of bench/telemetry/run.sh (run that
# first: it makes .local/bench/telemetry-20000), by id at 4 connections for 12 s under each setting, in rounds:
# telemetry off; metrics only (OTEL_TRACES_SAMPLER=always_off) with every meter, without Npgsql's, without ASP.NET
# Core's, with only the registry's and the runtime's (Telemetry:Meters:*); traces as shipped (ratio 0.1) with OTLP to a
# local sink; and the SDK's parentbased_traceidratio 0.1, which drops unsampled requests instead of recording them.
# Prints each run with the API's CPU ticks. usage: bench/telemetry/breakdown.sh [rounds (2)]
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
rounds=${1:-2}
. deploy/local/lib/pg-cluster.sh
data="$root/.local/bench/telemetry-20000"
work=$(mktemp -d)
[ -d "$data" ] || { echo "run bench/telemetry/run.sh first (it makes $data)" >&2; exit 1; }
dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly -p:GenerateOpenApiContract=false >/dev/null
pg_cluster_start "$data" 56611 registry >/dev/null
export ConnectionStrings__Registry="Host=127.0.0.1;Port=56611;Database=registry;Username=registry;Password=registry"
web=src/Web/bin/Release/net10.0/RuralRegistry.Web.dll
PGPASSWORD=registry psql -h 127.0.0.1 -p 56611 -U registry -d registry -Atc "SELECT '/v1/projects/' || id FROM registry.projects WHERE deleted_at IS NULL ORDER BY id LIMIT 200" > "$work/by-id"
python3 -c "
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class S(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0))); self.send_response(200); self.send_header('Content-Length','0'); self.end_headers()
    def log_message(self,*a): pass
ThreadingHTTPServer(('127.0.0.1', 56612), S).serve_forever()" &
sink=$!
run() { # label env...
  local label=$1; shift
  env "$@" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false RateLimits__Enabled=false dotnet $web --urls http://127.0.0.1:56610 >"$work/api.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 60); do curl -fsS http://127.0.0.1:56610/health/ready >/dev/null 2>&1 && break; sleep 0.5; done
  PATHS="$work/by-id" wrk -t1 -c4 -d"${BENCH_WARMUP:-15}s" -s bench/search/latency.lua http://127.0.0.1:56610 >/dev/null
  local line; line=$(PATHS="$work/by-id" wrk -t2 -c4 -d12s -s bench/search/latency.lua http://127.0.0.1:56610 | tail -1)
  local cpu; cpu=$(awk '{print $14+$15}' /proc/$pid/stat)
  printf '%-28s %s  (API CPU ticks %s)\n' "$label" "$line" "$cpu"
  kill $pid; wait $pid 2>/dev/null
}
echo "telemetry cost breakdown, by id, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  run off Telemetry__Enabled=false
  run metrics-all Telemetry__Enabled=true OTEL_TRACES_SAMPLER=always_off
  run metrics-no-npgsql Telemetry__Enabled=true OTEL_TRACES_SAMPLER=always_off Telemetry__Meters__Npgsql=false
  run metrics-no-aspnet Telemetry__Enabled=true OTEL_TRACES_SAMPLER=always_off Telemetry__Meters__AspNetCore=false
  run metrics-only-registry Telemetry__Enabled=true OTEL_TRACES_SAMPLER=always_off Telemetry__Meters__AspNetCore=false Telemetry__Meters__Npgsql=false Telemetry__Meters__HttpClient=false
  run shipped-0.1-otlp Telemetry__Enabled=true OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:56612
  run sdk-parentbased-0.1-drop Telemetry__Enabled=true OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:56612
done
kill $sink
pg_cluster_stop "$data" >/dev/null
rm -rf "$work"
