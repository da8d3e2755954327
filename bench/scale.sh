#!/usr/bin/env bash
# Issue 9's numbers on generated histories (decision 008): start time and RSS at 1M and 10M messages,
# RSS after minutes of sends plus reads of generated members, and the 32-client send run beside
# pgbench TPC-B.
#
#   bench/scale.sh
#
# For each database in DATABASES and each size in SIZES (members:messages):
#   1. the database: `inmail generate` (seed 1, ending 2026-12-01, every member's password
#      scale-password). SQLite files are cached in CACHE and reused when present; PostgreSQL runs on a
#      throwaway cluster (scripts/postgres.sh, in CACHE/pg-run), so its databases are generated each run.
#   2. start until /health answers, 3 times (median), and the RSS right after the last start;
#   3. LOAD_MINUTES of the send mix (bench/InMail.LoadGen, 32 clients, its own senders and recipients)
#      together with READERS loops reading the credits, ledger and inbox of random generated members;
#      then the RSS, and the send run's rate.
# Then pgbench TPC-B, 32 clients, on the same cluster (bench/pgbench.sh).
#
# Environment (defaults in brackets):
#   DATABASES [sqlite,postgres]   SIZES [1000000:1000000,1000000:10000000]   CACHE [/tmp/inmail-scale]
#   LOAD_MINUTES [5]   READERS [4]   READ_MEMBERS [200] (members signed in for the reads)
#   OPERATOR_PASSWORD [test-operator-password]  the operator's, when a cached database was opened outside test mode
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
databases="${DATABASES:-sqlite,postgres}"
sizes="${SIZES:-1000000:1000000,1000000:10000000}"
cache="${CACHE:-/tmp/inmail-scale}"
load_minutes="${LOAD_MINUTES:-5}"
readers="${READERS:-4}"
read_members="${READ_MEMBERS:-200}"
end="2026-12-01T00:00:00Z"
password="scale-password"
mkdir -p "$cache"
chmod 755 "$cache"
work="$(mktemp -d /tmp/inmail-scale-run.XXXXXX)"
pg_dir="$cache/pg-run"
server_pid=""
reader_pids=()
log() { echo "scale: $*" >&2; }

cleanup() {
  for p in "${reader_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -d "$pg_dir" ]; then bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || log "warning: could not stop $pg_dir"; fi
  log "logs kept in $work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((40000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

log "building Release"
dotnet build src/InMail.Web -c Release -nologo -v quiet >&2
dotnet build src/InMail.Cli -c Release -nologo -v quiet >&2
dotnet build bench/InMail.LoadGen -c Release -nologo -v quiet >&2
web="$root/src/InMail.Web/bin/Release/net10.0/InMail.Web.dll"
cli="$root/src/InMail.Cli/bin/Release/net10.0/inmail.dll"
loadgen="$root/bench/InMail.LoadGen/bin/Release/net10.0/InMail.LoadGen.dll"

pg_connection=""
if [[ ",$databases," == *,postgres,* ]]; then
  rm -rf "$pg_dir"
  pg_connection="$(bash scripts/postgres.sh start "$pg_dir")"
  pg_bin="$(dirname "$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' | sort -V | tail -n 1)")"
fi

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# store_arg DB MEMBERS MESSAGES: generates the database if needed and prints the server's store argument.
store_arg() {
  local db="$1" members="$2" messages="$3" name="$1-$2-$3"
  if [ "$db" = sqlite ]; then
    local file="$cache/$name.db"
    if [ ! -f "$file" ]; then
      log "$name: generating (cached in $file)"
      rm -f "$file.partial" "$file.partial-wal" "$file.partial-shm"
      dotnet "$cli" generate --sqlite "$file.partial" --members "$members" --messages "$messages" --seed 1 --end "$end" --password "$password" \
        >"$cache/generate-$name.log"
      rm -f "$file.partial-wal" "$file.partial-shm"
      mv "$file.partial" "$file"
    fi
    # The run adds the load generator's members and sends: it works on a copy, the cache stays as generated.
    cp "$file" "$work/$name.db"
    echo "--InMail:Sqlite=$work/$name.db"
  else
    local dbname="inmail_${members}_${messages}"
    "$pg_bin/psql" -p "$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$pg_connection")" -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $dbname" >&2
    local connection="${pg_connection/Database=inmail_test/Database=$dbname}"
    log "$name: generating into PostgreSQL database $dbname"
    dotnet "$cli" generate --postgres "$connection" --members "$members" --messages "$messages" --seed 1 --end "$end" --password "$password" \
      >"$cache/generate-$name.log"
    echo "--InMail:Postgres=$connection"
  fi
  tail -n 1 "$cache/generate-$name.log" >&2
}

start_server() {
  local store="$1" port="$2" logfile="$3"
  dotnet "$web" --test-mode --urls "http://127.0.0.1:$port" "$store" --InMail:SignInsPerMinute=1000000 \
    --InMail:PasswordHashIterations=1000 --Logging:LogLevel:Default=Warning >"$logfile" 2>&1 &
  server_pid=$!
}

