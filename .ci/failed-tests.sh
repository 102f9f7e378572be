#!/usr/bin/env bash
# After a failed ./mvnw verify: names each failed test and the start of what it said, last, so that the tail of
# CI's output, which is all a reader of a long run may get, says what failed. Maven says it too, but in the middle
# of each Failsafe execution's output, thousands of lines before the end.
# Usage: .ci/failed-tests.sh [TARGET_DIR] (default target)
set -uo pipefail
target=${1:-target}
shopt -s nullglob
found=0
for xml in "$target"/surefire-reports/TEST-*.xml "$target"/failsafe-reports/*/TEST-*.xml; do
  grep -qE '<(failure|error)[ >]' "$xml" || continue
  found=1
  run=$(basename "$(dirname "$xml")")
  # A testcase's name, then its failure's or error's message and the first lines of its trace.
  awk -v run="$run" '
    /<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7); shown = 0 }
    /<(failure|error)[ >]/ { printf "ci: FAILED [%s] %s\n", run, name; shown = 1; left = 12 }
    shown && left > 0 { sub(/^[ \t]+/, ""); if (length($0) > 0) { print "    " substr($0, 1, 300); left-- } }
    /<\/(failure|error)>/ { shown = 0 }
  ' "$xml" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
done
[ "$found" = 1 ] || echo "ci: no test report under $target names a failure: what failed was not a test"
