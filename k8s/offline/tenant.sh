#!/usr/bin/env bash
# A tenant of the offline cluster, as an OpenShift project's member has it: a namespace, a ServiceAccount `tenant`
# bound there to the built-in ROLE (edit or admin: the guide's « Prérequis »), and a kubeconfig holding only that
# ServiceAccount's token (no client certificate, no other right). The harness runs as it with
#   -Dharness.kubeconfig=$DATA/tenant-ROLE.kubeconfig -Dharness.kube.namespace=pgrh-tenant-ROLE
# Usage: tenant.sh edit|admin       prints the kubeconfig's path
#        tenant.sh --remove ROLE    checks that the runs left nothing in the namespace (only what Kubernetes and this
#                                   script put there may remain), then deletes it and the kubeconfig; exit 1 when
#                                   something was left (it is deleted all the same)
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
fail() { echo "tenant: $*" >&2; exit 1; }
remove=false
if [ "${1:-}" = --remove ]; then remove=true; shift; fi
ROLE=${1:-}
case "$ROLE" in edit|admin) ;; *) fail "usage: tenant.sh [--remove] edit|admin (the built-in role the tenant holds in its namespace)";; esac
NS=pgrh-tenant-$ROLE
FILE=$DATA/tenant-$ROLE.kubeconfig
if $remove; then
  left=
  if kubectl_ get namespace "$NS" >/dev/null 2>&1; then
    # What a run makes; Kubernetes' own (kube-root-ca.crt, the ServiceAccounts' token Secrets) and the tenant's
    # ServiceAccount and RoleBinding are not a run's.
    left=$(kubectl_ -n "$NS" get deployments,replicasets,cronjobs,jobs,pods,services,endpoints,networkpolicies,configmaps,secrets,persistentvolumeclaims \
      -o go-template='{{range .items}}{{if not (or (eq .kind "ConfigMap" "Endpoints") (eq (or .type "") "kubernetes.io/service-account-token"))}}{{.kind}}/{{.metadata.name}} {{end}}{{if eq .kind "ConfigMap"}}{{if ne .metadata.name "kube-root-ca.crt"}}{{.kind}}/{{.metadata.name}} {{end}}{{end}}{{end}}')
    kubectl_ delete namespace "$NS" --timeout=180s >/dev/null
  fi
  rm -f "$FILE"
  [ -z "$left" ] || fail "the runs left in namespace $NS: $left(deleted now with the namespace)"
  echo "tenant: the runs left nothing in namespace $NS; removed it and $FILE"
  exit 0
fi
[ -r "$KUBECONFIG" ] || fail "the offline cluster is not running (no $KUBECONFIG): k8s/offline/start.sh first"
kubectl_ get namespace "$NS" >/dev/null 2>&1 || kubectl_ create namespace "$NS" >/dev/null
kubectl_ label namespace "$NS" pgrh-k8s/tenant="$ROLE" --overwrite >/dev/null
kubectl_ -n "$NS" get serviceaccount tenant >/dev/null 2>&1 || kubectl_ -n "$NS" create serviceaccount tenant >/dev/null
kubectl_ -n "$NS" get rolebinding "tenant-$ROLE" >/dev/null 2>&1 \
  || kubectl_ -n "$NS" create rolebinding "tenant-$ROLE" --clusterrole="$ROLE" --serviceaccount="$NS:tenant" >/dev/null
# Kubernetes 1.20 makes the ServiceAccount's token Secret itself: wait for it (a named condition, 60 s).
secret=
for _ in $(seq 1 120); do
  secret=$(kubectl_ -n "$NS" get serviceaccount tenant -o jsonpath='{.secrets[0].name}' 2>/dev/null || true)
  [ -n "$secret" ] && break
  sleep 0.5
done
[ -n "$secret" ] || fail "the ServiceAccount $NS/tenant got no token Secret within 60 s"
token=$(kubectl_ -n "$NS" get secret "$secret" -o jsonpath='{.data.token}' | base64 -d)
umask 077
rm -f "$FILE"
"$BIN/kubectl" config --kubeconfig="$FILE" set-cluster pgrh-offline --server="https://$NODE_IP:6443" \
  --certificate-authority="$PKI/ca.crt" --embed-certs >/dev/null
"$BIN/kubectl" config --kubeconfig="$FILE" set-credentials "tenant-$ROLE" --token="$token" >/dev/null
"$BIN/kubectl" config --kubeconfig="$FILE" set-context "tenant-$ROLE" --cluster=pgrh-offline --user="tenant-$ROLE" \
  --namespace="$NS" >/dev/null
"$BIN/kubectl" config --kubeconfig="$FILE" use-context "tenant-$ROLE" >/dev/null
# The proof that it is a tenant and nothing more: what it may and may not do.
can() { "$BIN/kubectl" --kubeconfig="$FILE" auth can-i "$@" 2>/dev/null || true; }
[ "$(can create pods -n "$NS")" = yes ] || fail "the tenant may not create pods in $NS"
[ "$(can create namespaces)" = no ] || fail "the tenant may create namespaces"
[ "$(can list nodes)" = no ] || fail "the tenant may list nodes"
[ "$(can get pods -n default)" = no ] || fail "the tenant may read another namespace"
binds=$(can create rolebindings -n "$NS")
case "$ROLE:$binds" in edit:no|admin:yes) ;; *) fail "the tenant ($ROLE) answers '$binds' to: may it bind roles in $NS?";; esac
echo "$FILE"
