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
PORTS=(2379 2380 2381 6443 10248 10249 10250 10256 10257 10259)
# the binaries of the current recipe: build.sh writes $CACHE/bin-<hash>, and this link to it
BIN=$CACHE/bin
KUBECONFIG=$DATA/admin.kubeconfig
export KUBECONFIG
ctr_() { ctr --address "$CTRD_SOCK" -n k8s.io "$@"; }
# kubectl's discovery cache stays in our state directory, never in ~/.kube
kubectl_() { "$BIN/kubectl" --cache-dir="$DATA/kube-cache" --kubeconfig="$KUBECONFIG" "$@"; }
# a conntrack line's original direction, "src=… dst=… sport=… dport=…": what identifies a flow across listings
flow_tuple() { grep -o -E '(src|dst|sport|dport)=[^ ]*' <<<"$1" | head -4 | paste -sd' '; }
