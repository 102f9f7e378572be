# shellcheck shell=bash
# start.sh: the pod network and THE NETWORK GUARD, in place before any daemon starts.
# Our own bridge; pods get routes to the pod and Service ranges only (no default route), no masquerading;
# the FORWARD chain accepts bridge-to-bridge traffic and drops everything else that enters or leaves the bridge.
# stop.sh removes the bridge and the chain (its KUBE- prefix puts it in the sweep of KUBE-* chains).

network_guard() {
  ip link add "$BRIDGE" type bridge
  # The bridge's MAC address pinned: left to the kernel, a bridge takes the lowest MAC of its ports, so deleting the
  # pod whose veth had it changes the gateway's MAC under every other pod, whose ARP entry then sends its DNS queries
  # (and its Service traffic) to a MAC no port has, for tens of seconds: lookups time out. Setting the address
  # (addr_assign_type 3, "set") stops the kernel from recalculating it.
  ip link set dev "$BRIDGE" address "$(cat "/sys/class/net/$BRIDGE/address")"
  [ "$(cat "/sys/class/net/$BRIDGE/addr_assign_type")" = 3 ] || die "the bridge's MAC address could not be pinned"
  ip addr add "$NODE_IP/16" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  iptables -N "$FWD_CHAIN"
  iptables -A "$FWD_CHAIN" -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  iptables -A "$FWD_CHAIN" -i "$BRIDGE" -j DROP
  iptables -A "$FWD_CHAIN" -o "$BRIDGE" -j DROP
  iptables -I FORWARD 1 -j "$FWD_CHAIN"
  ts "network guard in place: $FWD_CHAIN (bridge-to-bridge only), no default route for pods"
}

# The CNI configuration containerd hands to every pod: a port on our bridge, an address of the pod range with the
# bridge as gateway, and a route to the Service range only.
write_cni_config() {
  cat > "$DATA/cni/net.d/10-pgrh-k8s.conflist" <<CNI
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
CNI
}
