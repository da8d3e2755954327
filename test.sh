#!/usr/bin/env bash
# Runs every test of the repository and ends with one line: "N passed, N failed".
# Usage: ./test.sh            (from a fresh clone; needs the .NET SDK pinned in global.json,
#                              PostgreSQL 15+, which scripts/postgres.sh installs with apt-get if missing,
#                              and Chromium for the browser tests, which this installs with apt-get if missing)
# The PostgreSQL tests use INMAIL_TEST_POSTGRES (an Npgsql connection string) when it is set; otherwise
# this starts a throwaway cluster for the run and stops it at the end.
# Exit code: 0 when everything passed, non-zero otherwise. With CI=true a skipped test is a failure.
set -euo pipefail
cd "$(dirname "$0")"

configuration=Release
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "== build (warnings are errors)"
dotnet build InMail.slnx -c "$configuration" -nologo -v quiet

pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    bash scripts/postgres.sh stop "$pg_dir" || echo "warning: could not stop the PostgreSQL cluster in $pg_dir" >&2
    pg_dir=""
  fi
}
trap stop_postgres EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "${INMAIL_TEST_POSTGRES:-}" ]; then
  echo "== PostgreSQL: INMAIL_TEST_POSTGRES from the environment"
else
  echo "== PostgreSQL: a throwaway cluster (scripts/postgres.sh)"
  pg_dir="$(mktemp -d /tmp/inmail-pg.XXXXXX)"
  if connection="$(bash scripts/postgres.sh start "$pg_dir")"; then
    export INMAIL_TEST_POSTGRES="$connection"
  elif [ "${CI:-}" = "true" ]; then
    stop_postgres
    echo "error: could not start PostgreSQL (see above); in CI the PostgreSQL tests may not be skipped" >&2
    echo "0 passed, 1 failed"
    exit 1
  else
    echo "warning: could not start PostgreSQL (see above): the PostgreSQL tests will be SKIPPED." >&2
    echo "warning: set INMAIL_TEST_POSTGRES to an Npgsql connection string to use a server of your own." >&2
  fi
fi

# The browser tests drive Debian's Chromium through Playwright, which never downloads a browser here.
chromium="${INMAIL_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "== Chromium: $chromium is missing; apt-get install chromium (a minute or two)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || echo "warning: could not install chromium" >&2
  else
    echo "warning: installing chromium needs root (apt-get install chromium)" >&2
  fi
fi
if [ ! -x "$chromium" ]; then
  # Not skipped: the browser tests fail, and say how to install it.
  echo "warning: no Chromium at $chromium: the browser tests (tests/InMail.Browser.Tests) will FAIL." >&2
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

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

echo "== scenario replay (our copy of the rulebook's examples and our own scripts, through the inmail command)"
if ! dotnet run --project src/InMail.Cli -c "$configuration" --no-build -- replay --quiet tests/scenarios/shared/*.jsonl tests/scenarios/*.jsonl; then
  status=1
fi
# On a machine where the rulebook's folder sits beside the repository, its examples are replayed too,
# so a newer example there is not missed. A clone on its own does not need it.
if compgen -G "../shared/scenarios/*.jsonl" >/dev/null; then
  echo "== scenario replay (../shared/scenarios, beside the repository)"
  if ! dotnet run --project src/InMail.Cli -c "$configuration" --no-build -- replay --quiet ../shared/scenarios/*.jsonl; then
    status=1
  fi
fi

# Stopped here rather than only on exit, so that its messages come before the closing line.
stop_postgres

passed=0
failed=0
skipped=0
skipped_tests=""
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
  # A skipped test (xunit's Assert.Skip) is a result with outcome="NotExecuted"; the trx Counters
  # element does not count it (its notExecuted stays 0), so the results themselves are counted.
  skipped=$((skipped + $(grep -c '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" || true)))
  skipped_tests+="$(awk '
    function text(s) {
      gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s)
      gsub(/&#xD;|&#xA;|\r/, " ", s); gsub(/&amp;/, "\\&", s); return s
    }
    /<UnitTestResult / && /outcome="NotExecuted"/ {
      name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name)
      reason = ""; inside = !/\/>[ \t\r]*$/; in_message = 0
      if (!inside) print "  " text(name)
      next
    }
    inside && /<Message>/ { in_message = 1; sub(/.*<Message>/, "") }
    inside && in_message {
      line = $0; if (sub(/<\/Message>.*/, "", line)) in_message = 0
      gsub(/^[ \t\r]+|[ \t\r]+$/, "", line); reason = reason (reason == "" ? "" : " ") line
    }
    inside && /<\/UnitTestResult>/ {
      print "  " text(name) (reason == "" ? "" : ": " text(reason)); inside = 0
    }' "$trx")"$'\n'
done
if [ "$passed" -eq 0 ]; then
  status=1
fi
echo "$skipped skipped"
printf '%s' "$skipped_tests" | grep -v '^$' || true
if [ "$skipped" -ne 0 ] && [ "${CI:-}" = "true" ]; then
  echo "error: CI=true, where no test may be skipped: the $skipped skipped count as failed" >&2
  failed=$((failed + skipped))
fi
if [ "$failed" -ne 0 ]; then
  status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
