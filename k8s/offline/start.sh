#!/bin/bash
# Starts the single-node offline Kubernetes 1.20.2 cluster (built by build.sh): etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, a private containerd, kubelet, kube-proxy, CNI bridge, cluster DNS.
# The network guard comes first: nothing of the cluster may reach anything but loopback and its own ranges.
# Refuses to run if our cluster already runs. Stop with stop.sh (which undoes every host change).
# Prints `export KUBECONFIG=...` at the end.
set -euo pipefail
set +m
. "$(dirname "$0")/env.sh"
T0=$(date +%s%N); START_ISO=$(date -u +%Y-%m-%dT%H:%M:%SZ)
el() { local d=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%03d' $((d/1000)) $((d%1000)); }
ts() { printf '[start %8ss] %s\n' "$(el)" "$*"; }
die() { echo "start: ERROR: $*" >&2; exit 1; }
STARTED=0
on_exit() { [ $STARTED = 1 ] && return; echo "start: failed; logs in $LOG; undoing with stop.sh" >&2; "$HERE/stop.sh" >&2 || true; }

# ---- preflight (before any change to the host)
for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  [ -x $BIN/$b ] || die "missing $BIN/$b: run k8s/offline/build.sh first"; done
for b in etcd containerd containerd-shim-runc-v2 runc ctr dnsmasq conntrack iptables ip6tables openssl curl gcc ss; do
  command -v $b >/dev/null || die "missing $b: run k8s/offline/build.sh first (it installs the Debian packages)"; done
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] || die "missing /usr/lib/cni plugins (containernetworking-plugins)"
ls $RUN/*.pid >/dev/null 2>&1 && die "$RUN/*.pid exist: the cluster runs already (stop it with k8s/offline/stop.sh)"
for p in $PORTS; do ss -Hltn "sport = :$p" | grep -q . && die "port $p is in use"; done
ip link show $BRIDGE >/dev/null 2>&1 && die "interface $BRIDGE exists: run stop.sh"
ip -4 route | grep -q "^${POD_CIDR%/*}" && die "$POD_CIDR is routed on this host already"
[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || modprobe br_netfilter 2>/dev/null || die "br_netfilter is not loaded"
PG_MAJORS=${PGRH_K8S_PG_MAJORS:-15}
for m in $PG_MAJORS; do
  docker image inspect pg-replication-harness/postgres:$m >/dev/null 2>&1 || die "no docker image pg-replication-harness/postgres:$m: run images/build-postgres-image.sh $m"
done

trap on_exit EXIT   # from here on, a failure undoes every change
mkdir -p $DATA $RUN $PKI $LOG $DATA/cni/net.d $DATA/cni/ipam $DATA/dns $CACHE/images
chmod 700 $DATA $PKI

# ---- remember the host state we change (stop.sh restores it)
if [ ! -f $DATA/host-state.saved ]; then
  { for s in $SYSCTLS; do echo "$s=$(sysctl -n $s)"; done; } > $DATA/sysctl.saved
  { for d in /var/log/pods /var/log/containers /var/lib/cni /var/run/netns /tmp/hostpath_pv; do
      [ -e $d ] && echo "existed $d" || echo "new $d"; done; } > $DATA/host-state.saved
  ls /var/run/netns 2>/dev/null > $DATA/netns.before || true
fi
# flows to the metadata range already in the conntrack table before anything of ours runs are not ours (the
# machine's own agents, at boot): check-egress.sh names them and does not count them against the cluster
conntrack -L -d 169.254.0.0/16 2>/dev/null | while read -r l; do flow_tuple "$l"; done > $DATA/metadata-flows.before || true
ts "preflight ok, host state saved"

# ---- THE NETWORK GUARD, before any daemon starts.
# Our own bridge; pods get routes to the pod and Service ranges only (no default route), no masquerading;
# the FORWARD chain accepts bridge-to-bridge traffic and drops everything else that enters or leaves the bridge.
ip link add $BRIDGE type bridge
# The bridge's MAC address pinned: left to the kernel, a bridge takes the lowest MAC of its ports, so deleting the
# pod whose veth had it changes the gateway's MAC under every other pod, whose ARP entry then sends its DNS queries
# (and its Service traffic) to a MAC no port has, for tens of seconds: lookups time out. Setting the address
# (addr_assign_type 3, "set") stops the kernel from recalculating it.
ip link set dev $BRIDGE address "$(cat /sys/class/net/$BRIDGE/address)"
[ "$(cat /sys/class/net/$BRIDGE/addr_assign_type)" = 3 ] || die "the bridge's MAC address could not be pinned"
ip addr add $NODE_IP/16 dev $BRIDGE
ip link set $BRIDGE up
for ipt in iptables; do
  $ipt -N $FWD_CHAIN
  $ipt -A $FWD_CHAIN -i $BRIDGE -o $BRIDGE -j ACCEPT
  $ipt -A $FWD_CHAIN -i $BRIDGE -j DROP
  $ipt -A $FWD_CHAIN -o $BRIDGE -j DROP
  $ipt -I FORWARD 1 -j $FWD_CHAIN
done
ts "network guard in place: $FWD_CHAIN (bridge-to-bridge only), no default route for pods"

# ---- PKI (openssl): one CA, one-year leaf certificates, kubeconfigs embedding them
mkcert() { # name CN O SAN
  local n=$1 cn=$2 o=$3 san=${4:-} subj
  [ -f $PKI/$n.crt ] && return 0
  openssl genrsa -out $PKI/$n.key 2048 2>/dev/null
  subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl req -new -key $PKI/$n.key -subj "$subj" -out $PKI/$n.csr
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"; [ -n "$san" ] && echo "subjectAltName=$san"; } > $PKI/$n.ext
  openssl x509 -req -in $PKI/$n.csr -CA $PKI/ca.crt -CAkey $PKI/ca.key -CAcreateserial -days 365 \
    -extfile $PKI/$n.ext -out $PKI/$n.crt 2>/dev/null
}
if [ ! -f $PKI/ca.crt ]; then
  openssl genrsa -out $PKI/ca.key 2048 2>/dev/null
  openssl req -x509 -new -key $PKI/ca.key -subj "/CN=pgrh-k8s-ca" -days 3650 \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" -out $PKI/ca.crt
fi
mkcert apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP,IP:$SVC_API_IP"
mkcert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
mkcert admin admin system:masters
mkcert controller-manager system:kube-controller-manager ""
mkcert scheduler system:kube-scheduler ""
mkcert kube-proxy system:kube-proxy ""
mkcert kubelet system:node:$NODE system:nodes "DNS:$NODE,IP:$NODE_IP"
[ -f $PKI/sa.key ] || { openssl genrsa -out $PKI/sa.key 2048 2>/dev/null; openssl rsa -in $PKI/sa.key -pubout -out $PKI/sa.pub 2>/dev/null; }
mkkubeconfig() { # name cert
  local f=$DATA/$1.kubeconfig
  [ -f $f ] && return 0
  $BIN/kubectl config --kubeconfig=$f set-cluster pgrh-offline --server=https://$NODE_IP:6443 --certificate-authority=$PKI/ca.crt --embed-certs >/dev/null
  $BIN/kubectl config --kubeconfig=$f set-credentials $1 --client-certificate=$PKI/$2.crt --client-key=$PKI/$2.key --embed-certs >/dev/null
  $BIN/kubectl config --kubeconfig=$f set-context pgrh-offline --cluster=pgrh-offline --user=$1 >/dev/null
  $BIN/kubectl config --kubeconfig=$f use-context pgrh-offline >/dev/null
}
for k in admin controller-manager scheduler kube-proxy kubelet; do mkkubeconfig $k $k; done
chmod 600 $DATA/*.kubeconfig
ts "pki and kubeconfigs ready"

# ---- images: a static pause built from the Kubernetes source, the PostgreSQL images from the Docker engine
# (read-only use of the engine: `docker save`); each archive is rebuilt only when its input changes.
PAUSE_TAR=$CACHE/images/pause-3.4.1.tar
if [ ! -s $PAUSE_TAR ]; then
  W=$(mktemp -d); mkdir -p $W/rootfs
  gcc -Os -Wall -Werror -static -DVERSION=v3.4.1 -o $W/rootfs/pause $(ls -d $CACHE/src/kubernetes-*/ | head -1)build/pause/linux/pause.c
  strip $W/rootfs/pause
  "$HERE/mkimage.sh" $W/rootfs k8s.gcr.io/pause:3.4.1 $PAUSE_TAR '["/pause"]' '[]' >/dev/null
  rm -rf $W
