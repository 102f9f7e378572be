# shellcheck shell=bash
# Settings shared by the offline cluster's scripts (sourced, never run). Everything the cluster owns lives
# under three directories and one bridge; nothing here depends on anything outside this clone.
# The settings are read by the scripts that source this file, never here:
# shellcheck disable=SC2034
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${PGRH_K8S_CACHE:-/var/cache/pgrh-k8s}   # build output (binaries per recipe hash), source, Go cache, images
DATA=${PGRH_K8S_DATA:-/var/lib/pgrh-k8s}       # runtime state: PKI, kubeconfigs, etcd, containerd root, logs
RUN=${PGRH_K8S_RUN:-/run/pgrh-k8s}             # pid files, containerd socket and state, runc root
PKI=$DATA/pki
LOG=$DATA/log
NODE=pgrh-k8s-node
BRIDGE=pgrh-k8s0                  # our own bridge (never Docker's docker0, never a generic cni0)
NODE_IP=10.88.0.1                 # the bridge's address: apiserver, kubelet, DNS bind here, never 0.0.0.0
POD_CIDR=10.88.0.0/16
SVC_CIDR=10.0.0.0/24
SVC_API_IP=10.0.0.1
CGROOT=/pgrh-k8s                  # kubelet --cgroup-root (cgroupfs driver)
CTRD_SOCK=$RUN/containerd/containerd.sock
FWD_CHAIN=KUBE-PGRH-FORWARD       # the egress guard; KUBE- prefix so the sweep of KUBE-* chains removes it too
KUBE_VERSION=v1.20.2
CGSUBS=(cpu cpuacct cpuset memory devices freezer blkio pids systemd unified)
# host sysctls the kubelet and kube-proxy change: saved at start, restored at stop
SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes
  net.ipv4.conf.all.route_localnet net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward)
PORTS=(2379 2380 2381 4443 6443 10248 10249 10250 10256 10257 10259)
# the binaries of the current recipe: build.sh writes $CACHE/bin-<hash>, and this link to it
BIN=$CACHE/bin
# Opt-in profiles (start.sh reads them; stop.sh and check-clean.sh undo and check both whatever was chosen):
#   K8S_SECURITY=restricted  the PodSecurityPolicy admission plugin and one policy, pgrh-restricted, as close to
#                            OpenShift's restricted-v2 SCC as PSP allows (start/security.sh, RESTRICTED.md)
#   K8S_VOLUMES=ext4         claims are provisioned disks: ext4 on loop devices, offered as local PersistentVolumes
#                            of the default StorageClass $DISK_CLASS (start/disks.sh), the default in both
#                            profiles; K8S_VOLUMES=hostpath is the in-tree hostPath provisioner, whose root-owned 0750
#                            directories no pod's postgres can traverse to a PGDATA below (the guide's readers have
#                            provisioned volumes: a master keeps its data in a subdirectory of its claim).
K8S_SECURITY=${K8S_SECURITY:-default}
K8S_VOLUMES=${K8S_VOLUMES:-ext4}
K8S_DISKS=${K8S_DISKS:-32}        # how many disks (PersistentVolumes); disk-recycler.sh makes a released one new
K8S_DISK_GI=${K8S_DISK_GI:-20}    # each disk's size in Gi (a sparse file: blocks are used only as written): the guide's
                                  # claims ask 20Gi, and its WAL settings (wal_keep_size 1GB, a slot's retained WAL) fill 1Gi
DISKS=$DATA/disks                 # the disks' backing files (sparse) and, under mnt/, their mount points
DISK_CLASS=standard               # both profiles name their default StorageClass as the guide's PVC does (« Ajuster
                                  # selon votre storage class »): a team adjusts it to its cluster's, which this one is
DISK_LABEL=io.github.pgreplication.offline-disk
PSP_UID_MIN=1000680000            # an OpenShift project's range, as its annotation openshift.io/sa.scc.uid-range
PSP_UID_MAX=1000689999            # "1000680000/10000" gives it: a pod setting nothing runs as the first value
KUBECONFIG=$DATA/admin.kubeconfig
export KUBECONFIG
ctr_() { ctr --address "$CTRD_SOCK" -n k8s.io "$@"; }
# kubectl's discovery cache stays in our state directory, never in ~/.kube
kubectl_() { "$BIN/kubectl" --cache-dir="$DATA/kube-cache" --kubeconfig="$KUBECONFIG" "$@"; }
# a conntrack line's original direction, "src=… dst=… sport=… dport=…": what identifies a flow across listings
flow_tuple() { grep -o -E '(src|dst|sport|dport)=[^ ]*' <<<"$1" | head -4 | paste -sd' '; }

# A watcher's loop (dns-watcher.sh, disk-recycler.sh): `kubectl <args> --watch-only` wakes it, and at least every
# $IDLE seconds it calls the script's `refresh`; a watch the API server ends is started again, at most once a second.
# Runs until TERM or INT.
watch_and_refresh() {
  W_PID=""
  trap '[ -n "$W_PID" ] && kill "$W_PID" 2>/dev/null; exit 0' TERM INT
  while true; do
    # the watch first, then a full read: a change in between is seen twice rather than never
    coproc W { exec "$BIN/kubectl" --cache-dir="$DATA/kube-cache" --kubeconfig="$KUBECONFIG" "$@" \
      --watch-only -o name 2>/dev/null; }
    refresh
    while kill -0 "$W_PID" 2>/dev/null; do
      if read -r -t "$IDLE" _ <&"${W[0]}"; then
        while read -r -t 0.2 _ <&"${W[0]}"; do :; done   # one read for a burst of changes
      elif [ $? -le 128 ]; then
        break                                             # the watch ended (the API server closes it now and then)
      fi
      refresh
    done
    kill "$W_PID" 2>/dev/null; wait "$W_PID" 2>/dev/null
    sleep 1                                               # before watching again, at most once a second
  done
}
