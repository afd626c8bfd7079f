#!/usr/bin/env bash
# Fault scenario: the real API (Release build) over a throwaway PostgreSQL cluster, under FAULTS_SECONDS (180) of
# mixed load by FAULTS_CLIENTS (16) clients on loopback, while
#   1. PostgreSQL restarts (pg_ctl restart -m fast) during an async import,
#   2. PostgreSQL is down for 10 s (pg_ctl stop -m fast, then start) during a sync import,
#   3. the API is killed with SIGKILL during an async import, and started again.
# Each interrupted import is sent again with its Idempotency-Key until it completes. Then it prints what a
# reliability engineer counts: records lost (a write answered 2xx that the database does not hold), half-written
# records (a project without its search row or its change-feed entry), imports left unfinished or whose counts
# differ from the database, 5xx answers other than 503, 503s without Retry-After, and hung requests (no answer
# within 30 s); and exits 1 unless each is zero. 503 answers (with Retry-After) while the database is away, and
# refused connections while the API is down, are expected and counted apart.
#   bench/faults/run.sh
# Ports: FAULTS_DB_PORT (56410), FAULTS_API_PORT (56411), 127.0.0.1 only. Data under .local/bench/faults (made anew).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
db_port="${FAULTS_DB_PORT:-56410}"
api_port="${FAULTS_API_PORT:-56411}"
seconds="${FAULTS_SECONDS:-180}"
clients="${FAULTS_CLIENTS:-16}"
lease=10
work="$root/.local/bench/faults"
data="$work/postgres"
base="http://127.0.0.1:$api_port"
admin_key="faults-admin-$(date +%s)"
rm -rf "$work"
mkdir -p "$work"

# shellcheck source=../../deploy/local/lib/pg-cluster.sh
. "$root/deploy/local/lib/pg-cluster.sh"
pg_cluster_start "$data" "$db_port" registry_faults
pg_ctl_as() { _pg_cluster_as "$(stat -c %U "$data")" "$PG_CLUSTER_BIN/pg_ctl" -D "$data" -w -t 60 "$@" >/dev/null; }
psql_db() { PGPASSWORD=registry psql -h 127.0.0.1 -p "$db_port" -U registry -d registry_faults -v ON_ERROR_STOP=1 -qAt "$@"; }
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$db_port;Database=registry_faults;Username=registry;Password=registry;Timeout=5;Search Path=public"
api_pid="" load_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  pg_cluster_stop "$data"
}
trap cleanup EXIT

dotnet build src/Web/RuralRegistry.Web.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
web_dll="$root/src/Web/bin/Release/net10.0/RuralRegistry.Web.dll"
dotnet "$web_dll" migrate >/dev/null

