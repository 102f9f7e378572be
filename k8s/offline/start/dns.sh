# shellcheck shell=bash
# start.sh: the cluster DNS. dnsmasq with no upstream on the bridge address, fed from Services by dns-watcher.sh;
# every query and answer logged with its time (dnsmasq-queries.log), every change of its data too (dns-watcher.log).

start_dns() {
  : > "$DATA/dns/hosts"
  launch dnsmasq dnsmasq --keep-in-foreground --log-facility="$LOG/dnsmasq-queries.log" --log-queries --no-resolv --no-hosts --no-poll \
    --bind-interfaces --listen-address="$NODE_IP" --port=53 --addn-hosts="$DATA/dns/hosts" \
    --local=/cluster.local/ --domain-needed --bogus-priv --cache-size=0 --pid-file= --user=root
  launch dns-watcher "$HERE/dns-watcher.sh"
}
