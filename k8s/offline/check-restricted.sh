#!/bin/bash
# The restricted profile's proof, on a cluster started with K8S_SECURITY=restricted (start/security.sh): what an
# OpenShift project's tenant gets under restricted-v2, as far as PodSecurityPolicy reproduces it (RESTRICTED.md).
# Every request below is made AS A TENANT: a ServiceAccount `tenant` holding only the built-in `edit` role in a
# namespace of its own (kubectl --as; the API server adds the ServiceAccount's groups and system:authenticated).
#  1. the policy: PodSecurityPolicy admission on, exactly one policy (pgrh-restricted), usable by the tenant and by
#     the controllers that create pods for it, no other policy anyone could be given;
#  2. refused, each message printed: a pod asking for UID 0; a privileged pod; a hostPath volume; a Deployment asking
#     for UID 0 (its ReplicaSet's pods refused: the controller acting for the tenant gets no more than the tenant);
#  3. a pod with no securityContext on a claim of the default StorageClass runs as the range's first UID with GID 0,
#     the range's first value as fsGroup, no capability, no privilege escalation; `id` and the claim's root printed.
#     Under K8S_VOLUMES=ext4 its claim is an ext4 filesystem whose root belongs to root with lost+found, and the
#     kubelet gave it the pod's fsGroup; the claim deleted, its disk is made new and offered again (disk-recycler.sh).
# Exit 1 with what was seen otherwise. Leaves no namespace behind.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
NS=pgrh-restricted-check-$$
IMAGE=docker.io/pg-replication-harness/postgres:15
TENANT=system:serviceaccount:$NS:tenant
fail() { echo "check-restricted: FAILED: $*" >&2; exit 1; }
say() { echo "check-restricted: $*"; }
as_tenant() { kubectl_ --as="$TENANT" -n "$NS" "$@"; }
trap 'kubectl_ -n "$NS" delete pod,deploy --all --grace-period=0 --force >/dev/null 2>&1; kubectl_ delete namespace "$NS" --timeout=90s >/dev/null 2>&1 || true' EXIT

# 1. the policy and who may use it
pgrep -a -F "$RUN/kube-apiserver.pid" 2>/dev/null | grep -q -- '--enable-admission-plugins=[^ ]*PodSecurityPolicy' \
  || fail "kube-apiserver runs without the PodSecurityPolicy admission plugin (start the cluster with K8S_SECURITY=restricted)"
psps=$(kubectl_ get podsecuritypolicies -o name | tr '\n' ' ')
[ "$psps" = "podsecuritypolicy.policy/pgrh-restricted " ] || fail "expected one PodSecurityPolicy, pgrh-restricted; found: $psps"
kubectl_ create namespace "$NS" >/dev/null
kubectl_ -n "$NS" create serviceaccount tenant >/dev/null
kubectl_ -n "$NS" create rolebinding tenant-edit --clusterrole=edit --serviceaccount="$NS:tenant" >/dev/null
for who in "$TENANT" "system:serviceaccount:$NS:default" system:serviceaccount:kube-system:replicaset-controller \
    system:serviceaccount:kube-system:statefulset-controller system:serviceaccount:kube-system:job-controller; do
  [ "$(kubectl_ auth can-i use podsecuritypolicy/pgrh-restricted --as="$who" 2>/dev/null)" = yes ] \
    || fail "$who may not use pgrh-restricted"
done
[ "$(as_tenant auth can-i create pods)" = yes ] || fail "the tenant (edit) may not create pods"
[ "$(as_tenant auth can-i create podsecuritypolicies 2>/dev/null || true)" = no ] || fail "the tenant may create PodSecurityPolicies"
say "policy: PodSecurityPolicy admission on; the one policy is pgrh-restricted (runAsUser $PSP_UID_MIN-$PSP_UID_MAX), usable by the tenant (edit in $NS), its namespace's ServiceAccounts and the controllers; no other policy exists"

# 2. what a tenant is refused
pod() { # name securityContext-of-the-container [extra pod-spec lines]
  cat <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: $IMAGE, imagePullPolicy: Never, command: [sleep, "600"], securityContext: $2}
${3:-}
YAML
}
refused() { # what, manifest on stdin: the creation must fail with a PodSecurityPolicy message, printed
  local out
  if out=$(as_tenant create -f - 2>&1); then fail "$1 was admitted: $out"; fi
  grep -q 'PodSecurityPolicy' <<<"$out" || fail "$1 was refused, but not by the policy: $out"
  say "refused: $1: $out"
}
pod root '{runAsUser: 0}' | refused "a pod asking for UID 0 (runAsUser: 0)"
pod priv '{privileged: true}' | refused "a privileged pod"
pod hostpath '{}' '  volumes: [{name: h, hostPath: {path: /etc}}]' | refused "a pod with a hostPath volume"
as_tenant create -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: root}
spec:
  replicas: 1
  selector: {matchLabels: {app: root}}
  template:
    metadata: {labels: {app: root}}
    spec:
      containers:
      - {name: c, image: $IMAGE, imagePullPolicy: Never, command: [sleep, "600"], securityContext: {runAsUser: 0}}
YAML
msg=""
for _ in $(seq 60); do
  msg=$(kubectl_ -n "$NS" get events --field-selector reason=FailedCreate -o jsonpath='{.items[0].message}' 2>/dev/null || true)
  [ -n "$msg" ] && break; sleep 1
