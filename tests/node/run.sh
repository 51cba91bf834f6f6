#!/usr/bin/env bash
# Runs real, independent MCP clients against the built server:
#   run.sh conformance BINARY WORKDIR   official conformance suite over Streamable HTTP
#   run.sh sdk BINARY WORKDIR           official TypeScript SDK client over stdio and HTTP
# Node 22 and the clients come from npm into WORKDIR (once; later runs reuse them).
set -euo pipefail
mode=$1 binary=$2 workdir=$3
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$workdir"
if ! cmp -s "$here/package.json" "$workdir/package.json" || [ ! -x "$workdir/node_modules/.bin/node" ]; then
  cp "$here/package.json" "$workdir/package.json"
  (cd "$workdir" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
fi
export PATH="$workdir/node_modules/.bin:$PATH"
# ESM resolves imports next to the importing file: run the scripts from WORKDIR.
cp "$here"/*.mjs "$workdir/"
node --version | grep -q '^v22\.' || { echo "expected Node 22, got $(node --version)"; exit 1; }

case "$mode" in
  conformance) exec node "$workdir/conformance.mjs" "$binary" ;;
  sdk) exec node "$workdir/sdk_client.mjs" "$binary" ;;
  *) echo "usage: run.sh conformance|sdk BINARY WORKDIR" >&2; exit 2 ;;
esac
