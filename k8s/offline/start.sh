#!/bin/bash
# Starts the single-node offline Kubernetes 1.20.2 cluster (built by build.sh): etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, a private containerd, kubelet, kube-proxy, CNI bridge, cluster DNS, and
# the resource metrics API that `oc top` reads, and OpenShift's DeploymentConfig (a CRD and its controller).
# The network guard comes first: nothing of the cluster may reach anything but loopback and its own ranges.
# Refuses to run if our cluster already runs. Stop with stop.sh (which undoes every host change).
# Prints `export KUBECONFIG=...` at the end. Opt-in profiles (env.sh): K8S_SECURITY=restricted (PodSecurityPolicy
# as close to OpenShift's restricted-v2 as PSP allows), K8S_VOLUMES=ext4 (claims are ext4 disks on loop devices;
# the default under restricted).
# Each concern is a file of functions under start/, sourced here; this file runs them in order.
set -euo pipefail
set +m
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
T0=$(date +%s%N); START_ISO=$(date -u +%Y-%m-%dT%H:%M:%SZ)
el() { local d=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%03d' $((d/1000)) $((d%1000)); }
ts() { printf '[start %8ss] %s\n' "$(el)" "$*"; }
die() { echo "start: ERROR: $*" >&2; exit 1; }
STARTED=0
on_exit() { [ $STARTED = 1 ] && return; echo "start: failed; logs in $LOG; undoing with stop.sh" >&2; "$HERE/stop.sh" >&2 || true; }
launch() { # name cmd...  (setsid: its own session; the pid file holds the daemon itself)
  local name=$1; shift
  setsid "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  echo $! > "$RUN/$name.pid"
}
waitfor() { # desc timeout cmd...
  local d=$1 t=$2 i; shift 2
  for ((i=0; i<t*5; i++)); do "$@" >/dev/null 2>&1 && { ts "$d"; return 0; }; sleep 0.2; done
  die "timeout waiting for: $d (see $LOG)"
}

# the PostgreSQL majors whose images the cluster gets (PGRH_K8S_PG_MAJORS="15 17": a list of words)
read -r -a PG_MAJORS <<<"${PGRH_K8S_PG_MAJORS:-15}"
PAUSE_IMAGE=k8s.gcr.io/pause:3.4.1
PAUSE_TAR=$CACHE/images/pause-3.4.1.tar

# shellcheck source=start/preflight.sh
. "$HERE/start/preflight.sh"
# shellcheck source=start/host-state.sh
. "$HERE/start/host-state.sh"
# shellcheck source=start/network.sh
. "$HERE/start/network.sh"
# shellcheck source=start/pki.sh
. "$HERE/start/pki.sh"
# shellcheck source=start/images.sh
. "$HERE/start/images.sh"
# shellcheck source=start/security.sh
. "$HERE/start/security.sh"
# shellcheck source=start/disks.sh
. "$HERE/start/disks.sh"
# shellcheck source=start/control-plane.sh
. "$HERE/start/control-plane.sh"
# shellcheck source=start/containerd.sh
. "$HERE/start/containerd.sh"
# shellcheck source=start/kubelet.sh
. "$HERE/start/kubelet.sh"
# shellcheck source=start/dns.sh
. "$HERE/start/dns.sh"
# shellcheck source=start/ready.sh
. "$HERE/start/ready.sh"
# shellcheck source=start/go.sh
. "$HERE/start/go.sh"
# shellcheck source=start/metrics.sh
. "$HERE/start/metrics.sh"
# shellcheck source=start/deploymentconfigs.sh
. "$HERE/start/deploymentconfigs.sh"

preflight                     # before any change to the host
trap on_exit EXIT             # from here on, a failure undoes every change
mkdir -p "$DATA" "$RUN" "$PKI" "$LOG" "$DATA/cni/net.d" "$DATA/cni/ipam" "$DATA/dns" "$CACHE/images"
chmod 700 "$DATA" "$PKI"
save_host_state               # what stop.sh restores
save_metadata_flows           # what check-egress.sh does not count
ts "preflight ok, host state saved"
network_guard                 # before any daemon starts
make_pki
image_archives
build_metrics_api
build_deploymentconfigs
make_cgroups
make_disks                    # K8S_VOLUMES=ext4: loop devices, filesystems, mounts
start_etcd
start_apiserver
apply_security_profile        # K8S_SECURITY: before any controller or kubelet can make a pod
start_controllers
write_cni_config
start_containerd
import_images
start_kubelet
start_kube_proxy
start_dns
ts "kubelet, kube-proxy, DNS launched"
wait_until_ready
start_metrics_api             # once the kubelet serves its summary
start_deploymentconfigs
"$HERE/check-egress.sh"
STARTED=1
ts "cluster up (security profile: $K8S_SECURITY, volumes: $K8S_VOLUMES)"
echo "export KUBECONFIG=$KUBECONFIG"
