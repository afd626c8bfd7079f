#!/usr/bin/env bash
# Generates a client from openapi/v1.json into a temporary folder, builds it with a small program of
# tools/contract/clients/<client>/, and runs that program against a running API loaded with the demo data:
# list, get by id, search, a 404 problem, a publisher's create, an import answered 207, the change feed to its end.
#   typescript  openapi-typescript types + openapi-fetch, compiled with tsc --strict, run by node
#   nswag       NSwag's C# client (System.Text.Json), built with dotnet
#   kiota       Kiota's C# client, built with dotnet (its warnings are printed between "kiota warnings:" lines)
# The generators are pinned: npm ones in package-lock.json (npm ci), NSwag and Kiota in dotnet-tools.json
# (dotnet tool restore), the Kiota packages in Directory.Packages.props.
# usage: client-check.sh typescript|nswag|kiota BASE_URL ADMIN_KEY
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
client="$1"
base="$2"
admin_key="$3"
contract="$root/openapi/v1.json"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

dotnet_project() {
  cp -r "$here/clients/$client/." "$out/"
  # The temporary folder is outside the repository: it takes the package versions pinned there, and none of its
  # build settings (those are for the repository's own code, not for generated clients).
  printf '<Project>\n  <Import Project="%s/Directory.Packages.props" />\n</Project>\n' "$root" >"$out/Directory.Packages.props"
  printf '<Project />\n' >"$out/Directory.Build.props"
  (cd "$root" && dotnet tool restore >/dev/null)
}

dotnet_build_and_run() {
  local name="$1"
  dotnet build "$out/$name.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly -o "$out/bin"
  dotnet "$out/bin/$name.dll" "$base" "$admin_key"
}

case "$client" in
  typescript)
    [ -x "$here/node_modules/.bin/tsc" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    "$here/node_modules/.bin/openapi-typescript" "$contract" -o "$out/registry.d.ts"
    cp "$here/clients/typescript/round-trip.ts" "$out/"
    echo '{"type": "module"}' >"$out/package.json"
    ln -s "$here/node_modules" "$out/node_modules"
    (cd "$here" && "$here/node_modules/.bin/tsc" --strict --target es2022 --module nodenext --moduleResolution nodenext --outDir "$out/js" "$out/round-trip.ts" "$out/registry.d.ts")
    node "$out/js/round-trip.js" "$base" "$admin_key"
    ;;
  nswag)
    dotnet_project
    # jsonLibraryVersion 9.0: enum members carry [JsonStringEnumMemberName] ("funding-measure"), which
    # System.Text.Json reads; with the default (8.0) they carry only [EnumMember], which it ignores.
    (cd "$root" && dotnet nswag openapi2csclient /input:"$contract" /output:"$out/RegistryClient.cs" \
      /namespace:RegistryClients.NSwag /className:RegistryClient /jsonLibrary:SystemTextJson /jsonLibraryVersion:9.0 \
      /generateNullableReferenceTypes:true /generateOptionalPropertiesAsNullable:true /generateOptionalParameters:true \
      /useBaseUrl:true) >/dev/null
    dotnet_build_and_run NSwagRoundTrip
    ;;
  kiota)
    dotnet_project
    (cd "$root" && dotnet kiota generate -l CSharp -d "$contract" -o "$out/Client" -c RegistryApiClient \
      -n RegistryClients.Kiota --exclude-backward-compatible --ll Warning) >"$out/kiota.log" 2>&1
    echo "kiota warnings:"
    # Each warning once, without its JSON pointer; Kiota's own update check (it has no network here) is not one.
    grep -A1 '^warn' "$out/kiota.log" | grep -v -e '^warn' -e '^--' -e 'Unable to check for updates' \
      | sed -E 's/^ +//; s/#[^ ]* - //' | sort | uniq -c || true
    echo "kiota warnings:"
    dotnet_build_and_run KiotaRoundTrip
    ;;
  *)
    echo "client-check.sh: unknown client $client (typescript, nswag or kiota)" >&2
    exit 2
    ;;
esac
