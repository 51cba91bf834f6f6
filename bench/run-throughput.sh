#!/usr/bin/env bash
# Builds klaviyo-mcp and the benchmark (release preset), installs the reference server's Node 22
# and TypeScript SDK from npm (once; later runs reuse them) and runs bench_mcp_throughput.
# Arguments go to the benchmark: run-throughput.sh --reps 5 --seconds 5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release --target klaviyo-mcp bench_mcp_throughput

workdir=$root/build/release/bench/reference-node
mkdir -p "$workdir"
if ! cmp -s bench/reference/package.json "$workdir/package.json" || [ ! -x "$workdir/node_modules/.bin/node" ]; then
  cp bench/reference/package.json "$workdir/package.json"
  (cd "$workdir" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
fi
# ESM resolves imports next to the importing file: the script runs from the workdir.
cp bench/reference/server.mjs "$workdir/"
"$workdir/node_modules/.bin/node" --version | grep -q '^v22\.' || { echo "expected Node 22" >&2; exit 1; }

exec build/release/bench/bench_mcp_throughput --node "$workdir/node_modules/.bin/node" \
  --reference "$workdir/server.mjs" "$@"
