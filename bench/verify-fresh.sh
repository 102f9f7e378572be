#!/usr/bin/env bash
# The third figure of issue 11: `./mvnw -B verify` (the README's test command, what `bash .ci/run` runs once the
# machine has its packages and images) on a fresh clone, round after round. Each round clones the committed HEAD
# into a new directory, runs the command there with CI=true and no stdin, checks that it passed and left nothing
# behind (servers, run directories, labelled containers, networks and volumes), and removes the clone. Prints a
# Markdown section and puts it in reports/benchmark.md (replacing an earlier one). A benchmark: it asserts nothing
# about time.
# Usage: bench/verify-fresh.sh [ROUNDS (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
reports=reports
mkdir -p "$reports"
for major in 15 17 13 14; do
  docker image inspect "pg-replication-harness/postgres:$major" >/dev/null 2>&1 \
    || { echo "verify-fresh: the image pg-replication-harness/postgres:$major is missing (images/build-postgres-image.sh $major)"; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/verify-bench-XXXXXX") # not pgrh-*: the harness sweeps those as orphans
chmod 755 "$work" # the servers run as an unprivileged user, who must reach the clone's binaries and files
trap 'rm -rf "$work"' EXIT
head=$(git rev-parse --short HEAD)
label=io.github.pgreplication.harness.run

leftovers() {
  { pgrep -a -f 'pgrh-' || true; ls -d "${TMPDIR:-/tmp}"/pgrh-* /dev/shm/pgrh-* 2>/dev/null || true
    docker ps -aq --filter "label=$label"; docker network ls -q --filter "label=$label"
    docker volume ls -q --filter "label=$label"; } 2>/dev/null
}

declare -a times
for i in $(seq 1 "$rounds"); do
  clone="$work/round-$i"
  git clone -q . "$clone"
  t0=$(date +%s%N)
  if (cd "$clone" && CI=true ./mvnw -B verify </dev/null >"$work/round-$i.log" 2>&1); then status=passed; else status=FAILED; fi
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  left=$(leftovers)
  [ -z "$left" ] || status="$status, LEFT: $(echo "$left" | head -3 | tr '\n' ' ')"
  echo "verify-fresh: round $i/$rounds: $status, $((ms / 1000)) s" >&2
  if [ "$status" != passed ]; then # the round's log and test reports are kept to be read
    kept=$(mktemp -d "${TMPDIR:-/tmp}/verify-bench-failed-XXXXXX")
    cp "$work/round-$i.log" "$kept/"; cp -r "$clone/target/failsafe-reports" "$clone/target/surefire-reports" "$clone/reports" "$kept/" 2>/dev/null || true
    grep -E "Tests run:.*(Failures|Errors): [1-9]|<<< (FAILURE|ERROR)" "$work/round-$i.log" >&2 || true
    echo "verify-fresh: the round's log and reports are kept in $kept" >&2
    exit 1
  fi
  times+=("$ms")
  rm -rf "$clone"
done

sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}')
s() { awk -v m="$1" 'BEGIN {printf "%.0f", m / 1000}'; }
section=$(
  echo "## \`./mvnw -B verify\` on a fresh clone, round after round"
  echo
  echo "The README's test command, what \`bash .ci/run\` runs once the machine has its packages and images, on a new"
  echo "clone of $head each round (CI=true, no stdin), each round checked to pass and to leave nothing behind. Written by"
  echo "\`bench/verify-fresh.sh\` on $(date -u +%Y-%m-%dT%H:%MZ); $(nproc) cores; $(java -version 2>&1 | head -1)."
  echo
  echo "| rounds | passed, nothing left | median s | min s | max s | goal |"
  echo "|---|---|---|---|---|---|"
  goal=$([ "$median" -lt 360000 ] && echo "under 6 minutes: **met**" || echo "under 6 minutes: **not met**")
  echo "| $rounds | $rounds | $(s "$median") | $(s "$(echo "$sorted" | head -1)") | $(s "$(echo "$sorted" | tail -1)") | $goal |"
  echo
  echo "Each round, s: $(for t in "${times[@]}"; do printf '%s ' "$(s "$t")"; done)"
)
if [ -f "$reports/benchmark.md" ]; then
  awk '/^## `\.\/mvnw -B verify` on a fresh clone/ {skip=1; next} /^## / {skip=0} !skip' "$reports/benchmark.md" > "$work/benchmark.md"
  { cat "$work/benchmark.md"; echo; echo "$section"; } > "$reports/benchmark.md"
else
  { echo "# Benchmark"; echo; echo "$section"; } > "$reports/benchmark.md"
fi
echo "$section"
