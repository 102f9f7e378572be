#!/usr/bin/env bash
# bench/stability.sh N [local|containers|kubernetes] [MAVEN ARGS...]: runs the README's certification command N times in a row on a
# backend, and prints for each round its result, its time, the scenarios that failed and anything the round
# left behind (servers, run directories, containers, networks, volumes, the harness's namespaces on a cluster); then the flaky scenarios, those that
# failed in some rounds and passed in others. Exit status: 0 when every round passed and left nothing.
# Each round's wall time (ms), exit status and reports stay in target/stability-<backend>/ (rounds.tsv, round-N/),
# which bench/certification-report.py turns into reports/benchmark.md's certification section.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
n=${1:?usage: bench/stability.sh N [local|containers|kubernetes] [MAVEN ARGS...]}
backend=${2:-local}
shift $(( $# < 2 ? $# : 2 ))
extra=("$@") # e.g. -Dcucumber.filter.tags='not @static', as CI's containers runs select; -Dharness.cluster=offline
# the offline cluster's own processes and state (pgrh-k8s) are not a round's: its namespaces are
namespaces() { [ "$backend" = kubernetes ] || return 0
  /var/cache/pgrh-k8s/bin/kubectl --kubeconfig "${KUBECONFIG:-/var/lib/pgrh-k8s/admin.kubeconfig}" get namespaces \
    -l "$label" -o name 2>/dev/null; }
out=target/stability-$backend
rm -rf "$out" && mkdir -p "$out"
label=io.github.pgreplication.harness.run
bad=0
cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; } # jiffies of the whole machine: user+nice+system+irq+softirq
printf 'round\texit\tms\tload_before\tcpu_busy_s\n' > "$out/rounds.tsv"
for i in $(seq 1 "$n"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  busy=$(cpu_busy)
  start=$(date +%s%N)
  ./mvnw -B -q -o -Pcertify verify -Dharness.backend="$backend" -Dharness.reports="$out/round-$i" \
    "${extra[@]}" > "$out/round-$i.log" 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  took=$(( ms / 1000 ))
  busy_s=$(( ($(cpu_busy) - busy) / $(getconf CLK_TCK) ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$rc" "$ms" "$load" "$busy_s" >> "$out/rounds.tsv"
  failed=$(python3 - "$out/round-$i/cucumber-junit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("(no JUnit report: the run stopped early)"); sys.exit()
for case in root.iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        print(case.get("name"))
PY
)
  left=$( { pgrep -a -f 'pgrh-' | grep -v -e stability -e pgrh-k8s; namespaces; ls -d "${TMPDIR:-/tmp}"/pgrh-* /dev/shm/pgrh-* 2>/dev/null;
            docker ps -aq --filter "label=$label" 2>/dev/null; docker network ls -q --filter "label=$label" 2>/dev/null;
            docker volume ls -q --filter "label=$label" 2>/dev/null; } || true)
  echo "round $i/$n ($backend): exit $rc, ${took} s"
  # sed prefixes every line of these lists; ${var//…/…} has no anchor at each line's start:
  # shellcheck disable=SC2001
  [ -n "$failed" ] && { echo "$failed" | sed 's/^/  failed: /'; echo "$failed" > "$out/round-$i.failed"; }
  # shellcheck disable=SC2001 # the same: a prefix on every line
  [ -n "$left" ] && echo "$left" | sed 's/^/  left behind: /'
  { [ "$rc" -ne 0 ] || [ -n "$left" ]; } && bad=$((bad + 1))
done
echo "rounds: $n, bad rounds: $bad"
if ls "$out"/round-*.failed >/dev/null 2>&1; then
  echo "scenarios that failed, with the number of rounds (fewer than $n: flaky):"
  cat "$out"/round-*.failed | sort | uniq -c | sort -rn | sed 's/^/  /'
fi
[ "$bad" -eq 0 ]
