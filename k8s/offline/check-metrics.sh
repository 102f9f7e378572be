#!/bin/bash
# The metrics API's proof (start/metrics.sh, metrics-api/main.go), on a started cluster:
#  1. it is served through the API server's aggregation layer: discovery lists pods and nodes;
#  2. its figures are the pods' own: a pod spinning a CPU shows more than 500m, an idle one less than 100m; a label
#     selector picks the pods it names;
#  3. it serves only the API server's front proxy: straight to its port, without the front proxy's certificate, it
#     answers 401, a forged X-Remote-User header included;
#  4. it authorises the user the front proxy names: a tenant holding `edit` in its namespace reads that namespace's
#     pods' metrics, and is refused (Forbidden) in kube-system and for the node's.
# Exit 1 with what was seen otherwise. Leaves no namespace behind.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
NS=pgrh-metrics-check-$$
IMAGE=docker.io/pg-replication-harness/postgres:15
TENANT=system:serviceaccount:$NS:tenant
fail() { echo "check-metrics: FAILED: $*" >&2; exit 1; }
say() { echo "check-metrics: $*"; }
trap 'kubectl_ -n "$NS" delete pod --all --grace-period=0 --force >/dev/null 2>&1; kubectl_ delete namespace "$NS" --timeout=90s >/dev/null 2>&1 || true' EXIT

# 1. discovery through the aggregation layer
found=$(kubectl_ get --raw /apis/metrics.k8s.io/v1beta1) || fail "the API server does not serve metrics.k8s.io/v1beta1"
if ! grep -q '"name":"pods"' <<<"$found" || ! grep -q '"name":"nodes"' <<<"$found"; then
  fail "discovery lists no pods and nodes: $found"
fi
say "served through the aggregation layer: $(kubectl_ get apiservice v1beta1.metrics.k8s.io --no-headers)"

# 2. a busy pod and an idle one, as a tenant holding edit in its namespace
kubectl_ create namespace "$NS" >/dev/null
kubectl_ -n "$NS" create serviceaccount tenant >/dev/null
kubectl_ -n "$NS" create rolebinding tenant-edit --clusterrole=edit --serviceaccount="$NS:tenant" >/dev/null
as_tenant() { kubectl_ --as="$TENANT" "$@"; }
for p in busy idle; do
  cmd='while :; do :; done'; [ $p = idle ] && cmd='exec sleep 600'
  as_tenant -n "$NS" run "$p" --image="$IMAGE" --image-pull-policy=Never --restart=Never --command -- sh -c "$cmd" >/dev/null
done
as_tenant -n "$NS" wait --for=condition=ready pod/busy pod/idle --timeout=60s >/dev/null
top=""
for ((i = 0; i < 45; i++)); do # the kubelet has a pod's figures once it sampled it twice
  top=$(as_tenant -n "$NS" top pod --no-headers 2>&1) && [ "$(wc -l <<<"$top")" = 2 ] && break
  sleep 2; top=""
done
[ -n "$top" ] || fail "no figures for the two pods within 90 s: $(as_tenant -n "$NS" top pod 2>&1)"
busy=$(awk '$1 == "busy" {sub("m", "", $2); print $2}' <<<"$top"); idle=$(awk '$1 == "idle" {sub("m", "", $2); print $2}' <<<"$top")
if [ "$busy" -le 500 ] || [ "$idle" -ge 100 ]; then
  fail "the spinning pod should use more than 500m and the idle one less than 100m: $top"
fi
say "figures as the tenant (edit in $NS) reads them: busy ${busy}m, idle ${idle}m of CPU"
picked=$(as_tenant -n "$NS" top pod -l run=busy --no-headers | awk '{print $1}' | tr '\n' ' ')
[ "$picked" = "busy " ] || fail "top pod -l run=busy listed « $picked », not the busy pod alone"
say "a label selector picks its pods: -l run=busy lists busy alone"

# 3. only the front proxy is served
for header in "" "X-Remote-User: admin"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --cacert "$PKI/ca.crt" ${header:+-H "$header"} \
    "https://$NODE_IP:4443/apis/metrics.k8s.io/v1beta1/namespaces/$NS/pods") || true
  [ "$code" = 401 ] || fail "straight to the metrics API without the front proxy's certificate${header:+ and with « $header »}: HTTP $code, not 401"
done
say "straight to its port, without the front proxy's certificate (a forged X-Remote-User too): 401"

# 4. the tenant's rights, nothing more
for what in "-n kube-system top pod" "top node"; do
  # shellcheck disable=SC2086 # $what holds a command and its arguments, split into words on purpose
  out=$(as_tenant $what 2>&1) && fail "the tenant read « $what »: $out"
  grep -q Forbidden <<<"$out" || fail "the tenant's « $what » was refused, but not as Forbidden: $out"
done
say "refused to the tenant: kube-system's pods and the node (Forbidden)"
