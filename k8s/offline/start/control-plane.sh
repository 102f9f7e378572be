# shellcheck shell=bash
# start.sh: the control plane. etcd on loopback (plain http), kube-apiserver on the bridge address (with the
# aggregation layer, for the metrics API of start/metrics.sh),
# kube-controller-manager (with the hostPath provisioner) and kube-scheduler on loopback. The admission plugins
# follow K8S_SECURITY (start/security.sh).

start_etcd() {
  launch etcd etcd --name pgrh --data-dir "$DATA/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster pgrh=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --quota-backend-bytes 2147483648 --snapshot-count 10000
  waitfor "etcd healthy" 30 curl -sf --noproxy '*' http://127.0.0.1:2379/health
}

start_apiserver() {
  launch kube-apiserver "$BIN/kube-apiserver" \
    --advertise-address="$NODE_IP" --bind-address="$NODE_IP" --secure-port=6443 --insecure-port=0 \
    --etcd-servers=http://127.0.0.1:2379 \
    --service-cluster-ip-range="$SVC_CIDR" --service-node-port-range=30000-30999 \
    --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local --api-audiences=https://kubernetes.default.svc.cluster.local \
    --authorization-mode=Node,RBAC --enable-admission-plugins="$(admission_plugins)" \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --allow-privileged=true --profiling=false --v=1
  waitfor "kube-apiserver ready" 120 kubectl_ get --raw /readyz
}

start_controllers() {
  launch kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$DATA/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$DATA/controller-manager.kubeconfig" --authorization-kubeconfig="$DATA/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --port=0 --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --use-service-account-credentials=true --controllers='*,bootstrapsigner,tokencleaner' \
    --service-cluster-ip-range="$SVC_CIDR" --cluster-cidr="$POD_CIDR" --allocate-node-cidrs=false \
    --enable-hostpath-provisioner=true --profiling=false --v=1
  launch kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$DATA/scheduler.kubeconfig" \
    --authentication-kubeconfig="$DATA/scheduler.kubeconfig" --authorization-kubeconfig="$DATA/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --port=0 --leader-elect=false --profiling=false --v=1
}
