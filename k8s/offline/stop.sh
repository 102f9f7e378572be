#!/bin/bash
# Stops the offline cluster and undoes every host change start.sh made: processes, containers and their shims,
# network namespaces, mounts, the ext4 disks' loop devices and backing files (K8S_VOLUMES=ext4), iptables chains
# (KUBE-*, CNI-*, our guard), conntrack entries of our ranges, the bridge, cgroups, sysctls, and the directories it
# created. Safe to run twice, or after a failed start.
# Usage: stop.sh [--purge]   (--purge also deletes $DATA: PKI, etcd, the containerd store)
# Only what our pid files and our containerd socket name is signalled; never the Docker engine or its containerd.
set -u
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
PURGE=0; [ "${1:-}" = --purge ] && PURGE=1
say() { echo "[stop] $*"; }

stop_pid() { # name [timeout seconds]
  local n=$1 t=${2:-20} f=$RUN/$1.pid pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for ((i=0; i<t*5; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { say "$n ($pid) still alive after ${t}s: SIGKILL"; kill -KILL "$pid"; sleep 0.5; }
    say "stopped $n ($pid)"
  fi
  rm -f "$f"
}

# 0. the disks' recycler first: nothing is made again while everything goes
stop_pid disk-recycler

# 1. let the kubelet tear the pods down (CNI DEL, unmounts) while everything runs; harness namespaces first
if [ -f "$RUN/kubelet.pid" ] && [ -x "$BIN/kubectl" ] && kubectl_ get --raw /readyz >/dev/null 2>&1; then
  say "deleting workloads"
  kubectl_ delete ns -l io.github.pgreplication.harness.run --wait=false >/dev/null 2>&1
  kubectl_ delete deploy,statefulset,daemonset,replicaset,job,cronjob --all -A --wait=false >/dev/null 2>&1
  kubectl_ delete pod --all -A --grace-period=5 --wait=false >/dev/null 2>&1
  kubectl_ delete pvc --all -A --wait=false >/dev/null 2>&1
  kubectl_ delete pv -l "$DISK_LABEL" --wait=false >/dev/null 2>&1   # the ext4 disks' (Retain): their disks go below
  for ((i=0; i<90; i++)); do
    [ "$(kubectl_ get pods -A --no-headers 2>/dev/null | wc -l)" = 0 ] && break; sleep 1; done
  for ((i=0; i<30; i++)); do
    [ "$(kubectl_ get pv --no-headers 2>/dev/null | wc -l)" = 0 ] && break; sleep 1; done
  # once the pods and volumes are gone, the profiles' cluster objects: etcd then never hands them to a later start of
  # another profile or of an older start.sh (a second default StorageClass beside `standard` would make the API
  # server refuse every claim that names none)
  kubectl_ delete storageclass "$DISK_CLASS" pgrh-local-ext4 --ignore-not-found >/dev/null 2>&1
  kubectl_ delete clusterrolebinding,clusterrole pgrh-psp-restricted --ignore-not-found >/dev/null 2>&1
  kubectl_ delete podsecuritypolicy pgrh-restricted --ignore-not-found >/dev/null 2>&1
  say "pods left: $(kubectl_ get pods -A --no-headers 2>/dev/null | wc -l), volumes left: $(kubectl_ get pv --no-headers 2>/dev/null | wc -l)"
fi

# 2. node and control-plane processes, in reverse start order
for n in deploymentconfigs metrics-api dns-watcher dnsmasq kube-proxy kubelet kube-scheduler kube-controller-manager; do stop_pid "$n"; done

# 3. containers the kubelet left, then our containerd and the shims of OUR socket only
if [ -S "$CTRD_SOCK" ]; then
  for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$t" >/dev/null 2>&1; done
  for ((i=0; i<25; i++)); do
    [ -z "$(ctr_ tasks ls -q 2>/dev/null | head -1)" ] && break
    for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$t" >/dev/null 2>&1; done; sleep 0.2
  done
  for c in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers delete "$c" >/dev/null 2>&1; done
fi
stop_pid containerd 30
for p in /proc/[0-9]*; do
  { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -q -- "-address $CTRD_SOCK" || continue
  say "killing leftover shim ${p#/proc/}"; kill -KILL "${p#/proc/}" 2>/dev/null
done
stop_pid kube-apiserver
stop_pid etcd 30

# 4. network namespaces our CNI created, then every mount under our directories
if [ -f "$DATA/netns.before" ]; then
  for f in /var/run/netns/cni-*; do
    [ -e "$f" ] || continue
    ns=${f##*/}
    grep -qx "$ns" "$DATA/netns.before" || { umount "/run/netns/$ns" 2>/dev/null; rm -f "/run/netns/$ns"; say "removed netns $ns"; }
  done
fi
while read -r m; do
  umount "$m" 2>/dev/null || umount -l "$m"
done < <(awk '{print $2}' /proc/mounts | grep -E "^($DATA|$RUN|/tmp/hostpath_pv)(/|$)" | sort -r)
awk '{print $2}' /proc/mounts | grep -qE "^($DATA|$RUN)(/|$)" && say "WARNING: mounts remain"
# the ext4 disks (K8S_VOLUMES=ext4): their loop devices, then their backing files and mount points
while read -r dev file; do
  losetup -d "$dev" && say "detached $dev ($file)"
done < <(losetup -n -O NAME,BACK-FILE -l 2>/dev/null | awk -v d="$DISKS/" 'index($2, d) == 1')
losetup -n -O BACK-FILE -l 2>/dev/null | grep -q "^$DISKS/" && say "WARNING: loop devices on $DISKS remain"
if [ -d "$DISKS" ]; then rm -rf "$DISKS" && say "removed $DISKS"; fi

# 5. iptables and ip6tables: jumps to KUBE-*/CNI-* chains, then those chains (Docker's chains are untouched)
for ipt in iptables ip6tables; do
  for t in filter nat mangle raw; do
    "$ipt" -t "$t" -S 2>/dev/null | grep -E '^-A ' | grep -vE '^-A (KUBE|CNI)-' | grep -E ' -[jg] (KUBE|CNI)-' |
      while read -r line; do eval "$ipt -t $t ${line/-A /-D }"; done
    mapfile -t chains < <("$ipt" -t "$t" -S 2>/dev/null | awk '$1=="-N" && $2 ~ /^(KUBE|CNI)-/ {print $2}')
    for c in "${chains[@]}"; do "$ipt" -t "$t" -F "$c"; done
    for c in "${chains[@]}"; do "$ipt" -t "$t" -X "$c"; done
  done
done
conntrack -D -s "$POD_CIDR" >/dev/null 2>&1; conntrack -D -d "$SVC_CIDR" >/dev/null 2>&1; conntrack -D -d "$POD_CIDR" >/dev/null 2>&1

# 6. the bridge and any veth left on it
for v in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do ip link del "$v"; done
ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE" && say "bridge $BRIDGE removed"

# 7. cgroups under our cgroup root
for s in "${CGSUBS[@]}"; do
  [ -d "/sys/fs/cgroup/$s$CGROOT" ] && find "/sys/fs/cgroup/$s$CGROOT" -depth -type d -exec rmdir {} \; 2>/dev/null
  [ -d "/sys/fs/cgroup/$s$CGROOT" ] && say "WARNING: /sys/fs/cgroup/$s$CGROOT not removed"
done

# 8. the sysctls kubelet and kube-proxy changed; directories they created outside ours
if [ -f "$DATA/sysctl.saved" ]; then
  while IFS='=' read -r k v; do [ "$(sysctl -n "$k")" = "$v" ] || sysctl -qw "$k=$v"; done < "$DATA/sysctl.saved"
  cp "$DATA/sysctl.saved" "$CACHE/sysctl.before-start"   # check-clean.sh compares with it
  say "sysctls restored"
fi
if [ -f "$DATA/host-state.saved" ]; then
  while read -r how d; do
    [ "$how" = new ] || continue
    if [ "$d" = /var/run/netns ]; then rmdir "$d" 2>/dev/null; else rm -rf "$d"; fi
  done < "$DATA/host-state.saved"
  rm -f "$DATA/host-state.saved" "$DATA/sysctl.saved" "$DATA/netns.before"
fi
rm -rf "$RUN" "$DATA/kubelet" "$DATA/containerd/io.containerd.runtime.v2.task" "$DATA/dns/hosts.new" "$DATA/dns/hosts.listed" \
  "$DATA/dns/seen" "$DATA/dns/seen.new"
if [ $PURGE = 1 ]; then rm -rf "$DATA"; say "purged $DATA"; fi
say "done"
