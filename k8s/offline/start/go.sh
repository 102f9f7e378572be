# shellcheck shell=bash
# start.sh: the cluster's own daemons written in Go (metrics-api/, deploymentconfigs/): Go's standard library only,
# nothing fetched (GOPROXY=off), built with build.sh's Go once per source hash, after their vet and tests pass.

build_go() { # DIR (under k8s/offline), what it is; prints the binary's path
  local dir=$1 what=$2 hash bin go=/usr/lib/go-1.19/bin/go env
  hash=$(cat "$HERE/$dir"/*.go | sha256sum | cut -c1-16)
  bin=$CACHE/$dir-$hash
  if [ ! -x "$bin" ]; then
    [ -x "$go" ] || die "no Go at $go (build.sh installs golang-1.19-go)"
    rm -f "$CACHE/$dir"-*
    env=(GO111MODULE=off GOPROXY=off CGO_ENABLED=0 GOCACHE="$CACHE/gocache")
    (cd "$HERE/$dir" && env "${env[@]}" "$go" vet . && env "${env[@]}" "$go" test . >/dev/null \
      && env "${env[@]}" "$go" build -trimpath -ldflags=-s -o "$bin.tmp" .) || die "$what did not build"
    mv "$bin.tmp" "$bin"
  fi
  echo "$bin"
}
