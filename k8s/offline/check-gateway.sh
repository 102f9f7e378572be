#!/bin/bash
# The pods' gateway (the bridge: DNS, Services) keeps its MAC address when a pod goes away. Left to the kernel, the
# bridge takes the lowest MAC of its ports; deleting the pod whose veth had it changed the gateway's MAC under every
# other pod, and their DNS lookups then timed out for tens of seconds (found in session 6: `getent hosts` took 40 s
# and failed, then 5 s, in the pod left). start.sh pins the address; this check proves it on the running cluster:
# two pods, the one holding the lowest MAC deleted, then the bridge's MAC compared and a lookup timed from the other.
# Exit 1 with what was seen otherwise. Leaves no namespace behind.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
NS=pgrh-gateway-check-$$
fail() { echo "check-gateway: FAILED: $*" >&2; exit 1; }
trap 'kubectl_ -n "$NS" delete pod --all --grace-period=0 --force >/dev/null 2>&1; kubectl_ delete namespace "$NS" --timeout=60s >/dev/null 2>&1 || true' EXIT
kubectl_ create namespace "$NS" >/dev/null
for p in a b; do
  kubectl_ -n "$NS" run "$p" --image=docker.io/pg-replication-harness/postgres:15 --image-pull-policy=Never \
    --restart=Never --command -- sleep 300 >/dev/null
done
kubectl_ -n "$NS" wait --for=condition=Ready pod --all --timeout=120s >/dev/null
veth_of() { # the host side of a pod's eth0: its peer's ifindex
  local idx; idx=$(kubectl_ -n "$NS" exec "$1" -- cat /sys/class/net/eth0/iflink)
  for i in "/sys/class/net/$BRIDGE/brif"/*; do
    [ "$(cat "/sys/class/net/${i##*/}/ifindex")" = "$idx" ] && { echo "${i##*/}"; return; }; done
  fail "no port of $BRIDGE for pod $1"
}
va=$(veth_of a); vb=$(veth_of b)
ma=$(cat "/sys/class/net/$va/address"); mb=$(cat "/sys/class/net/$vb/address")
if [[ "$ma" < "$mb" ]]; then gone=a; left=b; lowest=$va; else gone=b; left=a; lowest=$vb; fi
before=$(cat "/sys/class/net/$BRIDGE/address")
kubectl_ -n "$NS" exec "$left" -- getent hosts kubernetes.default.svc.cluster.local >/dev/null \
  || fail "pod $left could not resolve kubernetes.default before any deletion"
kubectl_ -n "$NS" delete pod "$gone" --grace-period=0 --force >/dev/null 2>&1
for _ in $(seq 60); do [ -e "/sys/class/net/$lowest" ] || break; sleep 0.5; done
[ ! -e "/sys/class/net/$lowest" ] || fail "the deleted pod's veth $lowest is still there after 30 s"
after=$(cat "/sys/class/net/$BRIDGE/address")
[ "$after" = "$before" ] || fail "the bridge's MAC changed from $before to $after when pod $gone (veth $lowest) went away"
# the command's $ expansions are the pod's shell's, not this one's:
# shellcheck disable=SC2016
ms=$(kubectl_ -n "$NS" exec "$left" -- bash -c \
  's=$(date +%s%N); getent hosts kubernetes.default.svc.cluster.local >/dev/null || exit 3; echo $(( ($(date +%s%N) - s) / 1000000 ))') \
  || fail "pod $left could not resolve kubernetes.default after pod $gone went away"
[ "$ms" -lt 1000 ] || fail "pod $left took $ms ms to resolve kubernetes.default after pod $gone went away (a query was lost)"
echo "check-gateway: the bridge kept its MAC $before when the pod holding the lowest port MAC went away; the other pod resolved in $ms ms"
