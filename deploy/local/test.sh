#!/usr/bin/env bash
# Runs every test of the registry: unit tests, and HTTP integration tests against real PostgreSQL.
#
# Where the integration tests' database comes from, in order:
#   1. TEST_POSTGRES_CONNECTION, when set (an external server; the tests create a database per class).
#   2. A Testcontainers PostgreSQL container (image TEST_POSTGRES_IMAGE, default the official postgres:15).
#      With CI=true or --provision-docker, a Docker engine is provided when none answers, and when the
#      official image cannot be had (no image registry is reachable here) one is built locally.
#   3. Otherwise a throwaway local PostgreSQL cluster, announced loudly.
#
# Options: --provision-docker   provide a Docker engine when none answers (implied by CI=true)
#          --filter EXPR        passed to dotnet test --filter
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

provision=false
filter=""
[ "${CI:-}" = "true" ] && provision=true
while [ $# -gt 0 ]; do
  case "$1" in
    --provision-docker) provision=true ;;
    --filter) filter="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }

state="$root/.local"
mkdir -p "$state"
results="$state/test-results"
rm -rf "$results"
mkdir -p "$results"
export TEST_DATABASE_REPORT="$results/integration-database.txt"
: > "$TEST_DATABASE_REPORT"

docker_answers() {
  local api
  api=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null) || return 1
  # Testcontainers 4 needs Docker API 1.44 or later.
  [ "$(printf '%s\n%s\n' "1.44" "$api" | sort -V | head -n1)" = "1.44" ]
}

loud() {
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!!! %s\n' "$@" >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
}

cleanup_actions=()
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local action
  for action in "${cleanup_actions[@]}"; do eval "$action" || true; done
}
trap cleanup EXIT

mode=""
if [ -n "${TEST_POSTGRES_CONNECTION:-}" ]; then
  mode=external
elif docker_answers; then
  mode=containers
elif [ "$provision" = true ]; then
  echo "test.sh: no Docker engine answers; providing one (deploy/local/provision-docker.sh)"
  if bash "$root/deploy/local/provision-docker.sh" && docker_answers; then
    mode=containers
  else
    loud "A Docker engine could not be provided on this machine." \
         "Falling back to a throwaway local PostgreSQL cluster: the Testcontainers path is NOT tested."
    mode=fallback
  fi
else
  loud "No Docker engine (API >= 1.44) answers and provisioning was not asked for" \
       "(set CI=true or pass --provision-docker to provide one)." \
       "Falling back to a throwaway local PostgreSQL cluster: the Testcontainers path is NOT tested."
  mode=fallback
fi

if [ "$mode" = containers ]; then
  # The Ryuk reaper image cannot be pulled here; the tests remove their container at exit, and so does this script.
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  # These machines look like containers themselves (/.dockerenv), so Testcontainers would reach mapped
  # ports through the bridge gateway; the ports are published on loopback, which is where tests must go.
  export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
  if [ -z "${TEST_POSTGRES_IMAGE:-}" ]; then
    official="postgres:15"
    if docker image inspect "$official" >/dev/null 2>&1 || timeout 30 docker pull -q "$official" >/dev/null 2>&1; then
      export TEST_POSTGRES_IMAGE="$official"
    else
      echo "test.sh: the official $official image cannot be pulled here; using a locally built PostgreSQL 15 image"
      export TEST_POSTGRES_IMAGE="rural-registry/postgres:15"
      bash "$root/deploy/local/build-postgres-image.sh" "$TEST_POSTGRES_IMAGE"
    fi
  fi
  # This run's containers only: other work trees may be running their suites on the same engine.
  export TEST_RUN_ID="${TEST_RUN_ID:-run-$$-$(date +%s)}"
  cleanup_actions+=("docker ps -aq --filter label=rural-registry.tests=$TEST_RUN_ID | xargs -r docker rm -f >/dev/null 2>&1")
elif [ "$mode" = fallback ]; then
  # shellcheck source=lib/pg-cluster.sh
  . "$root/deploy/local/lib/pg-cluster.sh"
  cluster_dir=$(mktemp -d "$state/test-cluster.XXXXXX")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55499)
  pg_cluster_start "$cluster_dir/data" "$port" registry_tests
  cleanup_actions+=("pg_cluster_stop '$cluster_dir/data'" "rm -rf '$cluster_dir'")
  export TEST_POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Database=registry_tests;Username=registry;Password=registry"
  echo "test.sh: throwaway cluster on 127.0.0.1:$port"
fi

compose_status=0
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  if docker compose -f "$root/docker-compose.yml" config -q; then
    echo "test.sh: docker-compose.yml is valid (docker compose config)"
  else
    echo "test.sh: docker-compose.yml is INVALID (docker compose config)" >&2
    compose_status=1
  fi
else
  echo "test.sh: docker compose is not available; docker-compose.yml not validated"
fi

# The Swagger UI browser test (tests/IntegrationTests/Contract) drives Debian's chromium.
if ! command -v chromium >/dev/null 2>&1 && [ "${CI:-}" = "true" ]; then
  echo "test.sh: installing chromium for the Swagger UI browser test"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "test.sh: chromium could not be installed; the browser test will fail" >&2
