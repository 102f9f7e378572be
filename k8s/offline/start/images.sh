# shellcheck shell=bash
# start.sh: the images the pods run, as archives containerd imports: a static pause built from the Kubernetes
# source, the PostgreSQL images from the Docker engine (read-only use of the engine: `docker save`). Each archive
# is rebuilt only when its input changes.

image_archives() {
  local w srcs m id tar
  if [ ! -s "$PAUSE_TAR" ]; then
    w=$(mktemp -d); mkdir -p "$w/rootfs"
    srcs=("$CACHE"/src/kubernetes-*/)
    gcc -Os -Wall -Werror -static -DVERSION=v3.4.1 -o "$w/rootfs/pause" "${srcs[0]}build/pause/linux/pause.c"
    strip "$w/rootfs/pause"
    "$HERE/mkimage.sh" "$w/rootfs" "$PAUSE_IMAGE" "$PAUSE_TAR" '["/pause"]' '[]' >/dev/null
    rm -rf "$w"
  fi
  for m in "${PG_MAJORS[@]}"; do
    id=$(docker image inspect -f '{{.Id}}' "pg-replication-harness/postgres:$m" | cut -d: -f2 | cut -c1-16)
    tar=$CACHE/images/postgres-$m-$id.tar
    if [ ! -s "$tar" ]; then
      rm -f "$CACHE/images/postgres-$m-"*.tar
      docker save "pg-replication-harness/postgres:$m" -o "$tar.tmp" && mv "$tar.tmp" "$tar"
    fi
    # The sclorg image's offline stand-in (images/build-sclorg-image.sh), for the template's master, where built.
    if id=$(docker image inspect -f '{{.Id}}' "pg-replication-harness/sclorg-postgresql:$m" 2>/dev/null | cut -d: -f2 | cut -c1-16) \
        && [ -n "$id" ]; then
      tar=$CACHE/images/sclorg-postgresql-$m-$id.tar
      if [ ! -s "$tar" ]; then
        rm -f "$CACHE/images/sclorg-postgresql-$m-"*.tar
        docker save "pg-replication-harness/sclorg-postgresql:$m" -o "$tar.tmp" && mv "$tar.tmp" "$tar"
      fi
    fi
  done
  ts "image archives ready"
}

# Into our containerd (running): the pause image once, each PostgreSQL image's archive every time.
import_images() {
  local m tars tar
  ctr_ images ls -q | grep -qx "$PAUSE_IMAGE" || ctr_ images import "$PAUSE_TAR" >/dev/null
  for m in "${PG_MAJORS[@]}"; do
    tars=("$CACHE/images/postgres-$m-"*.tar)
    ctr_ images import "${tars[0]}" >/dev/null
    for tar in "$CACHE/images/sclorg-postgresql-$m-"*.tar; do
      [ -s "$tar" ] && ctr_ images import "$tar" >/dev/null
    done
  done
  ts "containerd ready; images: $(ctr_ images ls -q | grep -v '^sha256:' | tr '\n' ' ')"
}
