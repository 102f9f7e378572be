#!/bin/bash
# The DeploymentConfig's proof (start/deploymentconfigs.sh, deploymentconfigs/main.go), on a started cluster, as a
# tenant holding `edit` in its namespace, with the harness's own `oc` (oc-on-kubectl.sh):
#  1. the API server serves apps.openshift.io/v1 deploymentconfigs, short name dc;
#  2. `oc apply -f` of a config rolls it out: `oc rollout status dc/NAME` ends with OpenShift's line, the pod is the
#     ReplicationController NAME-1's, with OpenShift's labels, and `oc get pods -l` of the template's label finds it;
#     once rolled out, the config is written no more (its resourceVersion stays while another config rolls out);
#  3. a new template is a new version, and Recreate holds: the old pod is gone before the new one is made; a config's
#     `oc get -o yaml` saved before it changed is refused by `oc apply` (Conflict), as by any API server;
#  4. a rollout whose pod never becomes ready fails after its timeoutSeconds, counted from its scale-up as OpenShift's
#     deployer counts it: `oc rollout status` exits 1 with OpenShift's error, and the last complete version is scaled
#     back up;
#  5. `view` reads configs and cannot change one; deleting a config deletes its RCs and pods.
# Exit 1 with what was seen otherwise. Leaves no namespace behind.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
NS=pgrh-dc-check-$$
IMAGE=docker.io/pg-replication-harness/postgres:15
TENANT=system:serviceaccount:$NS:tenant
VIEWER=system:serviceaccount:$NS:viewer
OC=$HERE/../../src/main/resources/io/github/pgreplication/harness/backend/kubernetes/oc-on-kubectl.sh
WATCH=""
fail() { echo "check-deploymentconfigs: FAILED: $*" >&2; exit 1; }
say() { echo "check-deploymentconfigs: $*"; }
cleanup() {
  [ -n "$WATCH" ] && kill "$WATCH" 2>/dev/null
  kubectl_ -n "$NS" delete deploymentconfigs --all --wait=false >/dev/null 2>&1
  kubectl_ -n "$NS" delete pod --all --grace-period=0 --force >/dev/null 2>&1
  kubectl_ delete namespace "$NS" --timeout=90s >/dev/null 2>&1 || true
}
trap cleanup EXIT
# the tenant's oc; a rollout status that never ends is cut after 120 s (exit 124)
oc() { timeout 120 env KUBECTL="$BIN/kubectl" bash "$OC" --cache-dir="$DATA/kube-cache" --kubeconfig="$KUBECONFIG" --as="$TENANT" -n "$NS" "$@"; }
# a config whose pod runs $2 (a shell line) and is ready once /tmp/ready exists; $3: its recreateParams' timeout
config() {
  cat <<YAML
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: check}
spec:
  replicas: 1
  selector: {name: check}
  strategy: {type: Recreate, recreateParams: {timeoutSeconds: $3}}
  triggers: [{type: ConfigChange}]
  template:
    metadata: {labels: {name: check}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: main
        image: $IMAGE
        imagePullPolicy: Never
        command: [sh, -c, "$2"]
        env: [{name: VERSION, value: "$1"}]
        readinessProbe: {exec: {command: [test, -e, /tmp/ready]}, periodSeconds: 1}
YAML
}
pods() { kubectl_ -n "$NS" get pods -l name=check -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.labels.deployment}{" "}{.metadata.labels.deploymentconfig}{"\n"}{end}'; }

# 1. served
found=$(kubectl_ api-resources --api-group=apps.openshift.io --no-headers) || fail "api-resources: $found"
grep -qE '^deploymentconfigs +dc +apps.openshift.io/v1 +true +DeploymentConfig$' <<<"$found" \
  || fail "apps.openshift.io serves no deploymentconfigs with the short name dc: « $found »"
say "served: $found"

kubectl_ create namespace "$NS" >/dev/null
for who in tenant:edit viewer:view; do
  kubectl_ -n "$NS" create serviceaccount "${who%%:*}" >/dev/null
  kubectl_ -n "$NS" create rolebinding "${who%%:*}" --clusterrole="${who##*:}" --serviceaccount="$NS:${who%%:*}" >/dev/null
done

# 2. the first version
config 1 'touch /tmp/ready; exec sleep 3600' 60 | oc apply -f - >/dev/null
out=$(oc rollout status dc/check 2>&1) || fail "oc rollout status dc/check (the first version) did not succeed: $out"
[ "$(tail -1 <<<"$out")" = 'replication controller "check-1" successfully rolled out' ] || fail "oc rollout status dc/check printed: $out"
say "oc rollout status dc/check, first version: $(tail -1 <<<"$out")"
owner=$(kubectl_ -n "$NS" get rc check-1 -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}')
[ "$owner" = DeploymentConfig/check ] || fail "rc check-1 is owned by « $owner », not DeploymentConfig/check"
seen=$(pods)
if [ "$(wc -l <<<"$seen")" != 1 ] || [ "${seen#* }" != "check-1 check" ]; then fail "oc get pods -l name=check: « $seen »"; fi
say "its pod ${seen%% *}, labels deployment=check-1 deploymentconfig=check, of rc check-1 owned by the config"

