#!/bin/bash
# Builds Kubernetes 1.20.2 (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy,
# kubectl) from Debian bookworm's `kubernetes` source package with Debian's Go 1.19, and installs the Debian
# packages the cluster runs on (etcd, containerd, runc, CNI plugins, dnsmasq, conntrack).
# The output goes to $CACHE/bin-<recipe hash>: a second build with the same recipe does nothing.
# Source comes through a private apt state (deb-src lines under $CACHE/apt): the host's apt sources are never
# edited. Only Debian's archive is contacted, through apt.
set -euo pipefail
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
say() { echo "[build] $*"; }
RECIPE_FILES=("$HERE/build.sh" "$HERE/fix-vendor.sh" "$HERE/gen-openapi.sh")
SRC_PKG=kubernetes
SRC_VERSION=1.20.5+really1.20.2-1.1+deb12u1
HASH=$( { cat "${RECIPE_FILES[@]}"; echo "$SRC_VERSION"; } | sha256sum | cut -c1-16)
OUT=$CACHE/bin-$HASH
TARGETS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

# 1. Debian packages (installed once; apt waits for another apt rather than failing)
PKGS=(golang-1.19-go golang-github-modern-go-reflect2-dev etcd-server etcd-client containerd runc
  containernetworking-plugins dnsmasq-base conntrack iptables iproute2 openssl curl gcc libc6-dev dpkg-dev)
missing=()
for p in "${PKGS[@]}"; do
  # ${Status} is dpkg-query's field, not the shell's:
  # shellcheck disable=SC2016
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing:" "${missing[@]}"
  # no service is wanted from these packages (containerd would start a host-wide daemon): policy-rc.d refuses
  made_policy=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
  [ "$made_policy" = yes ] && rm -f /usr/sbin/policy-rc.d
fi

if [ -n "$(for t in "${TARGETS[@]}"; do [ -x "$OUT/$t" ] || echo "$t"; done)" ]; then
  T0=$(date +%s)
  # 2. the source package, through a private apt state
  SRC=$CACHE/src/$SRC_PKG-$SRC_VERSION
  if [ ! -d "$SRC/vendor" ]; then
    A=$CACHE/apt; mkdir -p "$A/lists/partial" "$A/sources.list.d"
    cat > "$A/sources.list.d/src.sources" <<SRCS
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRCS
    : > "$A/sources.list"
    APT=(-o "Dir::Etc::sourcelist=$A/sources.list" -o "Dir::Etc::sourceparts=$A/sources.list.d"
      -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache")
    mkdir -p "$A/cache/archives/partial"
    apt-get "${APT[@]}" update -q
    rm -rf "$CACHE/src.tmp"; mkdir -p "$CACHE/src.tmp"
    (cd "$CACHE/src.tmp" && apt-get "${APT[@]}" source -q "$SRC_PKG=$SRC_VERSION")
    dirs=("$CACHE/src.tmp/$SRC_PKG"-*/); d=${dirs[0]}
    mkdir -p "$CACHE/src"; rm -rf "$SRC"; mv "${d%/}" "$SRC"; rm -rf "$CACHE/src.tmp"
    say "source unpacked in $SRC"
  fi
  # 3. build in GOPATH mode, static, niced (the machine is shared)
  export GOPATH=$CACHE/gopath GOCACHE=$CACHE/gocache GO111MODULE=off CGO_ENABLED=0 GOFLAGS='' GOTOOLCHAIN=local
  export PATH=/usr/lib/go-1.19/bin:$PATH
  mkdir -p "$GOPATH/src/k8s.io" && ln -sfn "$SRC" "$GOPATH/src/k8s.io/kubernetes"
  SRC_DIR=$SRC "$HERE/fix-vendor.sh"
  "$HERE/gen-openapi.sh"
  cd "$GOPATH/src/k8s.io/kubernetes"
  LD="-s -w"
  for p in client-go/pkg/version component-base/version; do
    LD="$LD -X k8s.io/kubernetes/vendor/k8s.io/$p.gitVersion=$KUBE_VERSION -X k8s.io/kubernetes/vendor/k8s.io/$p.gitMajor=1"
    LD="$LD -X k8s.io/kubernetes/vendor/k8s.io/$p.gitMinor=20 -X k8s.io/kubernetes/vendor/k8s.io/$p.gitTreeState=clean"
  done
  mkdir -p "$OUT.tmp"
  for t in "${TARGETS[@]}"; do
    t1=$(date +%s)
    nice -n 19 go build -trimpath -ldflags "$LD" -o "$OUT.tmp/$t" "./cmd/$t"
    say "built $t in $(( $(date +%s)-t1 )) s"
  done
  rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
  say "build took $(( $(date +%s)-T0 )) s"
else
  say "binaries for recipe $HASH already built: $OUT"
fi
ln -sfn "$OUT" "$CACHE/bin"
"$BIN/kubectl" version --client --short 2>/dev/null || "$BIN/kubectl" version --client