fi
for m in $PG_MAJORS; do
  id=$(docker image inspect -f '{{.Id}}' pg-replication-harness/postgres:$m | cut -d: -f2 | cut -c1-16)
  tar=$CACHE/images/postgres-$m-$id.tar
  if [ ! -s $tar ]; then
    rm -f $CACHE/images/postgres-$m-*.tar
    docker save pg-replication-harness/postgres:$m -o $tar.tmp && mv $tar.tmp $tar
  fi
done
ts "image archives ready"

cgroups() {
  for s in $CGSUBS; do
    [ -d /sys/fs/cgroup/$s ] || continue
    mkdir -p /sys/fs/cgroup/$s$CGROOT
    if [ $s = cpuset ]; then
      cat /sys/fs/cgroup/cpuset/cpuset.cpus > /sys/fs/cgroup/cpuset$CGROOT/cpuset.cpus
      cat /sys/fs/cgroup/cpuset/cpuset.mems > /sys/fs/cgroup/cpuset$CGROOT/cpuset.mems
    fi
  done
}
cgroups

launch() { # name cmd...  (setsid: its own session; the pid file holds the daemon itself)
  local name=$1; shift
  setsid "$@" >>$LOG/$name.log 2>&1 </dev/null &
  echo $! > $RUN/$name.pid
}
waitfor() { # desc timeout cmd...
  local d=$1 t=$2 i; shift 2
  for ((i=0; i<t*5; i++)); do "$@" >/dev/null 2>&1 && { ts "$d"; return 0; }; sleep 0.2; done
  die "timeout waiting for: $d (see $LOG)"
}

