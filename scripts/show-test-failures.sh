#!/usr/bin/env bash
# Prints, for every test class that failed in the last build, Surefire's report and the last lines of its output.
# Test output is kept in files (target/surefire-reports/<class>-output.txt) so that a green build stays quiet.
set -uo pipefail
cd "$(dirname "$0")/.."
found=0
while IFS= read -r report; do
  grep -Eq 'FAILURE|ERROR' "$report" || continue
  found=1
  output="${report%.txt}-output.txt"
  printf '\n===== %s\n' "$report"
  head -n 60 "$report"
  if [ -f "$output" ]; then
    printf -- '----- last 80 lines of %s\n' "$output"
    tail -n 80 "$output"
  fi
done < <(find . -path '*/target/surefire-reports/*.txt' ! -name '*-output.txt' 2>/dev/null | sort)
[ "$found" -eq 1 ] || echo "No failed test report found: the build failed before or after the tests (see above)."
