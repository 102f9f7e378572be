#!/usr/bin/env bash
# The start-up benchmark of issue 11: what a user waits for, whole process, for the Phase 4 certification (Phases
# 1-2 stood up, Tests 1-4), by four routes, rounds alternated:
#   1. bin/certify --tags @phase-4 (no Maven; class-data sharing archive, C1 only)
#   2. bin/certify --tags @phase-4 --no-cds (the same without the application's CDS archive)
#   3. ./mvnw -B -q -o -Pcertify verify -Dcucumber.filter.tags=@phase-4
#   4. the guide done by hand with the same binaries (bench/guide-by-hand.sh, as DeploymentBenchmarkIT runs it)
# Prints a Markdown section and appends it to reports/benchmark.md (replacing an earlier one), and writes it to
# reports/benchmark-startup.md. A benchmark, not a test: it asserts nothing about time.
# Usage: bench/startup.sh [ROUNDS (default 3)] [TAGS (default @phase-4)]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
tags=${2:-@phase-4}
reports=reports
mkdir -p "$reports"
log=$(mktemp -d "${TMPDIR:-/tmp}/startup-bench-XXXXXX") # not pgrh-*: the harness sweeps those as orphans
chmod 755 "$log"
trap 'rm -rf "$log"' EXIT

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

# Warm-up, not timed: compile, write the classpath, dump the CDS archive (Java 17), fill the page cache.
echo "startup: warm-up (bin/certify once, ./mvnw once)" >&2
bin/certify --tags "$tags" >"$log/warmup-certify.log" 2>&1 || { echo "startup: bin/certify failed in warm-up:"; tail -30 "$log/warmup-certify.log"; exit 1; }
./mvnw -B -q -o -Pcertify verify "-Dcucumber.filter.tags=$tags" >"$log/warmup-mvn.log" 2>&1 || { echo "startup: ./mvnw failed in warm-up:"; tail -30 "$log/warmup-mvn.log"; exit 1; }
cp="target/test-classes:target/classes:$(cat target/certify.classpath)"

# The guide by hand runs as the servers' user (initdb refuses root), as DeploymentBenchmarkIT runs it.
run_as=()
if [ "$(id -u)" = 0 ]; then
  user=${HARNESS_RUN_AS:-postgres}
  run_as=(setpriv "--reuid=$user" "--regid=$user" --init-groups)
fi
bin=${HARNESS_PG_BIN:-$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -1)}

# The guide by hand works where the harness keeps its volumes (harness.volumes, else /dev/shm's tmpfs), so that
# both sides write to the same kind of storage.
hand_root=${HARNESS_VOLUMES:-/dev/shm}
[ -d "$hand_root" ] && [ -w "$hand_root" ] || hand_root=$log
by_hand() { # one round: configs and ports are prepared untimed, then the whole script is timed
  d=$(mktemp -d "$hand_root/by-hand-XXXXXX"); mkdir -p "$d/conf" "$d/work"
  trap 'rm -rf "$d"' EXIT # runs in its own subshell: removed whatever happens
  [ ${#run_as[@]} -eq 0 ] || chown -R "${run_as[1]#--reuid=}:" "$d"
  local mport rport
  read -r mport rport < <(java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$cp" io.github.pgreplication.harness.bench.ByHandConfigs "$d/conf" "$d/work/archive")
  local t0; t0=$(now)
  "${run_as[@]}" bash bench/guide-by-hand.sh "$bin" "$d/work" "$d/conf" "$mport" "$rport" >"$d/out.log" 2>&1 </dev/null \
    || { echo "startup: guide-by-hand.sh failed:" >&2; cat "$d/out.log" >&2; exit 1; }
  ms "$t0" "$(now)"
  rm -rf "$d"
}
timed() { # whole-process wall time of a command, in ms; its output to a log, a failure stops the benchmark
  local name=$1; shift
  local t0; t0=$(now)
  "$@" >"$log/$name.log" 2>&1 </dev/null || { echo "startup: $name failed:" >&2; tail -30 "$log/$name.log" >&2; exit 1; }
  ms "$t0" "$(now)"
}

declare -a certify nocds maven hand
for i in $(seq 1 "$rounds"); do
  echo "startup: round $i/$rounds" >&2
  certify+=("$(timed certify bin/certify --tags "$tags")")
  nocds+=("$(timed nocds bin/certify --tags "$tags" --no-cds)")
  maven+=("$(timed maven ./mvnw -B -q -o -Pcertify verify "-Dcucumber.filter.tags=$tags")")
  hand+=("$(by_hand)")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
min() { printf '%s\n' "$@" | sort -n | head -1; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }
scenarios=$(grep -oE '^certify: [0-9]+ passed' "$log/certify.log" | grep -oE '[0-9]+' || echo '?')
mh=$(median "${hand[@]}")
row() { local what=$1; shift; local m; m=$(median "$@")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$what" "$#" "$m" "$(min "$@")" "$(max "$@")" \
    "$(awk -v a="$m" -v b="$mh" 'BEGIN {printf "%.1f", a / b}')"; }
cpus=$(nproc); load=$(cut -d' ' -f1-3 /proc/loadavg)
section=$(
  echo "## Start-up: the Phase 4 certification, whole process"
  echo
  echo "What a user waits for, from the command to its exit: \`$tags\` ($scenarios scenarios; Phases 1-2 stood up, Tests 1-4),"
  echo "by each route, against the guide's deployment done by hand with the same binaries and storage ($hand_root) (\`bench/guide-by-hand.sh\`,"
  echo "$bin). Rounds alternated; $(java -version 2>&1 | head -1); $cpus cores; load average at the end: $load"
  echo "(the machine may be shared: with a load above the core count, the figures are indicative)."
  echo "Written by \`bench/startup.sh\` on $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| route | rounds | median ms | min ms | max ms | × by hand |"
  echo "|---|---|---|---|---|---|"
  row "\`bin/certify --tags $tags\` (no Maven; CDS archive, C1 only)" "${certify[@]}"
  row "\`bin/certify --tags $tags --no-cds\` (no Maven, C1 only)" "${nocds[@]}"
  row "\`./mvnw -B -q -o -Pcertify verify -Dcucumber.filter.tags=$tags\`" "${maven[@]}"
  row "the guide by hand (\`bench/guide-by-hand.sh\`)" "${hand[@]}"
  echo
  echo "Each round, ms: bin/certify ${certify[*]}; --no-cds ${nocds[*]}; Maven ${maven[*]}; by hand ${hand[*]}."
)
echo "$section" > "$reports/benchmark-startup.md"
if [ -f "$reports/benchmark.md" ]; then # replace an earlier section of this script, keep the rest
  awk '/^## Start-up: the Phase 4 certification, whole process/ {skip=1; next} /^## / {skip=0} !skip' \
    "$reports/benchmark.md" > "$log/benchmark.md"
  { cat "$log/benchmark.md"; echo; echo "$section"; } > "$reports/benchmark.md"
else
  { echo "# Benchmark"; echo; echo "$section"; } > "$reports/benchmark.md"
fi
echo "$section"
