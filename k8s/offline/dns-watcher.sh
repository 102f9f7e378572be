#!/bin/bash
# The cluster DNS's data (Debian has no CoreDNS): reads Services and Endpoints whenever an Endpoints object changes
# (every Service has one, so a Service's creation and deletion count too), and at least every $IDLE seconds, and
# rewrites dnsmasq's hosts file, then SIGHUPs dnsmasq when it changed. One long-lived `kubectl get -w` tells it when:
# polling with two kubectl runs a second cost a quarter of a core of this machine's two, all run long.
#   <svc>.<ns>.svc.cluster.local              -> ClusterIP (normal Services); ready pod IPs (headless)
#   <hostname>.<svc>.<ns>.svc.cluster.local   -> pod IP (hostname/subdomain, StatefulSets)
# A name missing from one listing keeps its last address for $GRACE seconds (a name the cluster really removed
# goes then; one that a listing only missed never goes), and every change is logged with its time, so that a
# name that did not resolve can be checked against what the DNS had.
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
H=$DATA/dns/hosts
SEEN=$DATA/dns/seen          # "<epoch> <ip> <name>": when each name was last listed
GRACE=30
: > "$SEEN"
IDLE=10
refresh() {
  svcs=$(kubectl_ get svc -A -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name} {.spec.clusterIP}{"\n"}{end}' 2>/dev/null) || return 0
  # $ns and $n are the go-template's variables:
  # shellcheck disable=SC2016
  eps=$(kubectl_ get endpoints -A -o go-template='{{range .items}}{{$ns:=.metadata.namespace}}{{$n:=.metadata.name}}{{range .subsets}}{{range .addresses}}{{$ns}} {{$n}} {{.ip}} {{or .hostname "-"}}{{"\n"}}{{end}}{{end}}{{end}}' 2>/dev/null) || return 0
  now=$(date +%s)
  { echo "$svcs" | awk 'NF==3 && $3!="None" {print $3, $2"."$1".svc.cluster.local"}'
    awk 'NR==FNR { if ($3=="None") h[$1" "$2]=1; next }
         NF==4 { if (h[$1" "$2]) print $3, $2"."$1".svc.cluster.local";
                 if ($4!="-") print $3, $4"."$2"."$1".svc.cluster.local" }' <(echo "$svcs") <(echo "$eps")
  } | sort -u > "$H.listed"
  # this listing's names now; the others as last seen, until their grace is over
  awk -v now="$now" -v grace="$GRACE" 'NR==FNR { cur[$2]=$1; print now, $1, $2; next }
       !($3 in cur) && now - $1 < grace { print }' "$H.listed" "$SEEN" > "$SEEN.new"
  mv "$SEEN.new" "$SEEN"
  awk '{print $2, $3}' "$SEEN" | sort -u > "$H.new"
  if ! cmp -s "$H.new" "$H"; then
    echo "$(date -u +%H:%M:%S.%N | cut -c1-12) added: $(comm -13 "$H" "$H.new" | awk '{print $2"="$1}' | tr '\n' ' ')removed: $(comm -23 "$H" "$H.new" | awk '{print $2"="$1}' | tr '\n' ' ')"
    mv "$H.new" "$H"
    kill -HUP "$(cat "$RUN/dnsmasq.pid")" 2>/dev/null
  fi
}
watch_and_refresh get endpoints -A
