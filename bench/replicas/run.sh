#!/usr/bin/env bash
# Read-replica benchmark (issue 20): by-id and list reads through the real HTTP API (Release build, rate limits off),
# with wrk, in two topologies on this one machine:
#   single:   one API process, every read on the primary (no ConnectionStrings__RegistryReplicas);
#   replicas: two API processes, anonymous reads on a streaming hot standby (pg_basebackup -R) with the primary as
#             fallback (prefer-standby), the load split between the processes by two wrk clients (a load balancer's
#             round-robin, without a proxy's own cost in the figures).
# pgbench -S (select-only, the same PostgreSQL) runs beside each measurement, so the figures can be read as ratios
# to what the machine gave PostgreSQL alone at that moment (this machine is shared and its load varies).
#   bench/replicas/run.sh [projects] [connections] [seconds]      (defaults 100000 16 20)
# Clusters are kept under .local/bench/replicas-N (generation runs once). Ports BENCH_PORT_BASE (56710) .. +4.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects="${1:-100000}"
connections="${2:-16}"
seconds="${3:-20}"
partners=$((projects / 10))
base_port="${BENCH_PORT_BASE:-56710}"
primary_port=$base_port
standby_port=$((base_port + 1))
api_a_port=$((base_port + 2))
api_b_port=$((base_port + 3))
data="$root/.local/bench/replicas-$projects/primary"
standby="$root/.local/bench/replicas-$projects/standby"
work=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
export PG_CLUSTER_OPTS="${PG_CLUSTER_OPTS:--c shared_buffers=1GB -c max_connections=200}"
pg_cluster_start "$data" "$primary_port" registry
export PGOPTIONS="${PGOPTIONS:--c jit=off -c max_parallel_workers_per_gather=0}"
credentials="Database=registry;Username=registry;Password=registry;Maximum Pool Size=50"
primary_cs="Host=127.0.0.1;Port=$primary_port;$credentials"
replicas_cs="Host=127.0.0.1:$standby_port,127.0.0.1:$primary_port;$credentials;Target Session Attributes=prefer-standby;Load Balance Hosts=true"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  pg_cluster_stop "$standby"
  pg_cluster_stop "$data"
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
ConnectionStrings__Registry="$primary_cs" dotnet "$web_dll" migrate >/dev/null