# 2b. a rolled-out config is written no more (its controller writes a status only where it changed, as OpenShift's):
# its resourceVersion stays while another config of the namespace rolls out, so that a file of its `oc get -o yaml`,
# edited and applied later as Étape 1.5 does, meets no Conflict
rv=$(oc get dc/check -o jsonpath='{.metadata.resourceVersion}')
config 1 'touch /tmp/ready; exec sleep 3600' 60 | sed 's/check/other/g' | oc apply -f - >/dev/null
out=$(oc rollout status dc/other 2>&1) || fail "oc rollout status dc/other did not succeed: $out"
now=$(oc get dc/check -o jsonpath='{.metadata.resourceVersion}')
[ "$now" = "$rv" ] || fail "dc/check, rolled out, was written while dc/other rolled out: resourceVersion $rv, then $now"
oc delete dc/other >/dev/null
say "a rolled-out config is written no more: dc/check kept resourceVersion $rv while dc/other rolled out"

# 3. a new template: version 2, the old pod gone before the new is made; the first version's `oc get -o yaml`, as
# Étape 1.1 saves it, then no longer applies: it holds the resourceVersion of then (optimistic concurrency)
oc get dc/check -o yaml > "$RUN/dc-check-$$.backup"
kubectl_ -n "$NS" get pods -l deploymentconfig=check --watch-only --output-watch-events \
  -o 'jsonpath={.type} {.object.metadata.name}{"\n"}' > "$RUN/dc-check-$$.events" 2>&1 &
WATCH=$!
config 2 'touch /tmp/ready; exec sleep 3600' 100 | oc apply -f - >/dev/null # the older pod may take a minute to go on a loaded node
out=$(oc rollout status dc/check 2>&1) || fail "oc rollout status dc/check (the second version) did not succeed: $out"
[ "$(tail -1 <<<"$out")" = 'replication controller "check-2" successfully rolled out' ] || fail "oc rollout status dc/check printed: $out"
kill "$WATCH"; WATCH=""
events=$(cat "$RUN/dc-check-$$.events"); rm -f "$RUN/dc-check-$$.events"
gone=$(grep -n "^DELETED ${seen%% *}$" <<<"$events" | cut -d: -f1); made=$(grep -n '^ADDED check-2-' <<<"$events" | head -1 | cut -d: -f1)
if [ -z "$gone" ] || [ -z "$made" ] || [ "$gone" -ge "$made" ]; then
  fail "Recreate: the old pod's deletion does not come before the new pod's creation: $events"
fi
second=$(pods); second=${second%% *}
say "second version: $(tail -1 <<<"$out"); Recreate: ${seen%% *} deleted before $second was made"
set +e; out=$(oc apply -f "$RUN/dc-check-$$.backup" 2>&1); code=$?; set -e; rm -f "$RUN/dc-check-$$.backup"
if [ $code != 1 ] || ! grep -q 'Error from server (Conflict)' <<<"$out" || ! grep -q 'the object has been modified' <<<"$out"; then
  fail "oc apply of the first version's oc get -o yaml, after the second: exit $code, $(tail -1 <<<"$out")"
fi
say "the first version's oc get -o yaml, applied after the second: refused, Conflict (its resourceVersion is old)"

# 4. a version that never becomes ready fails after its timeout; version 2 comes back
config 3 'exec sleep 3600' 15 | oc apply -f - >/dev/null
set +e; out=$(oc rollout status dc/check 2>&1); code=$?; set -e
if [ $code != 1 ] || [ "$(tail -1 <<<"$out")" != 'error: replication controller "check-3" has failed progressing' ]; then
  fail "oc rollout status of a version that never becomes ready exited $code: $out"
fi
scaled_up=$(kubectl_ -n "$NS" get rc check-3 -o jsonpath='{.metadata.annotations.deploymentconfigs\.pg-replication-harness\.io/scaled-up}')
[ -n "$scaled_up" ] || fail "check-3 failed before it was scaled up: the older pod's going was taken for its timeout"
# check-2's pod of before goes first (Recreate scaled it down; a loaded node may still be stopping it): a selector
# would pick it up, and a pod that goes never becomes ready (kubectl 1.20's wait for the deletion of a pod already
# gone fails: what counts is that it is gone)
kubectl_ -n "$NS" wait --for=delete "pod/$second" --timeout=60s >/dev/null 2>&1 \
  || [ -z "$(kubectl_ -n "$NS" get pod "$second" --ignore-not-found -o name)" ] || fail "$second, scaled down, is still there"
kubectl_ -n "$NS" wait --for=condition=ready pod -l deployment=check-2 --timeout=60s >/dev/null \
  || fail "check-2 was not scaled back up: $(pods)"
phase=$(kubectl_ -n "$NS" get rc check-3 -o jsonpath='{.metadata.annotations.openshift\.io/deployment\.phase} {.spec.replicas}')
[ "$phase" = "Failed 0" ] || fail "rc check-3: phase and replicas « $phase », not « Failed 0 »"
say "a version never ready: « $(tail -1 <<<"$out") » (exit 1), 15 s after its scale-up at $scaled_up; check-3 Failed at 0, check-2's pod back and ready"

# 5. rights, and deletion
kubectl_ --as="$VIEWER" -n "$NS" get dc check >/dev/null || fail "view cannot read dc/check"
out=$(kubectl_ --as="$VIEWER" -n "$NS" scale dc/check --replicas=0 2>&1) && fail "view scaled dc/check: $out"
grep -q Forbidden <<<"$out" || fail "view's scale was refused, but not as Forbidden: $out"
oc delete dc/check >/dev/null
kubectl_ -n "$NS" wait --for=delete pod -l deploymentconfig=check --timeout=60s >/dev/null 2>&1 || true
left=$(kubectl_ -n "$NS" get rc,pods -l deploymentconfig=check --no-headers 2>&1; kubectl_ -n "$NS" get rc --no-headers 2>&1)
! grep -qv 'No resources found' <<<"$left" || fail "after oc delete dc/check, left: $left"
say "view reads configs and may not scale one (Forbidden); oc delete dc/check took its RCs and pods"
