#!/usr/bin/env bash
# bench/stability.sh N [local|containers]: runs the README's certification command N times in a row on a
# backend, and prints for each round its result, its time, the scenarios that failed and anything the round
# left behind (servers, run directories, containers, networks, volumes); then the flaky scenarios, those that
# failed in some rounds and passed in others. Exit status: 0 when every round passed and left nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:?usage: bench/stability.sh N [local|containers]}
backend=${2:-local}
out=target/stability-$backend
rm -rf "$out" && mkdir -p "$out"
label=io.github.pgreplication.harness.run
bad=0
for i in $(seq 1 "$n"); do
  start=$(date +%s)
  ./mvnw -B -q -o -Pcertify verify -Dharness.backend="$backend" -Dharness.reports="$out/round-$i" \
    > "$out/round-$i.log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
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
  left=$( { pgrep -a -f 'pgrh-' | grep -v stability; ls -d "${TMPDIR:-/tmp}"/pgrh-* 2>/dev/null;
            docker ps -aq --filter "label=$label" 2>/dev/null; docker network ls -q --filter "label=$label" 2>/dev/null;
            docker volume ls -q --filter "label=$label" 2>/dev/null; } || true)
  echo "round $i/$n ($backend): exit $rc, ${took} s"
  [ -n "$failed" ] && { echo "$failed" | sed 's/^/  failed: /'; echo "$failed" > "$out/round-$i.failed"; }
  [ -n "$left" ] && echo "$left" | sed 's/^/  left behind: /'
  { [ "$rc" -ne 0 ] || [ -n "$left" ]; } && bad=$((bad + 1))
done
echo "rounds: $n, bad rounds: $bad"
if ls "$out"/round-*.failed >/dev/null 2>&1; then
  echo "scenarios that failed, with the number of rounds (fewer than $n: flaky):"
  cat "$out"/round-*.failed | sort | uniq -c | sort -rn | sed 's/^/  /'
fi
[ "$bad" -eq 0 ]
