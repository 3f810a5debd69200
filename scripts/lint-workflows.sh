#!/usr/bin/env bash
# Checks the example GitHub Actions workflows with actionlint (and, through it, their `run:` scripts with
# shellcheck). No Actions runner exists on our machines, so this is how a workflow we ship is kept valid;
# the commands the workflows run are the ones the test suites run.
#
# actionlint is built from the Go module proxy once, pinned, into .cache/actionlint (seconds after the
# first time). shellcheck comes from the system (Debian: apt-get install shellcheck; .ci/run installs it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="v1.7.12"
bin="$root/.cache/actionlint/$version/actionlint"

if [[ ! -x "$bin" ]]; then
  command -v go >/dev/null || { echo "lint-workflows: Go is needed to build actionlint $version (or put actionlint on PATH)" >&2; exit 1; }
  GOBIN="$(dirname "$bin")" go install "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
fi
if ! command -v shellcheck >/dev/null; then
  echo "lint-workflows: shellcheck is not installed, so the workflows' run: scripts cannot be checked (apt-get install shellcheck)" >&2
  exit 1
fi
mapfile -t workflows < <(find "$root/examples" -path '*/ci/*.yml' -o -path '*/.github/workflows/*.yml' | sort)
"$bin" -shellcheck "$(command -v shellcheck)" "${workflows[@]}"
echo "lint-workflows: ${#workflows[@]} workflow(s) clean"