psql_primary() { PGPASSWORD=registry psql -h 127.0.0.1 -p "$primary_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }
psql_standby() { PGPASSWORD=registry psql -h 127.0.0.1 -p "$standby_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }
have=$(psql_primary -Atc "SELECT count(*) FROM registry.projects")
if [ "$have" -lt "$projects" ]; then
  echo "generating $projects projects and $partners partners ..."
  psql_primary -q -o /dev/null -v projects="$projects" -v partners="$partners" -f bench/generate.sql
fi
# Projects loaded by SQL have no stored representation yet: migrating renders the missing ones (DatabaseMigrator).
ConnectionStrings__Registry="$primary_cs" dotnet "$web_dll" migrate >/dev/null
# pgbench's own small tables, for the side-by-side baseline (select-only: what PostgreSQL alone serves now).
if [ "$(psql_primary -Atc "SELECT to_regclass('public.pgbench_accounts') IS NOT NULL")" != t ]; then
  PGPASSWORD=registry pgbench -q -i -s 10 -h 127.0.0.1 -p "$primary_port" -U registry registry >/dev/null 2>&1
fi
pg_cluster_standby "$data" "$primary_port" "$standby" "$standby_port"
for _ in $(seq 1 120); do
  [ "$(psql_standby -Atc "SELECT count(*) FROM registry.projects")" = "$(psql_primary -Atc "SELECT count(*) FROM registry.projects")" ] && break
  sleep 1
done

# The reads: 200 projects by id and 20 filtered list pages, in turn.
psql_primary -Atc "SELECT '/v1/projects/' || id FROM registry.projects WHERE deleted_at IS NULL ORDER BY md5(id::text) LIMIT 200" > "$work/by-id"
for country in PL LT LV BG; do
  for theme in tourism heritage youth food nature; do
    echo "/v1/projects?country=$country&theme=$theme&pageSize=20" >> "$work/list"
  done
done

start_api() { # PORT WITH_REPLICAS
  local extra=()
  [ "$2" = yes ] && extra=(ConnectionStrings__RegistryReplicas="$replicas_cs")
  env ConnectionStrings__Registry="$primary_cs" "${extra[@]}" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false RateLimits__Enabled=false dotnet "$web_dll" --urls "http://127.0.0.1:$1" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "the API on port $1 did not start" >&2; exit 1
}
stop_apis() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; pids=(); }
baseline() { PGPASSWORD=registry pgbench -n -S -c 4 -j 2 -T 10 -h 127.0.0.1 -p "$primary_port" -U registry registry 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
rate() { sed -n 's/.* \([0-9]*\) requests\/s .*/\1/p'; }
warm() { # PORT...
  local port kind
  for port in "$@"; do for kind in by-id list; do while IFS= read -r path; do curl -fsS -o /dev/null "http://127.0.0.1:$port$path"; done < "$work/$kind"; done; done
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(psql_primary -Atc "SELECT count(*) FROM registry.projects") projects; $(date -u '+%F %T UTC'); load average:$(uptime | sed 's/.*load average://')"
echo "command: bench/replicas/run.sh $projects $connections $seconds"
results=()
for topology in single replicas; do
  if [ "$topology" = single ]; then start_api "$api_a_port" no; ports=("$api_a_port"); else start_api "$api_a_port" yes; start_api "$api_b_port" yes; ports=("$api_a_port" "$api_b_port"); fi
  # Anonymous reads must say where they were read.
  served=$(curl -fsS -D - -o /dev/null "http://127.0.0.1:${ports[0]}$(head -1 "$work/by-id")" | sed -n 's/^Registry-Read-From: *\([a-z]*\).*/\1/ip')
  warm "${ports[@]}"
  for kind in by-id list; do
    pg=$(baseline)
    per=$((connections / ${#ports[@]}))
    : > "$work/out"
    wpids=()
    for port in "${ports[@]}"; do
      PATHS="$work/$kind" wrk -t1 -c"$per" -d5s -s bench/search/latency.lua "http://127.0.0.1:$port" >/dev/null &
      wpids+=($!)
    done
    wait "${wpids[@]}"
    wpids=()
    for port in "${ports[@]}"; do
      PATHS="$work/$kind" wrk -t1 -c"$per" -d"${seconds}s" -s bench/search/latency.lua "http://127.0.0.1:$port" | tail -1 >> "$work/out" &
      wpids+=($!)
    done
    wait "${wpids[@]}"
    total=$(rate < "$work/out" | paste -sd+ | bc)
    ratio=$(echo "scale=3; $total / $pg" | bc)
    printf '%-8s %-6s served by %-7s %2d connections over %d process(es): %6d requests/s; pgbench -S beside it %8.0f tps; ratio %s; load average:%s\n' \
      "$topology" "$kind" "$served" "$connections" "${#ports[@]}" "$total" "$pg" "$ratio" "$(uptime | sed 's/.*load average://')"
    sed 's/^/           /' "$work/out"
    results+=("$topology $kind $ratio")
  done
  stop_apis
done
echo
for kind in by-id list; do
  single=$(printf '%s\n' "${results[@]}" | awk -v k="$kind" '$1 == "single" && $2 == k {print $3}')
  replicas=$(printf '%s\n' "${results[@]}" | awk -v k="$kind" '$1 == "replicas" && $2 == k {print $3}')
  printf 'scaling %-6s (replicas / single, each as a ratio to pgbench beside it): %s\n' "$kind" "$(echo "scale=2; $replicas / $single" | bc)"
done
