#!/usr/bin/env bash
# CI's check of the SDKs (npm run check:sdk): tools/sdkgen's own tests; sdk/ exactly what it generates from
# provider/plugin/schema.json (else the stale files and the fix are listed); the Go SDK and the Go example
# built and vetted; the Python SDK byte-compiled. The .NET SDK is only compared: these machines have no .NET
# SDK and reach no NuGet (docs/sdks.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

(cd "$root/tools/sdkgen" && go test ./... && go run . -root ../.. -check)
(cd "$root/sdk/go" && go build ./... && go vet ./...)
(cd "$root/examples/go" && go vet ./...)
# Byte-code goes to a scratch folder: sdk/ stays as generated.
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
PYTHONPYCACHEPREFIX="$cache" python3 -m compileall -q "$root/sdk/python"
echo "sdk/: up to date; Go SDK and example build and vet; Python SDK byte-compiles"
