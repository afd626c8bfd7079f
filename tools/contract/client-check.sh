#!/usr/bin/env bash
# Generates a TypeScript client from openapi/v1.json with openapi-typescript, compiles a small program using
# it with tsc, and runs it against a running API (BASE_URL): GET /v1/projects must answer 200 with data.
# usage: client-check.sh BASE_URL
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
base="$1"
[ -x "$here/node_modules/.bin/tsc" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$here/node_modules/.bin/openapi-typescript" "$root/openapi/v1.json" -o "$out/registry.d.ts"
cp "$here/client/list-projects.ts" "$out/"
echo "{\"type\": \"module\"}" > "$out/package.json"
"$here/node_modules/.bin/tsc" --strict --target es2022 --module nodenext --moduleResolution nodenext --outDir "$out/js" "$out/list-projects.ts" "$out/registry.d.ts"
node "$out/js/list-projects.js" "$base"
