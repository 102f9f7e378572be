# shellcheck shell=bash
# start.sh: the claims' storage. K8S_VOLUMES=hostpath (opt-in): the in-tree hostPath provisioner behind the default
# StorageClass `standard`; a claim is an empty host directory. K8S_VOLUMES=ext4 (the default): a claim is a provisioned disk, as a
# real cluster's block storage gives it: K8S_DISKS sparse files of K8S_DISK_GI Gi (20 by default, the guide's size) under $DISKS, each
# on a loop device holding a fresh ext4 made as the kubelet formats a disk (mkfs.ext4 -F -m0: root directory
# root:root 0755 with lost+found), mounted under $DISKS/mnt and offered as a local PersistentVolume of the default StorageClass $DISK_CLASS (no
# provisioner, volumeBindingMode WaitForFirstConsumer, nodeAffinity on the one node). The kubelet applies a pod's
# fsGroup to a local volume on its first mount (SetVolumeOwnership), as it does to a real disk.
# The PVs are Retain: no provisioner can delete a local volume, so disk-recycler.sh takes each Released one, makes a
# new filesystem on its device and offers it again; a run's claims over time (a few dozen) reuse the K8S_DISKS disks
# (a pair holds 2 or 3 at once, three scenarios run side by side). stop.sh detaches, unmounts and deletes it all.

# Host side, before the kubelet starts: the backing files, loop devices, filesystems and mounts.
make_disks() {
  local i f dev
  [ "$K8S_VOLUMES" = ext4 ] || return 0
  mkdir -p "$DISKS/mnt"
  for ((i=1; i<=K8S_DISKS; i++)); do
    f=$(printf '%s/disk%02d' "$DISKS" "$i")
    rm -f "$f.img"; truncate -s "${K8S_DISK_GI}G" "$f.img"
    dev=$(losetup --find --show "$f.img") || die "no loop device for $f.img"
    mkfs.ext4 -q -F -m0 "$dev" || die "mkfs.ext4 on $dev ($f.img) failed"
    mkdir -p "$DISKS/mnt/${f##*/}"
    mount -t ext4 -o noinit_itable "$dev" "$DISKS/mnt/${f##*/}" || die "mounting $dev on $DISKS/mnt/${f##*/} failed"
  done
  ts "$K8S_DISKS disks of ${K8S_DISK_GI}Gi: ext4 on loop devices, mounted under $DISKS/mnt"
}

# One disk's PersistentVolume (name = the disk's: disk01 ... → pgrh-disk01 ...).
disk_pv() { # name
  cat <<YAML
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pgrh-$1
  labels: {$DISK_LABEL: "$1"}
spec:
  capacity: {storage: ${K8S_DISK_GI}Gi}
  volumeMode: Filesystem
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: $DISK_CLASS
  local: {path: $DISKS/mnt/$1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [$NODE]}]
---
YAML
}

# API side, once the API server answers: the default StorageClass of the profile, and under ext4 the disks' PVs
# (those an earlier start left in etcd are removed first: their disks are gone). A second default StorageClass is
# never left: the API server would refuse every claim that names none.
storage_classes() {
  local i
  kubectl_ get pv -l "$DISK_LABEL" -o name | while read -r pv; do
    kubectl_ patch "$pv" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1; done
  kubectl_ delete pv -l "$DISK_LABEL" --ignore-not-found --timeout=60s >/dev/null
  # the default StorageClass is `standard` in both profiles, and its provisioner cannot change: made again each start
  # (pgrh-local-ext4: the ext4 disks' class of an older start.sh, never to be a second default beside it)
  kubectl_ delete storageclass standard pgrh-local-ext4 --ignore-not-found >/dev/null
  if [ "$K8S_VOLUMES" != ext4 ]; then
    kubectl_ apply -f - >/dev/null <<YAML
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
YAML
    return 0
  fi
  {
    cat <<YAML
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $DISK_CLASS
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
---
YAML
    for ((i=1; i<=K8S_DISKS; i++)); do disk_pv "$(printf 'disk%02d' "$i")"; done
  } | kubectl_ apply -f - >/dev/null
  launch disk-recycler "$HERE/disk-recycler.sh"
  ts "default StorageClass $DISK_CLASS: $K8S_DISKS local PersistentVolumes of ${K8S_DISK_GI}Gi (ext4), disk-recycler.sh launched"
}
