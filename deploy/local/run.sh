#!/usr/bin/env bash
# Starts the registry API with its database, in one command.
#
# With ConnectionStrings__Registry set, the API uses that database. Without it, an embedded default
# is started: a project-local PostgreSQL 15 cluster under .local/postgres (git-ignored), listening on
# 127.0.0.1 only, reused by the next run. The database is migrated and the demo records of deploy/demo
# are loaded (idempotently), then the API serves on http://127.0.0.1:8080 until Ctrl-C or SIGTERM,
# which stop the API and the database cleanly. The build, migration and demo output goes to
# .local/run.log, the API's own log to .local/api.log; the terminal gets a few steps and the banner.
#
# Settings (environment):  PORT (8080)  HOST (127.0.0.1)  REGISTRY_DB_PORT (55433, embedded cluster)
#                          REGISTRY_ADMIN_KEY (made and printed when unset)  ASPNETCORE_ENVIRONMENT
#                          OTEL_EXPORTER_OTLP_ENDPOINT (send traces and metrics to a collector)
# Options: --port N
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

port="${PORT:-8080}"
host="${HOST:-127.0.0.1}"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

command -v dotnet >/dev/null || { echo "run.sh: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
state="$root/.local"
mkdir -p "$state"
log="$state/run.log"
api_log="$state/api.log"
: > "$log"

api_pid=""
cluster_data=""
stop() {
  trap - INT TERM EXIT
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then
    echo "run.sh: stopping the API"
    kill -TERM "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  if [ -n "$cluster_data" ]; then
    echo "run.sh: stopping the database"
    pg_cluster_stop "$cluster_data" >>"$log" 2>&1 || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# A step's output goes to the log; when it fails, its end is shown and the script stops.
step() {
  local what=$1; shift
  echo "run.sh: $what"
  echo "=== $what: $*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    echo "run.sh: $what failed; the end of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

if [ -n "${ConnectionStrings__Registry:-}" ]; then
  echo "run.sh: using the database of ConnectionStrings__Registry"
else
  # shellcheck source=lib/pg-cluster.sh
  . "$root/deploy/local/lib/pg-cluster.sh"
  db_port="${REGISTRY_DB_PORT:-55433}"
  cluster_data="$state/postgres/data"
  step "starting PostgreSQL ($cluster_data, 127.0.0.1:$db_port)" pg_cluster_start "$cluster_data" "$db_port" registry
  export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry;Username=registry;Password=registry"
fi

if [ -z "${REGISTRY_ADMIN_KEY:-}" ]; then
  key_file="$state/dev-admin-key"
  if [ ! -s "$key_file" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 40 > "$key_file")
  fi
  REGISTRY_ADMIN_KEY=$(cat "$key_file")
  export REGISTRY_ADMIN_KEY
  admin_key_note="$REGISTRY_ADMIN_KEY (development key, kept in .local/dev-admin-key)"
else
  admin_key_note="the one in REGISTRY_ADMIN_KEY"
fi

# The API reads src/Web/appsettings.json (log levels and format) wherever it is started from.
export ASPNETCORE_CONTENTROOT="$root/src/Web"
echo "run.sh: the build, migration and demo output goes to $log"
step "building the API" dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
step "migrating the database" dotnet "$web_dll" migrate
step "loading the demo records (deploy/demo)" dotnet "$web_dll" load-demo "$root/deploy/demo"

echo "run.sh: starting the API (its log: $api_log)"
dotnet "$web_dll" --urls "http://$host:$port" >"$api_log" 2>&1 &
api_pid=$!

base="http://$host:$port"
for _ in $(seq 1 120); do
  if curl -fsS "$base/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$api_pid" 2>/dev/null || { echo "run.sh: the API exited during start-up; the end of $api_log:" >&2; tail -n 30 "$api_log" >&2; exit 1; }
  sleep 1
done
curl -fsS "$base/health/ready" >/dev/null || { echo "run.sh: the API did not become ready (see $api_log)" >&2; exit 1; }

cat <<MSG

  Rural Network Projects Registry is running.
    Front door:  $base/
    API:         $base/v1/projects
    Swagger UI:  $base/swagger
    ReDoc:       $base/docs
    Contract:    $base/swagger/v1/swagger.json
    Metrics:     $base/metrics  (Prometheus text; admin key only)
    Admin key:   $admin_key_note
    Try:         curl -s '$base/v1/projects?q=wspolpraca&pageSize=1'
    Logs:        tail -f $api_log
  Ctrl-C stops the API and the database.

MSG
wait "$api_pid"
