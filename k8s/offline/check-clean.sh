#!/bin/bash
# After stop.sh: proves the host holds nothing of the cluster. Prints each item; exit 1 if anything is left.
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
left=0
bad() { echo "check-clean: LEFT: $*"; left=1; }
ls "$RUN"/*.pid >/dev/null 2>&1 && bad "pid files in $RUN"
procs=$(for p in /proc/[0-9]*; do c=$({ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null); case "$c" in *check-clean*) continue;; esac
  case "$c" in *"$DATA"*|*"$RUN"*|*"$CACHE/bin"*|*dns-watcher.sh*|*disk-recycler.sh*) echo "${p#/proc/}:${c:0:80}";; esac; done)
[ -n "$procs" ] && bad "processes: $procs"
m=$(grep -E " ($DATA|$RUN|/run/netns/cni-|/tmp/hostpath_pv)" /proc/mounts); [ -n "$m" ] && bad "mounts: $m"
lo=$(losetup -n -O NAME,BACK-FILE -l 2>/dev/null | awk -v d="$DISKS/" 'index($2, d) == 1'); [ -n "$lo" ] && bad "loop devices: $lo"
[ -e "$DISKS" ] && bad "the disks' directory $DISKS ($(find "$DISKS" -maxdepth 1 -name '*.img' | wc -l) backing files)"
r=$( (iptables-save; ip6tables-save) 2>/dev/null | grep -E '(KUBE|CNI)-'); [ -n "$r" ] && bad "iptables: $(echo "$r" | wc -l) KUBE/CNI lines"
ip link show "$BRIDGE" >/dev/null 2>&1 && bad "interface $BRIDGE"
n=$(for f in /run/netns/cni-*; do [ -e "$f" ] && echo "${f##*/}"; done); [ -n "$n" ] && bad "netns: $n"
c=$(ls -d /sys/fs/cgroup/*"$CGROOT" 2>/dev/null); [ -n "$c" ] && bad "cgroups: $c"
l=$(ss -Hltn | awk '{print $4}' | grep -E "^(127\.0\.0\.1|$NODE_IP):($(IFS='|'; echo "${PORTS[*]}"))$"); [ -n "$l" ] && bad "listening: $l"
ip -4 route | grep -q "^${POD_CIDR%/*}" && bad "route to $POD_CIDR"
if [ -f "$CACHE/sysctl.before-start" ]; then
  while IFS='=' read -r k v; do
    [ "$(sysctl -n "$k")" = "$v" ] || bad "sysctl $k=$(sysctl -n "$k"), was $v before start"
  done < "$CACHE/sysctl.before-start"
fi
echo "check-clean: sysctls now: $(for s in "${SYSCTLS[@]}"; do printf '%s=%s ' "$s" "$(sysctl -n "$s")"; done)"
[ $left = 0 ] && echo "check-clean: nothing of the cluster is left (processes, mounts, loop devices, disk files, iptables chains, interfaces, netns, cgroups, ports)"
exit $left
