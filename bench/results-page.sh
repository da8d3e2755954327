#!/usr/bin/env bash
# How long the Results page takes for a member with 100,000 sent InMails over two years (issue 13):
# p50 of GET /results (all time, every chart) against GET /health in the same run, warm, one client.
#
#   bench/results-page.sh
#
# Builds Release and starts the server on a fresh SQLite file; registers `bench` (Sales Navigator Core)
# through the API; then writes RECIPIENTS members with time zones and SENDS InMail rows from `bench`
# straight into the `members` and `messages` projections, spread over the two years before now (the page reads the
# tables, decision 014; a hand-written row is what the projector would write for such a message:
# 90% paid, 10% open-profile, bodies of 40–1,100 characters, some with emoji; 35% answered within
# minutes to 120 days, refunded when answered within 90 days; 5% marked positive, 2% meeting booked),
# with one allowance expiry a month in `ledger_entries`. Then WARMUP requests and REQUESTS measured
# ones with curl, alternating /health and /results, reporting p50 and p90 of curl's time_total.
#
# Then AFTER_SENDS times: a send to a new recipient, then /results (what a view costs right after a change, decision 016).
# The first view (nothing kept yet) is reported on its own.
#
# Environment: SENDS [100000], RECIPIENTS [500], REQUESTS [50], WARMUP [5], AFTER_SENDS [10], KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=results-page
source bench/lib.sh
sends="${SENDS:-100000}"
recipients="${RECIPIENTS:-500}"
requests="${REQUESTS:-50}"
warmup="${WARMUP:-5}"
after_sends="${AFTER_SENDS:-10}"
port="$(free_port)"
base="http://127.0.0.1:$port"
db="$work/inmail.db"

dotnet build src/InMail.Web -c Release -nologo -v quiet >/dev/null
dotnet run --project src/InMail.Web -c Release --no-build -- --urls "$base" --InMail:Sqlite="$db" --InMail:SignInsPerMinute=100000 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -sf "$base/health" >/dev/null && break; sleep 0.5; done

register() {
  curl -sf -H 'Content-Type: application/json' -d "{\"member\":\"$1\",\"name\":\"$2\",\"password\":\"bench-password\"${3:+,\"timeZone\":\"$3\"}}" \
    "$base/api/v1/auth/register" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/'
}
token="$(register bench "Bench Marker")"
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"plan":"sales-navigator-core"}' \
  "$base/api/v1/members/me/subscription" >/dev/null
log "writing $recipients recipients and $sends InMail rows"
python3 - "$db" "$sends" "$recipients" <<'PY'
import random, sqlite3, sys
from datetime import datetime, timedelta, timezone
db, sends, recipients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(13)
now = datetime.now(timezone.utc)
start = now - timedelta(days=730)
fmt = lambda t: t.strftime('%Y-%m-%dT%H:%M:%S.') + f'{t.microsecond:06d}0Z'
con = sqlite3.connect(db, timeout=30)
zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Oslo', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Los_Angeles', None]
con.executemany('INSERT INTO members (id, name, time_zone, joined_at, open_profile, inmail_enabled, group_messages_enabled) VALUES (?,?,?,?,0,1,1)',
                [(f'r{i:05d}', f'Recipient {i}', zones[i % len(zones)], fmt(start)) for i in range(1, recipients + 1)])
rows = []
for n in range(sends):
    to = f'r{rnd.randint(1, recipients):05d}'
    a, b = sorted(['bench', to])
    sent = start + timedelta(seconds=rnd.uniform(0, 730 * 86400 - 86400))
    paid = rnd.random() < 0.9
    length = rnd.randint(40, 1100)
    body = ('Hi there, a quick question about your team 👋🏽 ' * 30)[:length] if rnd.random() < 0.2 else ('x' * length)
    answered = rnd.random() < 0.35
    responded = sent + timedelta(minutes=rnd.expovariate(1 / 4000)) if answered else None
    if responded and rnd.random() < 0.03:
        responded = sent + timedelta(days=rnd.uniform(90, 120))
    if responded and responded > now:
        responded = None
    response = rnd.choice(['reply', 'reply', 'accept', 'decline']) if responded else None
    read = responded or (sent + timedelta(hours=rnd.uniform(1, 200)) if rnd.random() < 0.3 else None)
    if read and read > now:
        read = None
    refunded = responded if paid and responded and responded - sent <= timedelta(days=90) else None
    mark = rnd.choices([None, 'positive', 'meeting-booked'], [93, 5, 2])[0]
    rows.append((f'bm-{n}', a, b, n, 'bench', to, 'inmail' if paid else 'open-profile', 'A role', body, fmt(sent),
                 'member' if paid else None, 'bench' if paid else None, 1 if paid else None,
                 None, fmt(read) if read else None, response, fmt(responded) if responded else None, fmt(refunded) if refunded else None, mark,
                 len(body) - body.count('\U0001F3FD')))  # grapheme clusters: a skin tone joins the wave before it
