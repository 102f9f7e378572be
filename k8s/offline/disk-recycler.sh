#!/bin/bash
# The provisioned disks' recycler (K8S_VOLUMES=ext4, launched by start.sh; see start/disks.sh). A local
# PersistentVolume cannot be deleted by a provisioner, so its reclaim policy is Retain and, once its claim is gone
# (phase Released), this makes it a new disk: no mount of its loop device left but ours (the kubelet has unmounted
# every pod's), then unmounted, a new ext4 made on the device exactly as at start (mkfs.ext4 -F -m0, which discards
# the old blocks), mounted again, and the PV's claimRef removed so that the cluster binds it to the next claim
# (Available). A claim thus never sees what an earlier claim wrote, as with a newly provisioned disk. mkfs.ext4
# refuses a device still mounted in any mount namespace (a container's, just after its pod went): the disk then
# stays Released and is tried again at the next change or idle round (seen once in a certification, made 3.6 s later).
# Woken by a `kubectl get pv -w` (a PV's phase change), and at least every $IDLE seconds. Logs each recycling.
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
IDLE=10
log() { echo "$(date -u +%H:%M:%S.%N | cut -c1-12) $*"; }

recycle() { # disk name (disk01 ...)
  local d=$1 m=$DISKS/mnt/$1 dev n
  dev=$(losetup -n -O NAME -j "$DISKS/$d.img" | head -1)
  [ -n "$dev" ] || { log "$d: no loop device for $DISKS/$d.img; left Released"; return 0; }
  n=$(awk -v d="$dev" '$1 == d' /proc/mounts | wc -l)
  [ "$n" -le 1 ] || { log "$d: $dev still has $n mounts (a pod's not yet unmounted); next round"; return 0; }
  if mountpoint -q "$m"; then umount "$m" || { log "$d: umount $m failed; next round"; return 0; }; fi
  mkfs.ext4 -q -F -m0 "$dev" || { log "$d: mkfs.ext4 on $dev refused (a mount of it not yet gone); next round"; return 0; }
  mount -t ext4 -o noinit_itable "$dev" "$m" || { log "$d: mount $dev $m failed; next round"; return 0; }
  kubectl_ patch pv "pgrh-$d" --type json -p '[{"op":"remove","path":"/spec/claimRef"}]' >/dev/null \
    || { log "$d: could not remove pgrh-$d's claimRef"; return 0; }
  log "$d: released by its claim; new ext4 on $dev, offered again"
}

refresh() {
  local pvs name phase
  pvs=$(kubectl_ get pv -l "$DISK_LABEL" -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}' 2>/dev/null) || return 0
  while read -r name phase; do
    [ "$phase" = Released ] && recycle "${name#pgrh-}"
  done <<<"$pvs"
}

watch_and_refresh get pv -l "$DISK_LABEL"
