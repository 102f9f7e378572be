# shellcheck shell=bash
# start.sh: the cluster is ready when the node has registered and is Ready by this kubelet's own report, and the
# default ServiceAccount exists; the default StorageClass (start/disks.sh: `standard`, the hostPath provisioner, or
# the ext4 disks' local PersistentVolumes) is made on the way.

node_ready() { # Ready=True, reported by THIS kubelet (heartbeat not older than our start)
  local r; r=$(kubectl_ get node "$NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}') || return 1
  [ "${r%% *}" = True ] && [[ ! "${r#* }" < "$START_ISO" ]]; }

wait_until_ready() {
  waitfor "node registered" 120 kubectl_ get node "$NODE"
  storage_classes               # start/disks.sh: the default StorageClass of K8S_VOLUMES (and its disks)
  waitfor "node Ready" 180 node_ready
  waitfor "default ServiceAccount" 60 kubectl_ -n default get sa default
}
