#!/bin/bash
# The vendored github.com/modern-go/reflect2 v1.0.1 crashes every binary built with Go >= 1.18 (a nil pointer
# in reflect.mapiternext through json-iterator). Debian's golang-github-modern-go-reflect2-dev 1.0.2 replaces it.
set -euo pipefail
V=$SRC_DIR/vendor/github.com/modern-go/reflect2
D=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -f "$D/go_above_118.go" ] || { echo "fix-vendor: $D lacks go_above_118.go: install golang-github-modern-go-reflect2-dev 1.0.2" >&2; exit 1; }
if [ -f "$V/go_above_118.go" ]; then echo "fix-vendor: reflect2 already 1.0.2"; exit 0; fi
find "$V" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) -delete
cp "$D"/*.go "$V/"; ls "$D"/*.s >/dev/null 2>&1 && cp "$D"/*.s "$V/"
sed -i 's|github.com/modern-go/reflect2 v1.0.1|github.com/modern-go/reflect2 v1.0.2|g' "$SRC_DIR/vendor/modules.txt"
echo "fix-vendor: vendored reflect2 replaced by Debian's 1.0.2"
