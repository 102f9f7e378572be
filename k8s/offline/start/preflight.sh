# shellcheck shell=bash
# start.sh, before any change to the host: what the cluster runs on is there, and nothing of the cluster runs yet
# (no pid file, no port taken, no bridge, no route to the pod range). Changes nothing.

preflight() {
  local b p m
  for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    [ -x "$BIN/$b" ] || die "missing $BIN/$b: run k8s/offline/build.sh first"; done
  for b in etcd containerd containerd-shim-runc-v2 runc ctr dnsmasq conntrack iptables ip6tables openssl curl gcc ss; do
    command -v "$b" >/dev/null || die "missing $b: run k8s/offline/build.sh first (it installs the Debian packages)"; done
  case "$K8S_SECURITY" in default|restricted) ;; *) die "K8S_SECURITY=$K8S_SECURITY: expected default or restricted";; esac
  case "$K8S_VOLUMES" in
    hostpath) ;;
    ext4)
      for b in losetup mkfs.ext4 mountpoint; do command -v "$b" >/dev/null || die "missing $b (K8S_VOLUMES=ext4)"; done
      [ -e /dev/loop-control ] || die "no /dev/loop-control: K8S_VOLUMES=ext4 needs loop devices"
      [[ "$K8S_DISKS" =~ ^[1-9][0-9]?$ ]] || die "K8S_DISKS=$K8S_DISKS: expected 1 to 99"
      [[ "$K8S_DISK_GI" =~ ^[1-9][0-9]?$ ]] || die "K8S_DISK_GI=$K8S_DISK_GI: expected a size in Gi, 1 to 99";;
    *) die "K8S_VOLUMES=$K8S_VOLUMES: expected hostpath or ext4";;
  esac
  losetup -n -O NAME,BACK-FILE -l | grep -q " $DISKS/" && die "loop devices on $DISKS are attached: run stop.sh"
  for p in bridge host-local loopback; do
    [ -x "/usr/lib/cni/$p" ] || die "missing /usr/lib/cni plugins (containernetworking-plugins)"; done
  ls "$RUN"/*.pid >/dev/null 2>&1 && die "$RUN/*.pid exist: the cluster runs already (stop it with k8s/offline/stop.sh)"
  for p in "${PORTS[@]}"; do ss -Hltn "sport = :$p" | grep -q . && die "port $p is in use"; done
  ip link show "$BRIDGE" >/dev/null 2>&1 && die "interface $BRIDGE exists: run stop.sh"
  ip -4 route | grep -q "^${POD_CIDR%/*}" && die "$POD_CIDR is routed on this host already"
  [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || modprobe br_netfilter 2>/dev/null || die "br_netfilter is not loaded"
  for m in "${PG_MAJORS[@]}"; do
    docker image inspect "pg-replication-harness/postgres:$m" >/dev/null 2>&1 \
      || die "no docker image pg-replication-harness/postgres:$m: run images/build-postgres-image.sh $m"
  done
}