# ---- etcd: plain http on loopback only
launch etcd etcd --name pgrh --data-dir $DATA/etcd \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster pgrh=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --quota-backend-bytes 2147483648 --snapshot-count 10000
waitfor "etcd healthy" 30 curl -sf --noproxy '*' http://127.0.0.1:2379/health

# ---- kube-apiserver on the bridge address
launch kube-apiserver $BIN/kube-apiserver \
  --advertise-address=$NODE_IP --bind-address=$NODE_IP --secure-port=6443 --insecure-port=0 \
  --etcd-servers=http://127.0.0.1:2379 \
  --service-cluster-ip-range=$SVC_CIDR --service-node-port-range=30000-30999 \
  --client-ca-file=$PKI/ca.crt --tls-cert-file=$PKI/apiserver.crt --tls-private-key-file=$PKI/apiserver.key \
  --kubelet-client-certificate=$PKI/apiserver-kubelet-client.crt --kubelet-client-key=$PKI/apiserver-kubelet-client.key \
  --kubelet-preferred-address-types=InternalIP \
  --service-account-key-file=$PKI/sa.pub --service-account-signing-key-file=$PKI/sa.key \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local --api-audiences=https://kubernetes.default.svc.cluster.local \
  --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --allow-privileged=true --profiling=false --v=1
waitfor "kube-apiserver ready" 120 kubectl_ get --raw /readyz

# ---- controller-manager (with the hostPath provisioner) and scheduler, loopback only
launch kube-controller-manager $BIN/kube-controller-manager \
  --kubeconfig=$DATA/controller-manager.kubeconfig \
  --authentication-kubeconfig=$DATA/controller-manager.kubeconfig --authorization-kubeconfig=$DATA/controller-manager.kubeconfig \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false \
  --service-account-private-key-file=$PKI/sa.key --root-ca-file=$PKI/ca.crt \
  --cluster-signing-cert-file=$PKI/ca.crt --cluster-signing-key-file=$PKI/ca.key \
  --use-service-account-credentials=true --controllers='*,bootstrapsigner,tokencleaner' \
  --service-cluster-ip-range=$SVC_CIDR --cluster-cidr=$POD_CIDR --allocate-node-cidrs=false \
  --enable-hostpath-provisioner=true --profiling=false --v=1
launch kube-scheduler $BIN/kube-scheduler \
  --kubeconfig=$DATA/scheduler.kubeconfig \
  --authentication-kubeconfig=$DATA/scheduler.kubeconfig --authorization-kubeconfig=$DATA/scheduler.kubeconfig \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false --profiling=false --v=1

# ---- the private containerd: own root, state, socket; never the Docker engine's
cat > $DATA/containerd.toml <<EOF
version = 2
root = "$DATA/containerd"
state = "$RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = ""
[debug]
  address = ""
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$DATA/containerd/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    # the local pause image: the sandbox never needs a registry
    sandbox_image = "k8s.gcr.io/pause:3.4.1"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    max_container_log_line_size = 16384
    # root here may lack CAP_SYS_RESOURCE: a negative oom_score_adj (pause: -998) kills runc init
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = false
          BinaryName = "/usr/sbin/runc"
          Root = "$RUN/runc"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$DATA/cni/net.d"
      max_conf_num = 1
