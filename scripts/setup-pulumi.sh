#!/usr/bin/env bash
# Makes a Pulumi CLI available to the tests, the demo and the benchmark.
#   1. a compatible `pulumi` already on PATH is used as it is;
#   2. otherwise the CLI is built from the Go module proxy into .pulumi-cli/bin (git-ignored).
# The build uses Go's own caches (go env GOCACHE GOMODCACHE), so a second build is mostly linking,
# and a second run with the binary in place finishes at once.
set -euo pipefail

PULUMI_VERSION="v3.259.0"   # must match tools/pulumi/go.mod
MIN_MINOR=140               # dynamic-provider `configure` needs the engine of 3.139+
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.pulumi-cli/bin"

compatible() { # $1: path of a pulumi binary
  local minor
  minor="$("$1" version 2>/dev/null | sed -nE 's/^v3\.([0-9]+)\..*/\1/p')"
  [[ -n "$minor" && "$minor" -ge "$MIN_MINOR" ]]
}

if on_path="$(command -v pulumi)" && compatible "$on_path"; then
  echo "Using the Pulumi CLI on PATH: $on_path ($("$on_path" version))"
  exit 0
fi

if [[ -x "$bin_dir/pulumi" ]] && [[ "$("$bin_dir/pulumi" version 2>/dev/null)" == "$PULUMI_VERSION" ]]; then
  echo "Using the Pulumi CLI built earlier: $bin_dir/pulumi ($PULUMI_VERSION)"
  exit 0
fi

if ! command -v go >/dev/null; then
  echo "No Pulumi CLI (3.$MIN_MINOR or newer) on PATH and no Go toolchain to build one." >&2
  echo "Install either the Pulumi CLI (https://www.pulumi.com/docs/install/) or Go 1.24+ (https://go.dev/dl/), then run: npm run setup:pulumi" >&2
  exit 1
fi

echo "Building the Pulumi CLI $PULUMI_VERSION with $(go version | cut -d' ' -f3) into $bin_dir (a cold build takes several minutes)..."
mkdir -p "$bin_dir"
start=$SECONDS
(
  cd "$root/tools/pulumi"
  # Build into a temporary name first so an interrupted build never leaves a broken binary behind.
  go build -trimpath -o "$bin_dir/pulumi.partial" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)
mv "$bin_dir/pulumi.partial" "$bin_dir/pulumi"
echo "Built $("$bin_dir/pulumi" version) in $((SECONDS - start)) s"
