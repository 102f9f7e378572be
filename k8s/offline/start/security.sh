# shellcheck shell=bash
# start.sh: the pod security profile. K8S_SECURITY=default (today's cluster: no pod security admission) or
# K8S_SECURITY=restricted: kube-apiserver gets the PodSecurityPolicy admission plugin (Kubernetes 1.20 serves
# policy/v1beta1) and the cluster gets ONE policy, pgrh-restricted, as close to OpenShift's restricted-v2 SCC as PSP
# allows, whose `use` is granted to every authenticated user (tenants, their ServiceAccounts, and the controllers
# that create pods for them with their own ServiceAccount's credentials: --use-service-account-credentials).
# There is no second, privileged policy: the control plane and DNS run as host processes (start/control-plane.sh,
# start/dns.sh), never as pods, so nothing needs one, and PSP (which picks any policy that admits a pod unchanged,
# authorised for the requesting user OR the pod's ServiceAccount) has none to hand to anyone, cluster-admin
# included. What PSP cannot reproduce of restricted-v2 is in RESTRICTED.md.

# The admission plugins kube-apiserver runs with, for the profile asked.
admission_plugins() {
  case "$K8S_SECURITY" in
    default) echo NodeRestriction;;
    restricted) echo NodeRestriction,PodSecurityPolicy;;
    *) die "K8S_SECURITY=$K8S_SECURITY: expected default or restricted";;
  esac
}

# The policy and its RBAC, applied as soon as the API server answers: before the controllers start, so that no pod
# (a Deployment left in etcd by an earlier run) is ever considered without it. Under the default profile the objects
# an earlier restricted start left in etcd are removed (without the admission plugin they would do nothing anyway).
apply_security_profile() {
  if [ "$K8S_SECURITY" != restricted ]; then
    kubectl_ delete clusterrolebinding pgrh-psp-restricted --ignore-not-found >/dev/null
    kubectl_ delete clusterrole pgrh-psp-restricted --ignore-not-found >/dev/null
    kubectl_ delete podsecuritypolicy pgrh-restricted --ignore-not-found >/dev/null 2>&1 || true
    return 0
  fi
  kubectl_ apply -f - >/dev/null <<YAML
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: pgrh-restricted
  annotations:
    # restricted-v2's seccompProfiles: [runtime/default]; a pod asking for none gets it, one asking Unconfined is refused
    seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default
    seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default
spec:
  privileged: false
  allowPrivilegeEscalation: false
  defaultAllowPrivilegeEscalation: false
  requiredDropCapabilities: [ALL]
  allowedCapabilities: [NET_BIND_SERVICE]    # restricted-v2 lets a pod add this one back, nothing else
  hostNetwork: false
  hostPID: false
  hostIPC: false
  # no hostPorts entry: no host port at all (allowHostPorts: false)
  readOnlyRootFilesystem: false
  runAsUser:
    rule: MustRunAs                          # restricted-v2: MustRunAsRange, the project's range
    ranges: [{min: $PSP_UID_MIN, max: $PSP_UID_MAX}]
  # runAsGroup left out, as restricted-v2 has no strategy for it: a pod setting nothing runs with GID 0
  fsGroup:
    rule: MustRunAs                          # restricted-v2: MustRunAs, the first value of the project's range
    ranges: [{min: $PSP_UID_MIN, max: $PSP_UID_MAX}]
  supplementalGroups:
    rule: MustRunAs                          # restricted-v2 says RunAsAny here: stricter, see RESTRICTED.md
    ranges: [{min: $PSP_UID_MIN, max: $PSP_UID_MAX}]
  seLinux:
    rule: RunAsAny                           # restricted-v2: MustRunAs with the project's MCS label; no SELinux here
  volumes: [configMap, csi, downwardAPI, emptyDir, persistentVolumeClaim, projected, secret]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: pgrh-psp-restricted
rules:
- apiGroups: [policy]
  resources: [podsecuritypolicies]
  resourceNames: [pgrh-restricted]
  verbs: [use]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: pgrh-psp-restricted
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pgrh-psp-restricted}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
YAML
  local n; n=$(kubectl_ get podsecuritypolicies -o name | wc -l)
  [ "$n" = 1 ] || die "expected exactly one PodSecurityPolicy (pgrh-restricted), found $n: $(kubectl_ get psp -o name | tr '\n' ' ')"
  ts "security profile restricted: PodSecurityPolicy admission, policy pgrh-restricted (UID $PSP_UID_MIN-$PSP_UID_MAX) for system:authenticated"
}