EOF
cat > $DATA/cni/net.d/10-pgrh-k8s.conflist <<EOF
{
  "cniVersion": "0.4.0",
  "name": "pgrh-k8s",
  "plugins": [
    { "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "isDefaultGateway": false,
      "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$DATA/cni/ipam",
                "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$NODE_IP", "rangeStart": "10.88.1.1", "rangeEnd": "10.88.255.254" }]],
                "routes": [{ "dst": "$SVC_CIDR" }] } },
    { "type": "loopback" }
  ]
}
EOF
# an image pull is never wanted: any registry traffic goes to a closed local port and fails on the machine
launch containerd env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 \
  https_proxy=http://127.0.0.1:9 NO_PROXY= no_proxy= containerd --config $DATA/containerd.toml --log-level warn
waitfor "containerd up" 30 ctr --address $CTRD_SOCK version
ctr_ images ls -q | grep -qx k8s.gcr.io/pause:3.4.1 || ctr_ images import $PAUSE_TAR >/dev/null
for m in $PG_MAJORS; do
  ctr_ images import $(ls $CACHE/images/postgres-$m-*.tar | head -1) >/dev/null
done
ts "containerd ready; images: $(ctr_ images ls -q | grep -v '^sha256:' | tr '\n' ' ')"

# ---- kubelet: no cloud provider, the AWS credential provider's metadata lookup disabled
cat > $DATA/kubelet-config.yaml <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
cgroupDriver: cgroupfs
cgroupRoot: $CGROOT
cgroupsPerQOS: true
failSwapOn: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
clusterDomain: cluster.local
clusterDNS: [$NODE_IP]
resolvConf: $DATA/dns/resolv.conf
serializeImagePulls: false
maxPods: 50
EOF
# pods' resolv.conf: the cluster DNS only (the host's resolvers are never handed to pods)
: > $DATA/dns/resolv.conf
launch kubelet env AWS_EC2_METADATA_DISABLED=true HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=$NODE_IP,127.0.0.1 \
  $BIN/kubelet --config=$DATA/kubelet-config.yaml --kubeconfig=$DATA/kubelet.kubeconfig \
  --container-runtime=remote --container-runtime-endpoint=unix://$CTRD_SOCK --runtime-request-timeout=10m \
  --hostname-override=$NODE --node-ip=$NODE_IP --root-dir=$DATA/kubelet --cert-dir=$DATA/kubelet/pki \
  --pod-infra-container-image=k8s.gcr.io/pause:3.4.1 --cloud-provider= --v=1

# ---- kube-proxy (iptables); conntrack sysctls left alone
cat > $DATA/kube-proxy-config.yaml <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $DATA/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
launch kube-proxy $BIN/kube-proxy --config=$DATA/kube-proxy-config.yaml --v=1

# ---- cluster DNS: dnsmasq with no upstream on the bridge address, fed from Services by dns-watcher.sh; every
# query and answer logged with its time (dnsmasq-queries.log), every change of its data too (dns-watcher.log)
: > $DATA/dns/hosts
launch dnsmasq dnsmasq --keep-in-foreground --log-facility=$LOG/dnsmasq-queries.log --log-queries --no-resolv --no-hosts --no-poll \
  --bind-interfaces --listen-address=$NODE_IP --port=53 --addn-hosts=$DATA/dns/hosts \
  --local=/cluster.local/ --domain-needed --bogus-priv --cache-size=0 --pid-file= --user=root
launch dns-watcher "$HERE/dns-watcher.sh"
ts "kubelet, kube-proxy, DNS launched"

waitfor "node registered" 120 kubectl_ get node $NODE
kubectl_ apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
EOF
node_ready() { # Ready=True, reported by THIS kubelet (heartbeat not older than our start)
  local r; r=$(kubectl_ get node $NODE -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}') || return 1
  [ "${r%% *}" = True ] && [[ ! "${r#* }" < "$START_ISO" ]]; }
waitfor "node Ready" 180 node_ready
waitfor "default ServiceAccount" 60 kubectl_ -n default get sa default
"$HERE/check-egress.sh"
STARTED=1
ts "cluster up"
echo "export KUBECONFIG=$KUBECONFIG"
