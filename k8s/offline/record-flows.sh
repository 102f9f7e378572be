#!/bin/bash
# Records every new conntrack flow while a command runs (`conntrack -E -e NEW`), then checks them with
# check-egress.sh: the proof that a run opened no connection outside loopback and the cluster's ranges.
# Usage: record-flows.sh <command...>     exit status: the command's, or 1 when a flow left the ranges
set -u
# shellcheck source=env.sh
. "$(dirname "$0")/env.sh"
mkdir -p "$DATA/log"
F=$DATA/log/flows-$(date -u +%Y%m%dT%H%M%SZ).txt
conntrack -E -e NEW -o timestamp > "$F" 2>/dev/null &
rec=$!
"$@"; rc=$?
kill "$rec" 2>/dev/null; wait "$rec" 2>/dev/null
"$HERE/check-egress.sh" "$F" || rc=1
exit "$rc"
