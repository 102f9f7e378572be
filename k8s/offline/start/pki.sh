# shellcheck shell=bash
# start.sh: the cluster's PKI (openssl): one CA, one-year leaf certificates, and kubeconfigs embedding them.
# Each file is made once and kept in $PKI and $DATA across restarts (stop.sh --purge deletes them).

mkcert() { # name CN O SAN   (signed by $PKI/${CA:-ca})
  local n=$1 cn=$2 o=$3 san=${4:-} subj
  [ -f "$PKI/$n.crt" ] && return 0
  openssl genrsa -out "$PKI/$n.key" 2048 2>/dev/null
  subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl req -new -key "$PKI/$n.key" -subj "$subj" -out "$PKI/$n.csr"
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"; [ -n "$san" ] && echo "subjectAltName=$san"; } > "$PKI/$n.ext"
  openssl x509 -req -in "$PKI/$n.csr" -CA "$PKI/${CA:-ca}.crt" -CAkey "$PKI/${CA:-ca}.key" -CAcreateserial -days 365 \
    -extfile "$PKI/$n.ext" -out "$PKI/$n.crt" 2>/dev/null
}

mkkubeconfig() { # name cert
  local f=$DATA/$1.kubeconfig
  [ -f "$f" ] && return 0
  "$BIN/kubectl" config --kubeconfig="$f" set-cluster pgrh-offline --server="https://$NODE_IP:6443" --certificate-authority="$PKI/ca.crt" --embed-certs >/dev/null
  "$BIN/kubectl" config --kubeconfig="$f" set-credentials "$1" --client-certificate="$PKI/$2.crt" --client-key="$PKI/$2.key" --embed-certs >/dev/null
  "$BIN/kubectl" config --kubeconfig="$f" set-context pgrh-offline --cluster=pgrh-offline --user="$1" >/dev/null
  "$BIN/kubectl" config --kubeconfig="$f" use-context pgrh-offline >/dev/null
}

make_pki() {
  local k
  for k in ca front-proxy-ca; do # the cluster's CA; the aggregation layer's, whose one client is the API server's front proxy
    if [ ! -f "$PKI/$k.crt" ]; then
      openssl genrsa -out "$PKI/$k.key" 2048 2>/dev/null
      openssl req -x509 -new -key "$PKI/$k.key" -subj "/CN=pgrh-k8s-$k" -days 3650 \
        -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" -out "$PKI/$k.crt"
    fi
  done
  mkcert apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$NODE_IP,IP:$SVC_API_IP"
  mkcert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  mkcert admin admin system:masters
  mkcert controller-manager system:kube-controller-manager ""
  mkcert scheduler system:kube-scheduler ""
  mkcert kube-proxy system:kube-proxy ""
  mkcert kubelet "system:node:$NODE" system:nodes "DNS:$NODE,IP:$NODE_IP"
  CA=front-proxy-ca mkcert front-proxy-client front-proxy-client ""
  # the metrics API (start/metrics.sh): served as its Service's name, and its identity to the API server and kubelet
  mkcert metrics-api system:pgrh-metrics-api "" "DNS:pgrh-metrics-api.kube-system.svc,IP:$NODE_IP"
  mkcert deploymentconfigs system:pgrh-deploymentconfig-controller "" # its identity to the API server
  [ -f "$PKI/sa.key" ] || { openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null; openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null; }
  for k in admin controller-manager scheduler kube-proxy kubelet; do mkkubeconfig "$k" "$k"; done
  chmod 600 "$DATA"/*.kubeconfig
  ts "pki and kubeconfigs ready"
}