wait_health() {
  local port="$1" begin="$2"
  for _ in $(seq 1 3000); do
    if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
      echo $(( ($(date +%s%N) - begin) / 1000000 ))
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

# A reader: signs in as a few random generated members, then reads credits, ledger and inbox in turn until killed.
reader() {
  local port="$1" members="$2" count="$3" base="http://127.0.0.1:$1/api/v1" tokens=() ids=() i id token n=0
  for i in $(seq 1 "$count"); do
    id="$(printf 'u%07d' $(( (RANDOM * 32768 + RANDOM) % members + 1 )))"
    token="$(curl -sf -X POST "$base/auth/token" -H 'content-type: application/json' -d "{\"member\":\"$id\",\"password\":\"$password\"}" |
      sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')" || continue
    [ -n "$token" ] && tokens+=("$token")
  done
  [ "${#tokens[@]}" -gt 0 ] || return 0
  while true; do
    token="${tokens[$((RANDOM % ${#tokens[@]}))]}"
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/members/me/credits" &&
      curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/members/me/ledger?limit=50" &&
      curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/conversations?limit=50" && n=$((n + 3)) || echo "read failed" >&2
    echo "$n" >"$work/reads-$BASHPID"
  done
}

results="$work/results.txt"
: >"$results"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$SECONDS
for db in ${databases//,/ }; do
  for size in ${sizes//,/ }; do
    members="${size%%:*}"
    messages="${size##*:}"
    label="$db-$members-$messages"
    store="$(store_arg "$db" "$members" "$messages")"
    starts=()
    for run in 1 2 3; do
      port="$(free_port)"
      begin="$(date +%s%N)"
      start_server "$store" "$port" "$work/server-$label-$run.log"
      ms="$(wait_health "$port" "$begin")" || { cat "$work/server-$label-$run.log" >&2; log "$label: no /health"; exit 1; }
      starts+=("$ms")
      if [ "$run" -lt 3 ]; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
    done
    sleep 1
    rss_start="$(rss_mb "$server_pid")"
    median="$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)"
    log "$label: start ${starts[*]} ms (median $median), RSS $rss_start MB"
    if [ "$load_minutes" = 0 ]; then # start time and RSS only
      kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
      rm -f "$work/$label.db" "$work/$label.db-wal" "$work/$label.db-shm"
      echo "SCALE label=$label start_ms=$median starts=${starts[*]// /,} rss_start_mb=$rss_start" | tee -a "$results"
      continue
    fi
    rm -f "$work"/reads-*
    reader_pids=()
    for _ in $(seq 1 "$readers"); do
      reader "$port" "$members" "$((read_members / readers))" &
      reader_pids+=($!)
    done
    # LOAD_MINUTES one-minute send runs at 32 clients (a run may use each recipient 20 times: the test-mode
    # clock moves a week between runs, so the population lasts), with the readers running throughout.
    runs="$(printf '32,%.0s' $(seq 1 "$load_minutes"))"
    dotnet "$loadgen" --url "http://127.0.0.1:$port" --target send --clients "${runs%,}" --duration 57 --warmup 3 \
      --senders 6000 --recipients 24000 --server-pid "$server_pid" --label "$label" \
      --operator-password "${OPERATOR_PASSWORD:-test-operator-password}" | tee -a "$results" >&2 || log "$label: the send run reported a failure"
    rss_load="$(rss_mb "$server_pid")"
    for p in "${reader_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait "${reader_pids[@]}" 2>/dev/null || true
    reader_pids=()
    reads="$(cat "$work"/reads-* 2>/dev/null | awk '{s += $1} END {print s + 0}')"
    sends="$(grep "label=$label " "$results" | sed -n 's/.* rps=\([0-9]*\) .*/\1/p' | sort -n | tr '\n' ' ')"
    p99="$(grep "label=$label " "$results" | sed -n 's/.* p99_ms=\([0-9.]*\) .*/\1/p' | sort -n | tr '\n' ' ')"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    rm -f "$work/$label.db" "$work/$label.db-wal" "$work/$label.db-shm"
    echo "SCALE label=$label start_ms=$median starts=${starts[*]// /,} rss_start_mb=$rss_start rss_after_load_mb=$rss_load sends_per_s_runs=\"${sends:-?}\" p99_ms_runs=\"${p99:-?}\" reads=$reads" | tee -a "$results"
  done
done

tps="?"
if [ -n "$pg_connection" ]; then
  log "pgbench TPC-B, 32 clients, 20 s, on the same cluster"
  pgbench_out="$(bash bench/pgbench.sh "$pg_dir" 32 20 2>"$work/pgbench.log")" || true
  tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pgbench_out" | head -n 1)"
fi
echo
echo "== $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $(date -u +%F); load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg); $((SECONDS - started)) s"
grep '^SCALE ' "$results"
echo "pgbench TPC-B 32 clients: tps=${tps:-?}"
