# shellcheck shell=bash
# start.sh: what the host had before the cluster. stop.sh restores the sysctls and removes the directories that
# did not exist (the kubelet and kube-proxy create them); check-egress.sh does not count the flows to the metadata
# range that were already there.

# The sysctls, the directories and network namespaces as they were: saved once, until stop.sh has restored them.
save_host_state() {
  local s d
  [ -f "$DATA/host-state.saved" ] && return 0
  { for s in "${SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done; } > "$DATA/sysctl.saved"
  { for d in /var/log/pods /var/log/containers /var/lib/cni /var/run/netns /tmp/hostpath_pv; do
      if [ -e "$d" ]; then echo "existed $d"; else echo "new $d"; fi; done; } > "$DATA/host-state.saved"
  ls /var/run/netns 2>/dev/null > "$DATA/netns.before" || true
}

# Flows to the metadata range already in the conntrack table before anything of ours runs are not ours (the
# machine's own agents, at boot): check-egress.sh names them and does not count them against the cluster.
save_metadata_flows() {
  conntrack -L -d 169.254.0.0/16 2>/dev/null | while read -r l; do flow_tuple "$l"; done > "$DATA/metadata-flows.before" || true
}