start_api() {
  env REGISTRY_ADMIN_KEY="$admin_key" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning RateLimits__Enabled=false \
    Imports__LeaseSeconds="$lease" Imports__BatchSize=200 dotnet "$web_dll" --urls "$base" --contentRoot "$(dirname "$web_dll")" >>"$work/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 120); do curl -fsS -m 2 "$base/health/ready" >/dev/null 2>&1 && return; sleep 0.5; done
  echo "the API did not start" >&2; exit 1
}
start_api
admin=(-H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json')
curl -fsS -X POST "$base/v1/publishers" "${admin[@]}" -d '{"code": "faults", "name": "Fault scenario"}' >/dev/null
key=$(curl -fsS -X POST "$base/v1/publishers/faults/api-keys" "${admin[@]}" -d '{"name": "faults"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
auth=(-H "Authorization: Bearer $key")

for n in 5000 3000 20000; do python3 bench/import/generate.py "$n" "f$n-" > "$work/import-$n.ndjson"; done
import_key() { echo "faults-$1"; }
send() { # N [Prefer]: prints the HTTP status; the answer's headers and body go to files
  curl -sS -m 300 -o "$work/answer-$1.json" -D "$work/headers-$1.txt" -w '%{http_code}' -X POST "$base/v1/imports/projects" "${auth[@]}" \
    -H 'Content-Type: application/x-ndjson' -H "Idempotency-Key: $(import_key "$1")" ${2:+-H "Prefer: $2"} --data-binary @"$work/import-$1.ndjson" 2>/dev/null || echo 000
}
state_of() { psql_db -c "SELECT coalesce(string_agg(state, ','), 'none') FROM registry.imports WHERE idempotency_key = '$(import_key "$1")'" 2>/dev/null || echo unknown; }
# Sends an import again (same key) until it completed: a failed first attempt runs again, a running one answers 409.
until_completed() { # N
  local status
  for _ in $(seq 1 120); do
    status=$(send "$1")
    case "$status" in 200|207) return ;; esac
    sleep 2
  done
  echo "import $1 did not complete: last HTTP $status" >&2
}
log() { printf '%(%H:%M:%S)T %s\n' -1 "$*"; }

log "mixed load: $clients clients for ${seconds}s"
python3 bench/faults/load.py "$base" "$key" "$seconds" "$clients" "$work/load.json" &
load_pid=$!
sleep 15

log "1. async import of 5,000 records, PostgreSQL restarted under it"
log "   answer: HTTP $(send 5000 respond-async)"
sleep 1
pg_ctl_as restart -m fast
log "   PostgreSQL restarted; import: $(state_of 5000)"
until_completed 5000
log "   sent again with its key until completed: $(state_of 5000)"
sleep 20

log "2. sync import of 3,000 records, PostgreSQL down for 10 s under it"
send 3000 > "$work/status-3000" &
sync_pid=$!
sleep 1
pg_ctl_as stop -m fast
sleep 10
pg_cluster_start "$data" "$db_port" registry_faults
wait "$sync_pid" || true
log "   answer: HTTP $(cat "$work/status-3000") $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("title") or d["import"]["state"])' "$work/answer-3000.json" 2>/dev/null || true)"
until_completed 3000
log "   sent again with its key until completed: $(state_of 3000)"
sleep 20

log "3. async import of 20,000 records, the API killed with SIGKILL under it"
log "   answer: HTTP $(send 20000 respond-async)"
for _ in $(seq 1 300); do
  [ "$(psql_db -c "SELECT coalesce(max(processed), 0) FROM registry.imports WHERE idempotency_key = '$(import_key 20000)'")" -gt 0 ] && break
  sleep 0.1
done
kill -9 "$api_pid"; wait "$api_pid" 2>/dev/null || true
log "   API killed; import: $(state_of 20000), $(psql_db -c "SELECT processed FROM registry.imports WHERE idempotency_key = '$(import_key 20000)'") records processed"
start_api
log "   API started again"
for _ in $(seq 1 60); do [ "$(state_of 20000)" = Failed ] && break; sleep 1; done
log "   import after its lease lapsed: $(state_of 20000)"
until_completed 20000
log "   sent again with its key until completed: $(state_of 20000)"

wait "$load_pid"; load_pid=""

# What the database holds against what was answered.
python3 - "$work/load.json" > "$work/expected.tsv" <<'PY'
import json, sys
for external, entry in json.load(open(sys.argv[1]))["records"].items():
    allowed = ([entry["acked"]] if entry["acked"] else []) + entry["unanswered"]
    if entry["acked"]:
        print(external + "\t" + "|".join(allowed))
PY
psql_db -c "SELECT p.external_id, p.content->'title'->>'pl' FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id WHERE u.code = 'faults' AND p.external_id LIKE 'load-%' AND p.deleted_at IS NULL" -F $'\t' > "$work/held.tsv"
lost=$(python3 - "$work/expected.tsv" "$work/held.tsv" <<'PY'
import sys
held = dict(line.rstrip("\n").split("\t", 1) for line in open(sys.argv[2]) if line.strip())
lost = 0
for line in open(sys.argv[1]):
    external, allowed = line.rstrip("\n").split("\t", 1)
    if held.get(external) not in allowed.split("|"):
        lost += 1
        print(f"lost: {external}: holds {held.get(external)!r}, answered {allowed!r}", file=sys.stderr)
print(lost)
PY
)
for n in 5000 3000 20000; do
  missing=$(psql_db -c "SELECT $n - count(*) FROM registry.projects p JOIN registry.publishers u ON u.id = p.publisher_id WHERE u.code = 'faults' AND p.external_id LIKE 'f$n-%' AND p.deleted_at IS NULL")
  lost=$((lost + missing))
done
half=$(psql_db -c "SELECT count(*) FROM registry.projects p WHERE p.deleted_at IS NULL AND (NOT EXISTS (SELECT 1 FROM registry.project_search s WHERE s.id = p.id) OR NOT EXISTS (SELECT 1 FROM registry.changes c WHERE c.record_id = p.id AND c.sequence = p.version))")
unfinished=$(psql_db -c "SELECT count(*) FROM registry.imports WHERE state IN ('Queued', 'Running')")
miscounted=$(psql_db -c "SELECT count(*) FROM registry.imports i WHERE i.processed <> (SELECT count(*) FROM registry.import_records r WHERE r.import_id = i.id AND r.index IS NOT NULL) OR i.created <> (SELECT count(*) FROM registry.import_records r WHERE r.import_id = i.id AND r.status = 'Created')")
read -r other_5xx no_retry_after hung refused cut requests acked by_status < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["stats"]
print(len(s["5xx_other"]), s["503_without_retry_after"], s["hung"], s["refused"], s["cut"], s["requests"], s["writes_acknowledged"], json.dumps(s["by_status"], sort_keys=True).replace(" ", ""))
for line in s["5xx_other"][:20]:
    print(line, file=sys.stderr)
' "$work/load.json")
imports=$(psql_db -c "SELECT string_agg(state || '=' || n, ', ' ORDER BY state) FROM (SELECT state, count(*) n FROM registry.imports GROUP BY state) s")

echo
echo "machine: $(nproc) cores; $requests requests by $clients clients in ${seconds}s ($acked writes acknowledged); answers by status: $by_status"
echo "imports: $imports (interrupted ones end failed; each was sent again with its key and completed)"
printf '%-58s %s\n' \
  "records lost (answered 2xx or imported, not held):" "$lost" \
  "records half-written (no search row or feed entry):" "$half" \
  "imports left queued or running:" "$unfinished" \
  "imports whose counts differ from their report rows:" "$miscounted" \
  "5xx answers other than 503:" "$other_5xx" \
  "503 answers without Retry-After:" "$no_retry_after" \
  "hung requests (no answer within 30 s):" "$hung" \
  "(expected) connections refused while the API was down:" "$refused" \
  "(expected) answers cut off when the API was killed:" "$cut"
[ "$lost$half$unfinished$miscounted$other_5xx$no_retry_after$hung" = 0000000 ]
