#!/bin/bash
# The network guard's proof: no socket of the cluster's processes (and their children: shims, pods), and no
# conntrack flow from the pod network, goes anywhere but loopback and the cluster's own ranges. Exit 1 with the
# offending lines otherwise. Run after start, and after a run; given a file of `conntrack -E` events recorded
# during the run (see record-flows.sh), it checks every flow the run opened as well.
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
ok_addr() { # an address of loopback, the pod range or the Service range
  case "$1" in 127.*|::1|10.88.*|10.0.0.*|'*'|0.0.0.0|::) return 0;; esac; return 1; }
# 224.0.0.0/24 is link-local multicast (the kernel's IGMP reports on the bridge): never routed off the link
link_local_multicast() { case "$1" in 224.0.0.*) return 0;; esac; return 1; }
pids=""
for f in "$RUN"/*.pid; do [ -f "$f" ] && pids="$pids $(cat "$f")"; done
# every descendant of our daemons (containerd shims are reparented; they carry our socket in their cmdline)
for p in /proc/[0-9]*; do
  { tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -q -- "-address $CTRD_SOCK" && pids="$pids ${p#/proc/}"
done
all=$pids
changed=1
while [ $changed = 1 ]; do
  changed=0
  for p in $(ps -e -o pid=,ppid= | awk -v s=" $all " 'index(s, " "$2" ") && !index(s, " "$1" ") {print $1}'); do
    all="$all $p"; changed=1; done
done
bad=0
# sockets of those processes, in the host's network namespace (pods' own namespaces only hold pod addresses)
while read -r _state _recv _send local peer proc; do
  pid=$(echo "$proc" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [ -n "$pid" ] || continue
  case " $all " in *" $pid "*) ;; *) continue;; esac
  paddr=${peer%:*}; paddr=${paddr#[}; paddr=${paddr%]}; paddr=${paddr#::ffff:}
  ok_addr "$paddr" || { echo "egress: socket $local -> $peer ($proc)"; bad=1; }
done < <(ss -Htanp 2>/dev/null)
# flows entering the conntrack table from pods, and any flow at all to the metadata range
# Only the flows the loop below could refuse reach it, picked by awk by the same rules (a run records tens of
# thousands of flows to the API server, and the loop forks a few processes per line).
suspect() {
  awk '{ s = ""; d = ""
         for (i = 1; i <= NF; i++) {
           if (s == "" && $i ~ /^src=/) s = substr($i, 5)
           if (d == "" && $i ~ /^dst=/) d = substr($i, 5)
         }
         if (d ~ /^169\.254\./) { print; next }
         if (s ~ /^10\.88\./ && d !~ /^(127\.|10\.88\.|10\.0\.0\.|224\.0\.0\.)/ && d != "::1" && d != "*" && d != "0.0.0.0" && d != "::") print }'
}
while read -r line; do
  src=$(echo "$line" | grep -o 'src=[^ ]*' | head -1 | cut -d= -f2)
  dst=$(echo "$line" | grep -o 'dst=[^ ]*' | head -1 | cut -d= -f2)
  case "$dst" in 169.254.*)
    if [ -f "$DATA/metadata-flows.before" ] && grep -qxF "$(flow_tuple "$line")" "$DATA/metadata-flows.before"; then
      echo "egress: not the cluster's (in the conntrack table before start.sh began): $line"; continue; fi
    echo "egress: conntrack to the link-local metadata range: $line"; bad=1; continue;; esac
  case "$src" in 10.88.*) ok_addr "$dst" || link_local_multicast "$dst" || { echo "egress: conntrack from a pod: $line"; bad=1; };; esac
done < <({ conntrack -L 2>/dev/null; [ -n "${1:-}" ] && cat "$1"; } | suspect)
if [ $bad = 0 ]; then
  [ -n "${1:-}" ] && echo "egress check: $(grep -c NEW "$1") new flows recorded in $1 checked"
  echo "egress check: no socket of the cluster's $(wc -w <<<"$all") processes and no pod flow leaves loopback, $POD_CIDR, $SVC_CIDR"
fi
exit "$bad"
