#!/usr/bin/env bash
# Checks deploy/local/run.sh as a newcomer meets it: started with no database configured (so on its embedded one), it
# prints at most 40 lines to the terminal, the last of them the banner, and nothing at warn, fail or crit there or in
# the logs it names; the front door, the API and the Swagger UI answer at the banner's addresses; SIGTERM stops the API
# and the database. Run by deploy/local/test.sh after the tests (on a fresh clone, as in CI, this is the very first
# run: the cluster is made, migrated and loaded).
#   deploy/local/first-run-check.sh        (CHECK_PORT 18180, CHECK_DB_PORT 55483)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
port="${CHECK_PORT:-18180}"
db_port="${CHECK_DB_PORT:-55483}"
base="http://127.0.0.1:$port"
out=$(mktemp)
limit=40

env -u ConnectionStrings__Registry -u REGISTRY_ADMIN_KEY PORT="$port" REGISTRY_DB_PORT="$db_port" \
  bash "$root/deploy/local/run.sh" >"$out" 2>&1 &
pid=$!
fail() {
  echo "first-run-check: $1" >&2
  sed 's/^/  | /' "$out" >&2
  kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  exit 1
}

for _ in $(seq 1 600); do
  grep -q "Ctrl-C stops the API and the database." "$out" && break
  kill -0 "$pid" 2>/dev/null || fail "run.sh exited before its banner"
  sleep 1
done
grep -q "Ctrl-C stops the API and the database." "$out" || fail "no banner within 600 s"

front=$(curl -fsS "$base/") || fail "the front door ($base/) did not answer"
grep -q "<html" <<<"$front" || fail "the front door is not an HTML page"
curl -fsS "$base/v1/projects?pageSize=1" | grep -q '"items"' || fail "GET /v1/projects did not answer a page"
curl -fsS -o /dev/null "$base/swagger/index.html" || fail "the Swagger UI did not answer"
try=$(sed -n "s/^ *Try: *//p" "$out")
[ -n "$try" ] && bash -c "$try" | grep -q '"items"' || fail "the banner's curl ($try) did not answer a page"

kill -TERM "$pid"
set +e
wait "$pid"
code=$?
set -e
[ "$code" -eq 143 ] || fail "run.sh ended with $code on SIGTERM, not 143"
curl -fsS -o /dev/null "$base/health/live" 2>/dev/null && fail "the API still answers after run.sh stopped"

after=$(sed -n '/Ctrl-C stops the API and the database./,$p' "$out" | tail -n +2 | grep -Ev '^$|^run.sh: stopping the (API|database)$' || true)
[ -z "$after" ] || fail "run.sh printed more after its banner: $after"
# Nothing alarming on a normal first start, in the terminal or in the logs it names.
alarming=$(grep -hE '(^| )(warn|fail|crit): ' "$out" "$root/.local/run.log" "$root/.local/api.log" || true)
[ -z "$alarming" ] || fail "a normal start logged warnings or failures: $alarming"
lines=$(wc -l <"$out")
sed 's/^/  | /' "$out"
[ "$lines" -le "$limit" ] || fail "run.sh printed $lines lines to the terminal (at most $limit)"
echo "first-run-check: run.sh printed $lines lines (at most $limit), ending with the banner, no warning or failure logged; front door, API, Swagger UI and the banner's curl answered; SIGTERM stopped it"
rm -f "$out"
