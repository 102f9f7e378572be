#!/bin/bash
# mkimage.sh ROOTFS_DIR IMAGE_NAME OUT_TAR [CMD_JSON] [ENV_JSON]
# Packs a directory into a single-layer OCI image archive that `ctr images import` accepts.
# e.g. mkimage.sh ./rootfs docker.io/library/busybox:local busybox.tar '["sh"]'
set -euo pipefail
ROOTFS=$1 NAME=$2 OUT=$3 CMD=${4:-'["sh"]'} ENV=${5:-'["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkdir -p "$W/blobs/sha256"
tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" -cf "$W/layer.tar" .
LD=$(sha256sum "$W/layer.tar" | cut -d' ' -f1); LS=$(stat -c %s "$W/layer.tar")
mv "$W/layer.tar" "$W/blobs/sha256/$LD"
printf '{"architecture":"amd64","os":"linux","config":{"Env":%s,"Cmd":%s,"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"pg-replication-harness k8s/offline/mkimage.sh"}]}' "$ENV" "$CMD" "$LD" > "$W/config.json"
CD=$(sha256sum "$W/config.json" | cut -d' ' -f1); CS=$(stat -c %s "$W/config.json"); mv "$W/config.json" "$W/blobs/sha256/$CD"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' "$CD" "$CS" "$LD" "$LS" > "$W/manifest.json"
MD=$(sha256sum "$W/manifest.json" | cut -d' ' -f1); MS=$(stat -c %s "$W/manifest.json"); mv "$W/manifest.json" "$W/blobs/sha256/$MD"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' "$MD" "$MS" "$NAME" "${NAME##*:}" > "$W/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$W/oci-layout"
tar -C "$W" -cf "$OUT" oci-layout index.json blobs
echo "wrote $OUT ($NAME, layer $LS bytes)"
