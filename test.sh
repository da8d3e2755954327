#!/usr/bin/env bash
# Runs every test of the repository and ends with one line: "N passed, N failed".
# Usage: ./test.sh            (from a fresh clone; needs only the .NET SDK pinned in global.json)
# Exit code: 0 when everything passed, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")"

configuration=Release
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "== build (warnings are errors)"
dotnet build InMail.slnx -c "$configuration" -nologo -v quiet

status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results"; then
    status=1
  fi
done

echo "== scenario replay (shared and own scripts, through the inmail command)"
if ! dotnet run --project src/InMail.Cli -c "$configuration" --no-build -- replay --quiet ../shared/scenarios/*.jsonl tests/scenarios/*.jsonl; then
  status=1
fi

passed=0
failed=0
shopt -s nullglob
trx_files=("$results"/*.trx)
if [ ${#trx_files[@]} -eq 0 ]; then
  echo "no test results were written" >&2
  status=1
fi
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ "$passed" -eq 0 ]; then
  status=1
fi
if [ "$failed" -ne 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
