#!/usr/bin/env bash
# Issue 3's numbers in one command: InMail sends over HTTP on loopback, on SQLite and on PostgreSQL,
# beside a no-op POST of the same server and pgbench's TPC-B on the same PostgreSQL cluster.
#
#   bench/http-load.sh
#
# Builds Release, starts a throwaway PostgreSQL cluster (scripts/postgres.sh), then for SQLite and
# for PostgreSQL: starts the server in test mode on a fresh database, runs bench/InMail.LoadGen
# (the no-op target, then the set-up of senders and recipients, then the send target) at each
# client count, and stops the server. Then pgbench TPC-B at PGBENCH_CLIENTS on the same cluster.
# Ends with a summary table. Every send is a real paid InMail; any non-2xx answer is reported.
#
# Environment (defaults in brackets):
#   CLIENTS [8,32,64]     client counts of each target, comma-separated
#   DURATION [12]         measured seconds of each run; WARMUP [3] seconds before each
#   SQLITE_SENDERS [4000] SQLITE_RECIPIENTS [16000]   the population (see bench/README.md)
#   PG_SENDERS [3000]     PG_RECIPIENTS [12000]
#   PGBENCH_CLIENTS [32]  PGBENCH_SECONDS [20]        PGBENCH_SCALE [32] (bench/pgbench.sh)
#   KEEP=1                keep the work directory (server logs, databases) in /tmp
set -euo pipefail
cd "$(dirname "$0")/.."

clients="${CLIENTS:-8,32,64}"
duration="${DURATION:-12}"
warmup="${WARMUP:-3}"
pgbench_clients="${PGBENCH_CLIENTS:-32}"
pgbench_seconds="${PGBENCH_SECONDS:-20}"

bench_name=load
bench_log=http-load
# shellcheck source=bench/lib.sh
source bench/lib.sh

started=$SECONDS
build_server_and_loadgen

log "starting a throwaway PostgreSQL cluster"
pg_connection="$(bash scripts/postgres.sh start "$pg_dir")"
pg_bin="$(dirname "$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' | sort -V | tail -n 1)")"

results="$work/results.txt"
: >"$results"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# run_database LABEL SENDERS RECIPIENTS STORE_ARGUMENT
run_database() {
  local label="$1" senders="$2" recipients="$3" store="$4" port
  port="$(free_port)"
  log "$label: server on 127.0.0.1:$port"
  dotnet "$web" --test-mode --urls "http://127.0.0.1:$port" "$store" \
    --InMail:PasswordHashIterations=1000 --InMail:SignInsPerMinute=1000000 \
    --Logging:LogLevel:Default=Warning >"$work/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$label.log" >&2; log "$label: the server stopped"; return 1; }
    sleep 0.2
  done
  local status=0
  dotnet "$loadgen" --url "http://127.0.0.1:$port" --target noop,send --clients "$clients" \
    --duration "$duration" --warmup "$warmup" --senders "$senders" --recipients "$recipients" \
    --server-pid "$server_pid" --label "$label" | tee -a "$results" || status=$?
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  return "$status"
}

failed=0
run_database sqlite "${SQLITE_SENDERS:-4000}" "${SQLITE_RECIPIENTS:-16000}" "--InMail:Sqlite=$work/inmail.db" || failed=1
run_database postgres "${PG_SENDERS:-3000}" "${PG_RECIPIENTS:-12000}" "--InMail:Postgres=$pg_connection" || failed=1

log "pgbench TPC-B, $pgbench_clients clients, $pgbench_seconds s, on the same cluster"
pgbench_out="$(bash bench/pgbench.sh "$pg_dir" "$pgbench_clients" "$pgbench_seconds" 2>"$work/pgbench.log")"
echo "$pgbench_out"
tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pgbench_out" | head -n 1)"
pgbench_latency="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$pgbench_out" | head -n 1)"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== summary: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $("$pg_bin/postgres" --version)"
echo "== load average at start $load_start, at end $load_end; $((SECONDS - started)) s in all"
printf '%-9s %-6s %7s %10s %9s %9s %9s %9s %7s\n' database target clients "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" non-2xx
while read -r line; do
  unset f
  declare -A f=()
  for pair in ${line#RESULT }; do f["${pair%%=*}"]="${pair#*=}"; done
  printf '%-9s %-6s %7s %10s %9s %9s %9s %9s %7s\n' "${f[label]}" "${f[target]}" "${f[clients]}" "${f[rps]}" \
    "${f[p50_ms]}" "${f[p90_ms]}" "${f[p99_ms]}" "${f[max_ms]}" "${f[non2xx]}"
  if [ "${f[non2xx]}" != 0 ] || [ "${f[warmup_failed]}" != 0 ] || [ "${f[not_paid]}" != 0 ] || [ "${f[log_match]}" = no ] || [ "${f[exhausted]}" = yes ]; then
    failed=1
  fi
done < <(grep '^RESULT ' "$results")
printf '%-9s %-6s %7s %10s %9s\n' postgres pgbench "$pgbench_clients" "${tps:-?}" "avg ${pgbench_latency:-?}"
if [ -n "$tps" ]; then
  pg_send="$(grep '^RESULT ' "$results" | grep 'label=postgres target=send clients=32 ' | sed -n 's/.* rps=\([0-9]*\) .*/\1/p' | head -n 1)"
  [ -n "$pg_send" ] && awk -v s="$pg_send" -v t="$tps" 'BEGIN { printf "PostgreSQL sends at 32 clients / pgbench tps: %.2f\n", s / t }'
fi
exit "$failed"
