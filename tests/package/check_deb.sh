#!/usr/bin/env bash
# Builds the Debian package with CPack and checks what a user installs: the binary, which runs,
# and dependencies on the shared libraries it links.
#   check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cpack -G DEB -B "$out" --config "$build/CPackConfig.cmake" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb)
fail=0
check() { if ! grep -q -- "$2" <<<"$3"; then echo "FAIL: $1 (expected '$2')"; fail=1; else echo "ok: $1"; fi; }
contents=$(dpkg-deb -c "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
check "package holds the binary" "usr/bin/klaviyo-mcp" "$contents"
check "depends on OpenSSL 3" "libssl3" "$depends"
check "depends on Boost.JSON 1.81" "libboost-json1.81" "$depends"
check "depends on Boost.URL 1.81" "libboost-url1.81" "$depends"
dpkg-deb -x "$deb" "$out/root"
check "the packaged binary runs" "klaviyo-mcp" "$("$out/root/usr/bin/klaviyo-mcp" --version)"
exit $fail