fi
# The shared rate-budget tests (tests/IntegrationTests/Security/SharedBudgetTests, Replicas/) run a real Redis:
# Debian's redis-server, installed without letting the package start a server of its own on 6379.
if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test.sh: installing redis-server for the shared rate-budget tests"
  policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 0755 "$policy" && own_policy=1; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null) \
    || echo "test.sh: redis-server could not be installed; the shared-budget tests will fail" >&2
  [ "$own_policy" = 1 ] && rm -f "$policy"
fi
# The contract tools (linters, openapi-typescript and openapi-fetch, json-schema-faker, tsc, playwright-core), pinned
# by tools/contract/package-lock.json: installed when missing, or again when the lockfile is newer than the install.
contract_tools="$root/tools/contract"
if command -v npm >/dev/null 2>&1 && { [ ! -f "$contract_tools/node_modules/.package-lock.json" ] \
    || [ "$contract_tools/package-lock.json" -nt "$contract_tools/node_modules/.package-lock.json" ]; }; then
  (cd "$root/tools/contract" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The Kubernetes manifests' validator (kubernetes-models' bundled API schemas), pinned by tools/k8s/package-lock.json.
if [ ! -d "$root/tools/k8s/node_modules" ] && command -v npm >/dev/null 2>&1; then
  (cd "$root/tools/k8s" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "test.sh: building"
dotnet build Api.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# The Release build has just written openapi/v1.json from the code; in CI the committed contract must be that.
contract_status=0
if [ "${CI:-}" = "true" ] && git -C "$root" rev-parse --git-dir >/dev/null 2>&1 && ! git -C "$root" diff --quiet -- openapi/v1.json; then
  echo "test.sh: openapi/v1.json differs from what the code generates; run deploy/local/test.sh and commit openapi/v1.json" >&2
  git -C "$root" diff --stat -- openapi/v1.json >&2
  contract_status=1
fi

# The EF model and the migrations must agree: a model change without its migration fails the run.
echo "test.sh: checking the EF model against the migrations (dotnet ef migrations has-pending-model-changes)"
model_status=0
# The design-time host needs a connection string; the check itself never connects.
if ! { dotnet tool restore >/dev/null \
    && ConnectionStrings__Registry="${ConnectionStrings__Registry:-Host=127.0.0.1;Database=design-time}" \
      dotnet ef migrations has-pending-model-changes -p src/Infrastructure -s src/Web --no-build --configuration Release; }; then
  echo "test.sh: the EF model has changes no migration makes: add one (dotnet ef migrations add <WhatChanges> -p src/Infrastructure -s src/Web)" >&2
  model_status=1
fi

echo "test.sh: running tests"
set +e
test_args=(test Api.sln -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$results")
[ -n "$filter" ] && test_args+=(--filter "$filter")
dotnet "${test_args[@]}"
test_exit=$?
set -e

echo "test.sh: linting the contract (tools/contract/lint.sh)"
if command -v npm >/dev/null 2>&1; then
  bash "$root/tools/contract/lint.sh" || contract_status=1
else
  echo "test.sh: node/npm are missing, so the contract cannot be linted" >&2
  contract_status=1
fi

echo "test.sh: validating the Kubernetes manifests (tools/k8s/validate.mjs deploy/k8s)"
k8s_status=0
if command -v node >/dev/null 2>&1 && [ -d "$root/tools/k8s/node_modules" ]; then
  node "$root/tools/k8s/validate.mjs" "$root/deploy/k8s" || k8s_status=1
else
  echo "test.sh: node or tools/k8s/node_modules is missing, so deploy/k8s cannot be validated" >&2
  k8s_status=1
fi

# A newcomer's first run.sh: at most 40 lines to the terminal, ending with the banner (deploy/local/first-run-check.sh).
first_run_status=0
if [ -z "$filter" ]; then
  echo "test.sh: starting deploy/local/run.sh as a newcomer would (deploy/local/first-run-check.sh)"
  bash "$root/deploy/local/first-run-check.sh" || first_run_status=1
fi

total=0; passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); p=$(get passed); f=$(get failed); e=$(get executed)
  total=$((total + ${t:-0})); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done

echo
if [ -s "$TEST_DATABASE_REPORT" ]; then
  sort -u "$TEST_DATABASE_REPORT"
elif [ "$mode" = fallback ]; then
  echo "integration database: fallback local cluster (no Docker engine)"
else
  echo "integration database: not reported (no integration test ran)"
fi
[ -f "$results/../test-results/swagger-ui-list-projects.png" ] && echo "Swagger UI screenshot: $results/swagger-ui-list-projects.png"
[ "$mode" = fallback ] && loud "The integration tests ran against a throwaway local cluster, not a container."

status=0
if [ "$test_exit" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$compose_status" -ne 0 ] || [ "$contract_status" -ne 0 ] || [ "$model_status" -ne 0 ] || [ "$k8s_status" -ne 0 ] || [ "$first_run_status" -ne 0 ]; then status=1; fi
[ "$first_run_status" -ne 0 ] && echo "test.sh: the first run of deploy/local/run.sh FAILED its check (see above)" >&2
[ "$k8s_status" -ne 0 ] && echo "test.sh: the Kubernetes manifests are INVALID (see above)" >&2
[ "$model_status" -ne 0 ] && echo "test.sh: the EF model and the migrations DISAGREE (see above)" >&2
[ "$contract_status" -ne 0 ] && echo "test.sh: the contract checks FAILED (see above)" >&2
if [ "$total" -eq 0 ]; then echo "test.sh: no test ran" >&2; status=1; fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
