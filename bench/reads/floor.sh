#!/usr/bin/env bash
# The floor under GET by id and its 304, side by side in one run: the API (Release, as bench/reads/run.sh starts it),
# bare ASP.NET Core with no middleware sending the API's own by-id statement through Npgsql (bench/reads/floor:
# /db/{id}), the same answering from memory with no database (/const/{id}), and for the 304 the version lookup alone
# (/version/{id}); beside them pgbench's primary-key reads (the stored body; the version). In slices of a few seconds
# each one runs in turn while the other processes are stopped (SIGSTOP), the order turning from slice to slice, so
# every row sees the same machine within seconds. Prints every slice, each process's CPU time per request, and the
# sums over the slices as ratios to pgbench. It says how much of the gap between the API and pgbench is the platform
# (Kestrel, Npgsql, loopback TCP on the same 2 cores) and how much is the API's own pipeline.
#   bench/reads/floor.sh [projects (1000000)] [connections (16)] [seconds per slice (8)] [slices (3)]
# Runs on the registry bench/reads/run.sh made (.local/bench/registry-<projects>); generate it with that script first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
projects=${1:-1000000}; connections=${2:-16}; seconds=${3:-8}; slices=${4:-3}
db_port=${BENCH_DB_PORT:-56510}; api_port=56511; floor_port=56512
data="$root/.local/bench/registry-$projects"
work=$(mktemp -d)
for tool in wrk pgbench; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
[ -d "$data" ] || { echo "no registry at $data: run bench/reads/run.sh $projects first" >&2; exit 1; }
# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
export PG_CLUSTER_OPTS="${PG_CLUSTER_OPTS:--c shared_buffers=6GB}"
pg_cluster_start "$data" "$db_port" registry
export PGOPTIONS="${PGOPTIONS:--c jit=off -c max_parallel_workers_per_gather=0}" PGPASSWORD=registry
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry;Command Timeout=900;Maximum Pool Size=50"
declare -A pid=()
cleanup() {
  for p in "${pid[@]}"; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  pg_cluster_stop "$data"
  rm -rf "$work"
}
trap cleanup EXIT
psql_registry() { psql -h 127.0.0.1 -p "$db_port" -U registry -d registry -v ON_ERROR_STOP=1 "$@"; }

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly -p:GenerateOpenApiContract=false >/dev/null
dotnet build bench/reads/floor/Floor.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
psql_registry -q -c "CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.ids;
  CREATE TABLE bench.ids AS SELECT row_number() OVER () AS n, id, version FROM (SELECT id, version FROM registry.projects WHERE deleted_at IS NULL ORDER BY random() LIMIT 10000) s;
  ALTER TABLE bench.ids ADD PRIMARY KEY (n); ANALYZE bench.ids"
psql_registry -Atc "SELECT id || ' ' || version FROM bench.ids ORDER BY n" > "$work/ids"
printf '\\set n random(1, 10000)\nSELECT body FROM registry.project_representations WHERE id = (SELECT id FROM bench.ids WHERE n = :n);\n' > "$work/pg-body.sql"
printf '\\set n random(1, 10000)\nSELECT version FROM registry.projects WHERE id = (SELECT id FROM bench.ids WHERE n = :n);\n' > "$work/pg-version.sql"

env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning ChangeFeed__RetentionEnabled=false Jobs__project-status__Enabled=false \
  RateLimits__Enabled=false Telemetry__ChangeFeedSampleSeconds=0 \
  dotnet src/Web/bin/Release/net10.0/RuralRegistry.Web.dll --urls "http://127.0.0.1:$api_port" >"$work/api.log" 2>&1 &
pid[api]=$!
dotnet bench/reads/floor/bin/Release/net10.0/Floor.dll --urls "http://127.0.0.1:$floor_port" >"$work/floor.log" 2>&1 &
pid[floor]=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://127.0.0.1:$floor_port/const/$(head -1 "$work/ids" | cut -d' ' -f1)" 2>/dev/null && break; sleep 0.5; done

