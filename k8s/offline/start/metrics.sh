# shellcheck shell=bash
# start.sh: the resource metrics API (metrics.k8s.io/v1beta1) that `kubectl top` / `oc top` read, as a cluster with
# metrics-server serves it. metrics-server's image cannot be pulled here nor its Go modules fetched, so the API is
# metrics-api/main.go (Go's standard library only, built with build.sh's Go): a daemon on the node, as the other
# control-plane daemons, behind the API server's aggregation layer (its front proxy's client certificate required,
# each request authorised for the user the front proxy names by a SubjectAccessReview), serving the kubelet's own
# figures (/stats/summary: each container's CPU and working-set memory from its cgroups). Built by start/go.sh.

METRICS_PORT=4443
METRICS_SVC=pgrh-metrics-api

build_metrics_api() {
  METRICS_BIN=$(build_go metrics-api "the metrics API") || exit 1
  ts "metrics API built ($(basename "$METRICS_BIN"))"
}

start_metrics_api() {
  launch metrics-api "$METRICS_BIN" --listen="$NODE_IP:$METRICS_PORT" \
    --tls-cert="$PKI/metrics-api.crt" --tls-key="$PKI/metrics-api.key" \
    --requestheader-client-ca="$PKI/front-proxy-ca.crt" --requestheader-allowed-name=front-proxy-client \
    --api="https://$NODE_IP:6443" --kubelet="https://$NODE_IP:10250" --ca="$PKI/ca.crt" \
    --client-cert="$PKI/metrics-api.crt" --client-key="$PKI/metrics-api.key"
  kubectl_ apply -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "pgrh:metrics-api"}
rules:
- {apiGroups: [""], resources: [nodes/stats], verbs: [get]}
- {apiGroups: [""], resources: [pods], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "pgrh:metrics-api"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "pgrh:metrics-api"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:pgrh-metrics-api"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "pgrh:metrics-api:auth-delegator"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:pgrh-metrics-api"}]
---
# As metrics-server's: whoever may view a namespace may read its pods' metrics (OpenShift's view, edit and admin do).
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "pgrh:aggregated-metrics-reader"
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
    rbac.authorization.k8s.io/aggregate-to-admin: "true"
rules:
- {apiGroups: [metrics.k8s.io], resources: [pods, nodes], verbs: [get, list, watch]}
---
apiVersion: v1
kind: Service
metadata: {name: $METRICS_SVC, namespace: kube-system}
spec:
  ports: [{name: https, port: 443, targetPort: $METRICS_PORT}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: $METRICS_SVC, namespace: kube-system}
subsets: [{addresses: [{ip: "$NODE_IP"}], ports: [{name: https, port: $METRICS_PORT}]}]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: {namespace: kube-system, name: $METRICS_SVC, port: 443}
  caBundle: $(base64 -w0 "$PKI/ca.crt")
  groupPriorityMinimum: 100
  versionPriority: 100
YAML
  waitfor "metrics API served (APIService v1beta1.metrics.k8s.io available)" 60 metrics_available
}

metrics_available() {
  [ "$(kubectl_ get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}')" = True ]
}
