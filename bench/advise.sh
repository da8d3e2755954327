#!/usr/bin/env bash
# The plan advisor (SPEC §12, decision 012) for a member with 100,000 sent InMails over two years:
# `inmail advise` end to end on SQLite — open the database, stream the member's rows from `messages`,
# replay them under every plan and billing period (9 with the default catalog), print the table.
#
#   bench/advise.sh
#
# Builds the CLI (Release), writes a small generated history (`inmail generate`, for the schema and a
# real member), then adds INMAILS rows from member u0000001 straight into the `messages` table with
# sqlite3: one InMail every 730 days / INMAILS (jittered), each to a recipient of its own, every 4th
# answered 0–199 hours later, every 10th by Open Profile. (The advisor reads only these columns; the
# engine itself would refuse most of them for the daily limit, which is what the replays then show.)
# Runs `inmail advise` RUNS times and prints each run's wall, user and system time and the load average.
#
# Environment (defaults in brackets): INMAILS [100000], RUNS [3], KEEP=1 keeps the database.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=advise
source bench/lib.sh

inmails="${INMAILS:-100000}"
runs="${RUNS:-3}"
end="2026-12-01T00:00:00Z"
db="$work/advise.db"

log "building the CLI (Release)"
dotnet build src/InMail.Cli -c Release -nologo -v quiet >/dev/null
cli="src/InMail.Cli/bin/Release/net10.0/inmail.dll"

log "generating a small history into $db"
dotnet "$cli" generate --sqlite "$db" --members 200 --messages 2000 --years 2 --cohort-size 200 --end "$end" >/dev/null

log "adding $inmails InMails from u0000001 over the two years before $end"
sqlite3 "$db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $inmails),
s(i, at) AS (SELECT i, datetime('2024-12-01 00:00:00', '+' || (i * 730 * 86400 / $inmails + (i * 7919) % 600) || ' seconds') FROM n)
INSERT INTO messages (id, member_a, member_b, position, from_id, to_id, path, subject, body, sent_at, responded_at)
SELECT 'adv-' || i, 'u0000001', 'zz' || i, 1, 'u0000001', 'zz' || i,
       CASE WHEN i % 10 = 3 THEN 'open-profile' ELSE 'inmail' END, 'Hello', 'Hello.',
       replace(at, ' ', 'T') || '.0000000Z',
       CASE WHEN i % 4 = 0 THEN replace(datetime(at, '+' || ((i * 31) % 200) || ' hours'), ' ', 'T') || '.0000000Z' END
FROM s;
ANALYZE;
SQL
count=$(sqlite3 "$db" "SELECT count(*) FROM messages WHERE from_id = 'u0000001' AND path IN ('inmail', 'open-profile')")
log "u0000001 has $count InMails"

for run in $(seq 1 "$runs"); do
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
    dotnet "$cli" advise --sqlite "$db" --member u0000001 --from 2024-12-01T00:00:00Z --to "$end" >"$work/advice.txt"
  read -r wall user sys rss <"$work/time.txt"
  echo "run $run: ${wall} s wall, ${user} s user, ${sys} s sys, max RSS $((rss / 1024)) MiB, load average $load_before → $(cut -d' ' -f1 /proc/loadavg)"
done
cat "$work/advice.txt"
