#!/usr/bin/env bash
# Imports a publisher's catalogue (NDJSON, one project per line) into the registry, for a CI job to copy.
#   REGISTRY_URL=https://registry.example.org REGISTRY_API_KEY=... deploy/examples/import.sh catalogue.ndjson [--prune]
# Sends the file once with Prefer: respond-async (so no connection is held while a large import runs) and an
# Idempotency-Key derived from the file, the options and the run (REGISTRY_RUN_ID: the CI job's run id, by default
# today's UTC date): a retry of the same run replays the first answer without importing twice, while the next run
# of the same file imports again and so re-asserts the catalogue (records edited through the API meanwhile are
# written back and reported updated). Prints progress until the import is done, says when the answer was replayed,
# prints the counts, the records pruned and the failed records, and exits 1 when any record failed or the import
# did not finish.
# While the registry is unreachable or answers 503 it waits (Retry-After), within bounds; exits 2 when they run out.
set -euo pipefail
file=${1:?usage: import.sh FILE.ndjson [--prune]}
query=""
[ "${2:-}" = "--prune" ] && query="?prune=true"
url=${REGISTRY_URL:-http://127.0.0.1:8080}
auth="Authorization: Bearer ${REGISTRY_API_KEY:?set REGISTRY_API_KEY to the publisher API key}"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# The Idempotency-Key: one per file content, options and run. The same run retried (a network error, a restarted
# step) sends the same key and gets the first answer; another run (tomorrow's, or a re-run with a new run id)
# sends a new key, so the registry imports the file again.
idempotency_key() {
  local run=${REGISTRY_RUN_ID:-$(date -u +%F)}
  { sha256sum "$1" | cut -c1-64; printf '%s\n%s\n' "$2" "$run"; } | sha256sum | cut -c1-40 | sed 's/^/ci-/'
}

# Says when the registry answered with the stored answer of an earlier request with the same key.
report_replay() {
  if grep -qi '^idempotent-replayed: *true' "$1"; then
    echo "replayed: the registry answered with the stored outcome of an earlier request of this run (Idempotency-Key $2); nothing was imported again"
  fi
}

# Lists the publisher's records a pruning import deleted (the report's records with status deleted).
list_pruned() {
  local next="$url$1/records?status=deleted&pageSize=500"
  while [ -n "$next" ]; do
    curl -sS -f -H "$auth" "$next" > "$body"
    python3 -c '
import json, sys
for r in json.load(sys.stdin)["items"]:
    print("pruned: %s (%s)" % (r["externalId"], r["id"]))
' < "$body"
    next=$(json 'd.get("next") or ""' < "$body")
  done
}

key=$(idempotency_key "$file" "$query")

# Bounds: the whole wait for the import, and how long the registry may stay unreachable (or answer 5xx) before giving up.
max_wait=${REGISTRY_IMPORT_TIMEOUT:-3600}
max_unreachable=${REGISTRY_UNREACHABLE_TIMEOUT:-300}
started=$SECONDS

headers=$(mktemp) body=$(mktemp)
trap 'rm -f "$headers" "$body"' EXIT
retry_after() { local s; s=$(sed -n 's/^[Rr]etry-[Aa]fter: *//p' "$headers" | tr -d '\r'); [[ "$s" =~ ^[0-9]+$ ]] && echo "$s" || echo 5; }
give_up() { echo "import.sh: $1" >&2; exit 2; }

# Sending: a 503 (the database away), a 409 (the same file's import still in progress) or no answer at all is
# retried with the same Idempotency-Key, which never imports twice: a failed first attempt runs again, a completed
# one is replayed.
down_since=$SECONDS
while :; do
  status=$(curl -sS -o "$body" -D "$headers" -w '%{http_code}' --connect-timeout 10 -X POST "$url/v1/imports/projects$query" \
    -H "$auth" -H 'Content-Type: application/x-ndjson' -H 'Prefer: respond-async' -H "Idempotency-Key: $key" \
    --data-binary @"$file" 2>/dev/null) || status=000
  case "$status" in
    200|202|207|422) break ;;
    409) if grep -q 'in progress' "$body"; then break; fi
         echo "import refused: HTTP $status" >&2; cat "$body" >&2; echo >&2; exit 1 ;;
    000|502|503|504) ;;
    *) echo "import refused: HTTP $status" >&2; cat "$body" >&2; echo >&2; exit 1 ;;
  esac
  (( SECONDS - down_since < max_unreachable )) ||
    give_up "the registry at $url did not take the import for ${max_unreachable}s (last: HTTP $status); run this script again later (the same file and run id give the same Idempotency-Key)."
  wait=$(retry_after); echo "registry unavailable (HTTP $status); sending again in ${wait}s" >&2; sleep "$wait"
done
location=$(sed -n 's/^[Ll]ocation: *//p' "$headers" | tr -d '\r')
echo "import $url$location"
report_replay "$headers" "$key"

down_since=$SECONDS
while :; do
  (( SECONDS - started < max_wait )) ||
    give_up "the import $url$location did not end within ${max_wait}s (REGISTRY_IMPORT_TIMEOUT); it may still finish: GET it later, or run this script again."
  if ! curl -sS -f --connect-timeout 10 --max-time 30 -D "$headers" -H "$auth" "$url$location" > "$body" 2>/dev/null; then
    (( SECONDS - down_since < max_unreachable )) ||
      give_up "the registry at $url has not answered for ${max_unreachable}s (REGISTRY_UNREACHABLE_TIMEOUT); the import $url$location may still finish: GET it later, or run this script again (the same file and run id give the same Idempotency-Key)."
    sleep 5
    continue
  fi
  down_since=$SECONDS
  state=$(json 'd["state"]' < "$body")
  json '"{state}: {processed}/{total} processed, {created} created, {updated} updated, {unchanged} unchanged, {failed} failed, {deleted} deleted".format(state=d["state"], **d["counts"])' < "$body"
  case "$state" in completed|failed) break ;; esac
  sleep 5
done

note=$(json 'd.get("note") or ""' < "$body")
[ -n "$note" ] && echo "note: $note"
[ "$state" = failed ] && echo "the import did not finish; run this script again: the same Idempotency-Key runs it again" >&2
failed=$(json 'd["counts"]["failed"]' < "$body")
deleted=$(json 'd["counts"]["deleted"]' < "$body")
[ "$deleted" != 0 ] && list_pruned "$location"
if [ "$state" != completed ] || [ "$failed" != 0 ]; then
  # The failed records with their problems, 500 at a time.
  next="$url$location/records?status=failed&pageSize=500"
  while [ -n "$next" ]; do
    curl -sS -f -H "$auth" "$next" > "$body"
    python3 -c '
import json, sys
for r in json.load(sys.stdin)["items"]:
    errors = r["problem"].get("errors") or [{"pointer": "", "detail": r["problem"]["detail"]}]
    print("record %s (%s): %s" % (r["index"], r["externalId"], "; ".join(e["pointer"] + " " + e["detail"] for e in errors)))
' < "$body" >&2
    next=$(json 'd.get("next") or ""' < "$body")
  done
  exit 1
fi
