#!/usr/bin/env bash
# How long the web pages take to render on the demo network (issue 4): one client, sequential,
# over loopback, signed in as the demo member Maya Chen with the session cookie.
#
#   bench/pages.sh
#
# Builds Release, starts the server with --demo on a fresh SQLite file, signs in through
# /api/v1/auth/sign-in (the cookie the pages use), then for each page: 20 warm-up requests and
# REQUESTS measured ones with curl, reporting p50 and p99 of curl's time_total and the page size.
#
# Environment: REQUESTS [200], PORT [5099], KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${REQUESTS:-200}"
port="${PORT:-5099}"
base="http://127.0.0.1:$port"
work="$(mktemp -d /tmp/inmail-pages.XXXXXX)"

dotnet build src/InMail.Web -c Release -nologo -v quiet >/dev/null
dotnet run --project src/InMail.Web -c Release --no-build -- --demo --urls "$base" --InMail:Sqlite="$work/inmail.db" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; [ "${KEEP:-}" = 1 ] || rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf "$base/health" >/dev/null && break; sleep 0.5; done

curl -sf -c "$work/jar" -H 'Content-Type: application/json' -d '{"member":"maya.chen","password":"demo-password"}' "$base/api/v1/auth/sign-in" >/dev/null
conversation="$(curl -s -b "$work/jar" "$base/inbox" | grep -o 'href="/inbox/[^"?]*"' | head -1 | sed 's|href="||;s|"||')"

printf '%-24s %10s %10s %8s\n' page p50_ms p99_ms bytes
for path in /inbox "/inbox?filter=unread" "$conversation" "/compose?q=engineer" /credits /plans /network /settings /profile /team/new; do
  for _ in $(seq 1 20); do curl -s -b "$work/jar" -o /dev/null "$base$path"; done
  for _ in $(seq 1 "$requests"); do curl -s -b "$work/jar" -o /dev/null -w '%{time_total}\n' "$base$path"; done | sort -n \
    | awk -v page="$path" -v bytes="$(curl -s -b "$work/jar" -o /dev/null -w '%{size_download}' "$base$path")" \
        '{a[NR]=$1} END {printf "%-24s %10.2f %10.2f %8d\n", page, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, bytes}'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