done
[ -n "$msg" ] || fail "the Deployment asking for UID 0 got no FailedCreate event in 60 s: $(kubectl_ -n "$NS" get pods -o wide 2>&1)"
grep -q PodSecurityPolicy <<<"$msg" || fail "the Deployment's pod was refused, but not by the policy: $msg"
[ -z "$(kubectl_ -n "$NS" get pods -l app=root -o name)" ] || fail "the Deployment asking for UID 0 has a pod"
say "refused: a Deployment asking for UID 0, its ReplicaSet's pod (made by the replicaset-controller): $msg"

# 3. a pod that sets nothing, on a claim of the default StorageClass
sc=$(kubectl_ get storageclass -o jsonpath='{range .items[?(@.metadata.annotations.storageclass\.kubernetes\.io/is-default-class=="true")]}{.metadata.name}{end}')
as_tenant create -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: $IMAGE
    imagePullPolicy: Never
    command: [sleep, "600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
YAML
as_tenant wait --for=condition=Ready pod/plain --timeout=120s >/dev/null \
  || fail "the pod with no securityContext did not become Ready: $(kubectl_ -n "$NS" describe pod plain | tail -15)"
psp=$(kubectl_ -n "$NS" get pod plain -o jsonpath='{.metadata.annotations.kubernetes\.io/psp}')
sctx=$(kubectl_ -n "$NS" get pod plain -o jsonpath='pod {.spec.securityContext}; container {.spec.containers[0].securityContext}')
[ "$psp" = pgrh-restricted ] || fail "the pod was admitted by '$psp', not pgrh-restricted"
id=$(as_tenant exec plain -- id)
uid=$(as_tenant exec plain -- id -u); gid=$(as_tenant exec plain -- id -g); groups=$(as_tenant exec plain -- id -G)
status=$(as_tenant exec plain -- grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/1/status | tr -s '\t ' ' ' | paste -sd';')
say "pod plain (no securityContext asked), admitted by $psp, as mutated: $sctx"
say "id inside: $id"
say "process: $status"
[ "$uid" = "$PSP_UID_MIN" ] || fail "the pod runs as UID $uid, not $PSP_UID_MIN"
[ "$gid" = 0 ] || fail "the pod runs with GID $gid, not 0"
grep -qw "$PSP_UID_MIN" <<<"$groups" || fail "the pod's groups ($groups) lack the fsGroup $PSP_UID_MIN"
grep -q 'CapEff: 0000000000000000' <<<"$status" || fail "the pod's process has capabilities: $status"
grep -q 'NoNewPrivs: 1' <<<"$status" || fail "the pod's process may gain privileges: $status"
# the claim: what the pod sees at its root
fs=$(as_tenant exec plain -- stat -f -c %T /data)
root=$(as_tenant exec plain -- stat -c '%u:%g %A %n' /data)
lf=$(as_tenant exec plain -- sh -c 'stat -c "%u:%g %A %n" /data/lost+found 2>&1 || true')
as_tenant exec plain -- sh -c 'echo probe > /data/probe' || fail "the pod cannot write at its claim's root $root"
probe=$(as_tenant exec plain -- stat -c '%u:%g %A %n' /data/probe)
pv=$(kubectl_ -n "$NS" get pvc data -o jsonpath='{.spec.volumeName}')
say "claim data (StorageClass $sc, PersistentVolume $pv): filesystem $fs; $root; $lf; the pod wrote $probe"
provisioner=$(kubectl_ get storageclass "$sc" -o jsonpath='{.provisioner}')
if [ "$provisioner" = kubernetes.io/no-provisioner ]; then
  [ "$fs" = ext2/ext3 ] || fail "the claim is not an ext4 disk (stat -f says $fs)"
  [ "${root%% *}" = "0:$PSP_UID_MIN" ] || fail "the claim's root is $root: expected owner root, group the fsGroup $PSP_UID_MIN"
  [[ "$lf" == "0:$PSP_UID_MIN "* ]] || fail "no lost+found (owner root, group the fsGroup) at the claim's root: $lf"
  kubectl_ -n "$NS" delete pod plain --grace-period=0 --force >/dev/null 2>&1
  as_tenant delete pvc data --timeout=60s >/dev/null
  phase=""
  for _ in $(seq 60); do
    phase=$(kubectl_ get pv "$pv" -o jsonpath='{.status.phase}'); [ "$phase" = Available ] && break; sleep 1; done
  [ "$phase" = Available ] || fail "$pv is $phase 60 s after its claim went (disk-recycler.sh: $(tail -3 "$LOG/disk-recycler.log"))"
  left=$(find "$DISKS/mnt/${pv#pgrh-}" -mindepth 1 -maxdepth 1 -printf "%f ")
  [ "$left" = "lost+found " ] || fail "$pv was offered again holding: $left"
  say "disk: ext4 (stat -f reports ext2/ext3), root root-owned with the fsGroup applied by the kubelet, lost+found; its claim deleted, $pv was made new (holding only lost+found) and is Available again"
else
  say "volumes: the default StorageClass $sc is $provisioner's, not the ext4 disks: the disk checks are skipped (K8S_VOLUMES=ext4 to run them)"
fi
say "passed: UID 0, privilege and hostPath refused to the tenant and to the controller acting for it; a pod setting nothing runs as $uid:$gid with groups $groups"
