#!/bin/bash
# The cluster DNS's data (Debian has no CoreDNS): polls Services and Endpoints every 2 s and rewrites dnsmasq's
# hosts file, then SIGHUPs dnsmasq when it changed.
#   <svc>.<ns>.svc.cluster.local              -> ClusterIP (normal Services); ready pod IPs (headless)
#   <hostname>.<svc>.<ns>.svc.cluster.local   -> pod IP (hostname/subdomain, StatefulSets)
. "$(dirname "$0")/env.sh"
H=$DATA/dns/hosts
while sleep 2; do
  svcs=$(kubectl_ get svc -A -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name} {.spec.clusterIP}{"\n"}{end}' 2>/dev/null) || continue
  eps=$(kubectl_ get endpoints -A -o go-template='{{range .items}}{{$ns:=.metadata.namespace}}{{$n:=.metadata.name}}{{range .subsets}}{{range .addresses}}{{$ns}} {{$n}} {{.ip}} {{or .hostname "-"}}{{"\n"}}{{end}}{{end}}{{end}}' 2>/dev/null) || continue
  { echo "$svcs" | awk 'NF==3 && $3!="None" {print $3, $2"."$1".svc.cluster.local"}'
    awk 'NR==FNR { if ($3=="None") h[$1" "$2]=1; next }
         NF==4 { if (h[$1" "$2]) print $3, $2"."$1".svc.cluster.local";
                 if ($4!="-") print $3, $4"."$2"."$1".svc.cluster.local" }' <(echo "$svcs") <(echo "$eps")
  } | sort -u > $H.new
  if ! cmp -s $H.new $H; then
    mv $H.new $H
    kill -HUP "$(cat $RUN/dnsmasq.pid)" 2>/dev/null
  fi
done
