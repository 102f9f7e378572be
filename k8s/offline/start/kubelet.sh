# shellcheck shell=bash
# start.sh: the node agents. The kubelet's cgroup root in each controller (stop.sh removes it), the kubelet with no
# cloud provider and the AWS credential provider's metadata lookup disabled, and kube-proxy (iptables mode; the
# conntrack sysctls left alone).

make_cgroups() {
  local s
  for s in "${CGSUBS[@]}"; do
    [ -d "/sys/fs/cgroup/$s" ] || continue
    mkdir -p "/sys/fs/cgroup/$s$CGROOT"
    if [ "$s" = cpuset ]; then
      cat /sys/fs/cgroup/cpuset/cpuset.cpus > "/sys/fs/cgroup/cpuset$CGROOT/cpuset.cpus"
      cat /sys/fs/cgroup/cpuset/cpuset.mems > "/sys/fs/cgroup/cpuset$CGROOT/cpuset.mems"
    fi
  done
}

start_kubelet() {
  cat > "$DATA/kubelet-config.yaml" <<YAML
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
YAML
  # pods' resolv.conf: the cluster DNS only (the host's resolvers are never handed to pods)
  : > "$DATA/dns/resolv.conf"
  launch kubelet env AWS_EC2_METADATA_DISABLED=true HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 "NO_PROXY=$NODE_IP,127.0.0.1" \
    "$BIN/kubelet" --config="$DATA/kubelet-config.yaml" --kubeconfig="$DATA/kubelet.kubeconfig" \
    --container-runtime=remote --container-runtime-endpoint="unix://$CTRD_SOCK" --runtime-request-timeout=10m \
    --hostname-override="$NODE" --node-ip="$NODE_IP" --root-dir="$DATA/kubelet" --cert-dir="$DATA/kubelet/pki" \
    --pod-infra-container-image="$PAUSE_IMAGE" --cloud-provider= --v=1
}

start_kube_proxy() {
  cat > "$DATA/kube-proxy-config.yaml" <<YAML
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
YAML
  launch kube-proxy "$BIN/kube-proxy" --config="$DATA/kube-proxy-config.yaml" --v=1
}