hz=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# Lets one process run (api, floor, or none for pgbench) and stops the other.
only() { local p; for p in api floor; do if [ "$p" = "$1" ]; then kill -CONT "${pid[$p]}"; else kill -STOP "${pid[$p]}"; fi; done; }
# name -> process, wrk environment (empty for pgbench)
declare -A proc=([api]=api [db]=floor [const]=floor [version]=floor [pg-body]=none [pg-version]=none)
declare -A prefix=([api]=/v1/projects/ [db]=/db/ [const]=/const/ [version]=/version/)
run_one() { # name not-modified seconds -> prints "rate requests cpu-ticks" (cpu of the HTTP process; for pgbench, of PostgreSQL's backends)
  local name=$1 nm=$2 secs=$3 before line n used
  only "${proc[$name]}"
  if [ "${proc[$name]}" = none ]; then
    pgbench -h 127.0.0.1 -p "$db_port" -U registry -n -M prepared -c "$connections" -j 2 -T "$secs" -f "$work/$name.sql" registry > "$work/pgbench.out" 2>&1 || true
    n=$(awk '/number of transactions actually processed/ {print $NF}' "$work/pgbench.out" | cut -d/ -f1)
    awk -v n="$n" -v s="$secs" '/^tps/ {printf "%.0f %d 0\n", $3, n}' "$work/pgbench.out"
    return
  fi
  before=$(ticks "${pid[${proc[$name]}]}")
  line=$(IDS="$work/ids" NOT_MODIFIED=$nm PREFIX="${prefix[$name]}" wrk -t2 -c"$connections" -d"${secs}s" -s bench/reads/ids.lua "http://127.0.0.1:$([ "${proc[$name]}" = api ] && echo "$api_port" || echo "$floor_port")" | tail -1)
  used=$(( $(ticks "${pid[${proc[$name]}]}") - before ))
  n=$(sed -n 's/.* \([0-9]*\) requests .*/\1/p' <<<"$line")
  echo "$(sed -n 's/.* \([0-9]*\) requests\/s .*/\1/p' <<<"$line") $n $used"
}

echo "floor bench, $(date -u +%FT%TZ), $(nproc) cores, $projects projects, $connections connections, $slices slices of $seconds s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A kinds=([by-id]="api db const pg-body" [304]="api db const version pg-version")
declare -A sum cpu count
for kind in by-id 304; do
  nm=$([ "$kind" = 304 ] && echo 1 || echo 0)
  read -r -a names <<< "${kinds[$kind]}"
  for name in "${names[@]}"; do run_one "$name" "$nm" "${BENCH_WARMUP:-10}" >/dev/null; done
  for slice in $(seq 1 "$slices"); do
    for turn in $(seq 0 $(( ${#names[@]} - 1 ))); do
      name=${names[$(( (slice + turn) % ${#names[@]} ))]}
      read -r rate n used <<< "$(run_one "$name" "$nm" "$seconds")"
      sum[$kind-$name]=$(( ${sum[$kind-$name]:-0} + rate )); cpu[$kind-$name]=$(( ${cpu[$kind-$name]:-0} + used )); count[$kind-$name]=$(( ${count[$kind-$name]:-0} + n ))
      printf 'slice %s %-6s %-10s %6s req/s' "$slice" "$kind" "$name" "$rate"
      [ "${proc[$name]}" != none ] && awk -v t="$used" -v n="$n" -v hz="$hz" 'BEGIN { printf "  | CPU %.0f us/request", (n > 0 ? t / hz / n * 1e6 : 0) }'
      printf '  | load %s\n' "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
only none
echo "summed over the slices:"
for kind in by-id 304; do
  read -r -a names <<< "${kinds[$kind]}"
  reference=${names[-1]}
  for name in "${names[@]}"; do
    awk -v k="$kind" -v m="$name" -v r="${sum[$kind-$name]}" -v ref="${sum[$kind-$reference]}" -v refname="$reference" -v api="${sum[$kind-api]}" \
      -v t="${cpu[$kind-$name]}" -v n="${count[$kind-$name]}" -v hz="$hz" -v s="$slices" 'BEGIN {
        printf "%-6s %-10s %7.0f req/s (mean)  %5.1f%% of %s", k, m, r / s, 100 * r / ref, refname
        if (m != "api" && m !~ /^pg-/) printf "  API/this %5.1f%%", 100 * api / r
        if (t > 0) printf "  CPU %.0f us/request", t / hz / n * 1e6
        printf "\n" }'
  done
done