con.executemany('INSERT INTO messages (id, member_a, member_b, position, from_id, to_id, path, subject, body, sent_at, charged_wallet_kind, charged_wallet_id, '
                'charged_lot_no, responds_with, read_at, response, responded_at, refunded_at, outcome, body_chars) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)', rows)
entries = [('member', 'bench', 100000 + m, fmt(start + timedelta(days=30 * m)), 1, 'allowance', 'expire', -rnd.randint(0, 20), fmt(start + timedelta(days=30 * m)), None, None, None)
           for m in range(24)]
con.executemany('INSERT INTO ledger_entries (wallet_kind, wallet_id, entry_no, at, lot_no, source, kind, delta, lot_expires, message_id, member_id, note) '
                'VALUES (?,?,?,?,?,?,?,?,?,?,?,?)', entries)
con.commit()
con.execute('ANALYZE')
con.close()
PY

curl -sf -c "$work/jar" -H 'Content-Type: application/json' -d '{"member":"bench","password":"bench-password"}' "$base/api/v1/auth/sign-in" >/dev/null
first="$(curl -s -b "$work/jar" -o "$work/results.html" -w '%{time_total}' "$base/results")"
bytes="$(stat -c %s "$work/results.html")"
grep -q '>100000<' "$work/results.html" || { log "the page does not show 100000 delivered"; exit 1; }
for _ in $(seq 1 "$warmup"); do curl -s -b "$work/jar" -o /dev/null "$base/results"; curl -s -o /dev/null "$base/health"; done
: >"$work/results.times"; : >"$work/health.times"
# The server's own CPU time (user + system, in clock ticks) around the measured requests: on a shared, loaded
# machine wall time includes waiting for a core, CPU time per request does not.
server_cpu() {
  local pid
  pid="$(pgrep -P "$server_pid" -f InMail.Web | head -1)"; pid="${pid:-$server_pid}"
  awk '{print $14 + $15}' "/proc/$pid/stat"
}
cpu_before="$(server_cpu)"
for _ in $(seq 1 "$requests"); do
  curl -s -o /dev/null -w '%{time_total}\n' "$base/health" >>"$work/health.times"
  curl -s -b "$work/jar" -o /dev/null -w '%{time_total}\n' "$base/results" >>"$work/results.times"
done
cpu_after="$(server_cpu)"
# A view right after a send: the send changes one pair (decision 016), which is all the next view reads again.
: >"$work/after-send.times"
for i in $(seq 1 "$after_sends"); do register "fresh$i" "Fresh $i" >/dev/null; done
for i in $(seq 1 "$after_sends"); do
  curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"to\":\"fresh$i\",\"subject\":\"A role\",\"body\":\"Hello, a quick question.\"}" "$base/api/v1/messages" >/dev/null
  curl -s -b "$work/jar" -o /dev/null -w '%{time_total}\n' "$base/results" >>"$work/after-send.times"
done
printf '%-10s %8s %8s %8s %9s\n' path p50_ms p90_ms max_ms bytes
printf '%-10s %8.1f\n' "first view (nothing kept yet)" "$(echo "$first * 1000" | bc)"
for name in health results after-send; do
  sort -n "$work/$name.times" | awk -v name="/$name" -v bytes="$([ "$name" = results ] && echo "$bytes" || echo 0)" \
    '{a[NR]=$1} END {printf "%-10s %8.1f %8.1f %8.1f %9d\n", name, a[int((NR+1)/2)]*1000, a[int(NR*0.9)]*1000, a[NR]*1000, bytes}'
done
echo "server CPU per /results + /health pair: $(( (cpu_after - cpu_before) * 1000 / $(getconf CLK_TCK) / requests )) ms"
echo "sends: $sends; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
