# shellcheck shell=bash
# start.sh: OpenShift's DeploymentConfig (apps.openshift.io/v1, short name dc), as close as Kubernetes allows: the API
# server serves it as a CustomResourceDefinition (with its status and scale subresources), and deploymentconfigs/main.go
# (Go's standard library only, built with build.sh's Go, its vet and tests first) rolls each config out as OpenShift
# does: a ReplicationController NAME-VERSION per template, run by the cluster's own replication controller, under its
# admission and security profile. OpenShift's own controller and oc cannot be fetched here. OpenShift's view, edit and
# admin roles hold DeploymentConfigs: so do this cluster's, by aggregation.

build_deploymentconfigs() {
  DC_BIN=$(build_go deploymentconfigs "the DeploymentConfig controller") || exit 1
  ts "DeploymentConfig controller built ($(basename "$DC_BIN"))"
}

start_deploymentconfigs() {
  kubectl_ apply -f - >/dev/null <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: deploymentconfigs.apps.openshift.io}
spec:
  group: apps.openshift.io
  scope: Namespaced
  names: {plural: deploymentconfigs, singular: deploymentconfig, kind: DeploymentConfig, listKind: DeploymentConfigList, shortNames: [dc]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    # what `oc get dc` prints on OpenShift: NAME REVISION DESIRED CURRENT TRIGGERED BY
    additionalPrinterColumns:
    - {name: Revision, type: integer, jsonPath: .status.latestVersion}
    - {name: Desired, type: integer, jsonPath: .spec.replicas}
    - {name: Current, type: integer, jsonPath: .status.replicas}
    - {name: Triggered By, type: string, jsonPath: '.spec.triggers[*].type'}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
            properties:
              replicas: {type: integer, minimum: 0}
              selector: {type: object, additionalProperties: {type: string}}
              template: {type: object, x-kubernetes-preserve-unknown-fields: true}
              strategy:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  type: {type: string, enum: [Recreate, Rolling, Custom]}
          status: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "pgrh:deploymentconfig-controller"}
rules:
- {apiGroups: [apps.openshift.io], resources: [deploymentconfigs], verbs: [get, list, watch]}
- {apiGroups: [apps.openshift.io], resources: [deploymentconfigs/status], verbs: [get, patch, update]}
- {apiGroups: [""], resources: [replicationcontrollers], verbs: [get, list, watch, create, patch, update]}
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "pgrh:deploymentconfig-controller"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "pgrh:deploymentconfig-controller"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:pgrh-deploymentconfig-controller"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "pgrh:deploymentconfigs-edit"
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true", rbac.authorization.k8s.io/aggregate-to-admin: "true"}
rules:
- {apiGroups: [apps.openshift.io], resources: [deploymentconfigs, deploymentconfigs/scale], verbs: [get, list, watch, create, update, patch, delete, deletecollection]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "pgrh:deploymentconfigs-view"
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [apps.openshift.io], resources: [deploymentconfigs, deploymentconfigs/scale, deploymentconfigs/status], verbs: [get, list, watch]}
YAML
  waitfor "DeploymentConfig served (apps.openshift.io/v1 deploymentconfigs)" 30 kubectl_ get deploymentconfigs -A
  launch deploymentconfigs "$DC_BIN" --api="https://$NODE_IP:6443" --ca="$PKI/ca.crt" \
    --client-cert="$PKI/deploymentconfigs.crt" --client-key="$PKI/deploymentconfigs.key"
  ts "DeploymentConfig controller launched"
}
