#!/usr/bin/env bash
# Makes a Pulumi CLI available to the tests, the demo and the benchmark.
#   1. a compatible `pulumi` already on PATH is used as it is;
#   2. otherwise the CLI is built from the Go module proxy into .pulumi-cli/bin (git-ignored).
# Then it makes sure the language hosts and the plugin our programs need sit where the CLI looks first:
#   - pulumi-language-nodejs (runs Pulumi.yaml directory projects): one on PATH or next to `pulumi` is
#     used as is; otherwise ../shared/tools/pulumi-language-nodejs/install.sh unpacks it next to our build;
#   - pulumi-resource-pulumi-nodejs (the dynamic-provider plugin, a shell script inside @pulumi/pulumi):
#     copied next to `pulumi`. The CLI prefers plugins bundled next to its own binary and prints
#     "warning: using <plugin> from $PATH" for any it has to take from PATH instead;
#   - pulumi-language-yaml (runs `runtime: yaml` programs, examples/yaml): one on PATH or next to `pulumi` is
#     used as is; otherwise built from the Go module proxy next to our build.
# The build uses Go's own caches (go env GOCACHE GOMODCACHE), so a second build is mostly linking,
# and a second run with the binary in place finishes at once.
set -euo pipefail

PULUMI_VERSION="v3.259.0"   # must match tools/pulumi/go.mod
PULUMI_YAML_VERSION="v1.25.0"
MIN_MINOR=140               # dynamic-provider `configure` needs the engine of 3.139+
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.pulumi-cli/bin"

compatible() { # $1: path of a pulumi binary
  local minor
  minor="$("$1" version 2>/dev/null | sed -nE 's/^v3\.([0-9]+)\..*/\1/p')"
  [[ -n "$minor" && "$minor" -ge "$MIN_MINOR" ]]
}

# $1: the directory holding the `pulumi` we use; $2: "ours" when we built it (we may write next to it).
install_plugins() {
  local cli_dir="$1" owner="$2"

  if [[ -x "$cli_dir/pulumi-language-nodejs" ]]; then
    echo "Using the Node.js language host next to pulumi: $cli_dir/pulumi-language-nodejs"
  elif on_path_lh="$(command -v pulumi-language-nodejs)"; then
    echo "Using the Node.js language host on PATH: $on_path_lh"
  else
    local installer
    installer="$(cd "$root/.." && pwd)/shared/tools/pulumi-language-nodejs/install.sh"
    if [[ ! -f "$installer" ]]; then
      echo "No pulumi-language-nodejs on PATH or next to $cli_dir/pulumi, and no installer at $installer." >&2
      echo "Install the Pulumi CLI with its plugins (https://www.pulumi.com/docs/install/) or put pulumi-language-nodejs on PATH." >&2
      exit 1
    fi
    # A CLI on PATH that came without its language host: unpack it into .pulumi-cli/bin, which
    # scripts/lib/pulumiCli.ts puts on PATH after the CLI's own directory.
    local dest="$cli_dir"
    [[ "$owner" == "ours" ]] || dest="$bin_dir"
    bash "$installer" "$dest"
    echo "Installed the Node.js language host: $dest/pulumi-language-nodejs"
  fi

  local plugin
  if ! plugin="$(cd "$root" && node -p 'require("path").join(require("path").dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs")' 2>/dev/null)" || [[ ! -f "$plugin" ]]; then
    echo "@pulumi/pulumi is not installed in $root; run npm ci first." >&2
    exit 1
  fi
  if [[ -x "$cli_dir/pulumi-resource-pulumi-nodejs" ]] && { [[ "$owner" != "ours" ]] || cmp -s "$plugin" "$cli_dir/pulumi-resource-pulumi-nodejs"; }; then
    echo "Using the dynamic-provider plugin next to pulumi: $cli_dir/pulumi-resource-pulumi-nodejs"
  elif [[ "$owner" == "ours" ]]; then
    # A copy, not a link: the script only runs `node` on @pulumi/pulumi resolved from the program's directory.
    cp "$plugin" "$cli_dir/pulumi-resource-pulumi-nodejs.partial"
    chmod +x "$cli_dir/pulumi-resource-pulumi-nodejs.partial"
    mv "$cli_dir/pulumi-resource-pulumi-nodejs.partial" "$cli_dir/pulumi-resource-pulumi-nodejs"
    echo "Installed the dynamic-provider plugin next to pulumi: $cli_dir/pulumi-resource-pulumi-nodejs"
  else
    echo "The Pulumi CLI in $cli_dir has no pulumi-resource-pulumi-nodejs next to it; runs will take the one" >&2
    echo "inside @pulumi/pulumi from PATH and print a harmless \"using ... from \$PATH\" warning." >&2
  fi
}

# $1, $2: as install_plugins. Go's caches make a rebuild mostly linking; the binary in place ends it at once.
install_yaml_host() {
  local cli_dir="$1" owner="$2"
  if [[ -x "$cli_dir/pulumi-language-yaml" ]]; then
    echo "Using the YAML language host next to pulumi: $cli_dir/pulumi-language-yaml"
    return
  elif on_path_yaml="$(command -v pulumi-language-yaml)"; then
    echo "Using the YAML language host on PATH: $on_path_yaml"
    return
  fi
  # Not next to a CLI we did not build: into .pulumi-cli/bin, which scripts/lib/pulumi/cli.ts puts on PATH.
  local dest="$cli_dir"
  [[ "$owner" == "ours" ]] || dest="$bin_dir"
  [[ -x "$dest/pulumi-language-yaml" ]] && { echo "Using the YAML language host in $dest/pulumi-language-yaml"; return; }
  if ! command -v go >/dev/null; then
    echo "No pulumi-language-yaml on PATH or next to $cli_dir/pulumi, and no Go toolchain to build one." >&2
    echo "Install the Pulumi CLI with its plugins (https://www.pulumi.com/docs/install/) or Go 1.24+ (https://go.dev/dl/)." >&2
    exit 1
  fi
  echo "Building pulumi-language-yaml $PULUMI_YAML_VERSION into $dest (a cold build takes several minutes)..."
  local start=$SECONDS partial="$dest/.pulumi-language-yaml.partial"
  rm -rf "$partial"
  # Into a directory of its own first, so an interrupted build never leaves a broken binary behind.
  GOBIN="$partial" go install -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$PULUMI_YAML_VERSION"
  mv "$partial/pulumi-language-yaml" "$dest/pulumi-language-yaml"
  rm -rf "$partial"
  echo "Built the YAML language host in $((SECONDS - start)) s: $dest/pulumi-language-yaml"
}

if on_path="$(command -v pulumi)" && compatible "$on_path"; then
  echo "Using the Pulumi CLI on PATH: $on_path ($("$on_path" version))"
  install_plugins "$(dirname "$on_path")" theirs
  install_yaml_host "$(dirname "$on_path")" theirs
  exit 0
fi

if [[ -x "$bin_dir/pulumi" ]] && [[ "$("$bin_dir/pulumi" version 2>/dev/null)" == "$PULUMI_VERSION" ]]; then
  echo "Using the Pulumi CLI built earlier: $bin_dir/pulumi ($PULUMI_VERSION)"
  install_plugins "$bin_dir" ours
  install_yaml_host "$bin_dir" ours
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
install_plugins "$bin_dir" ours
install_yaml_host "$bin_dir" ours
