#!/bin/bash
# The source package lacks pkg/generated/openapi/zz_generated.openapi.go, which upstream's `make` generates
# (Makefile.generated_files, gen_openapi). Its generator is vendored: build it and run it over the same packages.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
cd "$GOPATH/src/k8s.io/kubernetes"
OUT=pkg/generated/openapi/zz_generated.openapi.go
[ -s "$OUT" ] && { echo "gen-openapi: $OUT exists"; exit 0; }
mkdir -p "$CACHE/tools"
nice -n 19 go build -o "$CACHE/tools/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
dirs=$(find -H . -not \( \( -path ./_\* -o -path ./.\* -o -path ./vendor \) -prune \) -type f -name '*.go' \
  | sed 's|^./staging/src|vendor|; s|^\./||' \
  | xargs grep -l '^// *+k8s:' | xargs grep -l '+k8s:openapi-gen=' \
  | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
  | xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)
echo "gen-openapi: over $(echo "$dirs" | tr , '\n' | wc -l) packages"
nice -n 19 "$CACHE/tools/openapi-gen" --logtostderr -i "$dirs" -p k8s.io/kubernetes/pkg/generated/openapi \
  -O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r /dev/null -o "$GOPATH/src"
ls -la "$OUT"
