#!/usr/bin/env bash
# Issue 9: one, two and three server processes sharing one PostgreSQL database. For each count N:
# a fresh database, N servers (test mode) started on it, and N load generators at once, one per
# server, each with its own senders and recipients (--prefix) and 32/N clients, so the offered load
# stays 32 closed-loop clients in all. Meanwhile pg_stat_activity is sampled every 0.1 s: how many
# writers wait for an advisory lock (since decision 017 the per-key claims; before it the one writers'
# lock of decision 003) and how often any is held.
# Then pgbench TPC-B (32 clients) on the same cluster, as the reference.
#
#   bench/multi-server.sh
#
# Environment: SERVERS [1,2,3], DURATION [20], WARMUP [3], SENDERS [3000], RECIPIENTS [12000] (split
# between the load generators), KEEP=1 keeps the logs.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_name=multi
# shellcheck source=bench/lib.sh
source bench/lib.sh
counts="${SERVERS:-1,2,3}"
duration="${DURATION:-20}"
warmup="${WARMUP:-3}"
senders="${SENDERS:-3000}"
recipients="${RECIPIENTS:-12000}"

build_server_and_loadgen
log "starting a throwaway PostgreSQL cluster"
pg_connection="$(bash scripts/postgres.sh start "$pg_dir")"
pg_host_port="$(sed -E 's/.*Host=([^;]*);Port=([0-9]+).*/\1 \2/' <<<"$pg_connection")"
read -r pg_host pg_port <<<"$pg_host_port"
psql_() { psql -h "$pg_host" -p "$pg_port" -U postgres -At "$@"; }

summary="$work/summary.txt"
: >"$summary"
pids=()
stop_servers() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop_servers; cleanup' EXIT

for n in ${counts//,/ }; do
  db="multi_$n"
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  connection="${pg_connection/Database=inmail_test/Database=$db}"
  ports=()
  for k in $(seq 1 "$n"); do
    port="$(free_port)"
    dotnet "$web" --test-mode --urls "http://127.0.0.1:$port" "--InMail:Postgres=$connection" \
      --InMail:PasswordHashIterations=1000 --InMail:SignInsPerMinute=1000000 --Logging:LogLevel:Default=Warning \
      >"$work/server-$n-$k.log" 2>&1 &
    pids+=($!)
    ports+=("$port")
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  log "$n server(s) on $db: ports ${ports[*]}"
  clients=$(( 32 / n ))
  gens=()
  for k in $(seq 1 "$n"); do
    dotnet "$loadgen" --url "http://127.0.0.1:${ports[$((k - 1))]}" --target send --clients "$clients" \
      --duration "$duration" --warmup "$warmup" --senders $(( senders / n )) --recipients $(( recipients / n )) \
      --prefix "g$k" --label "servers=$n/gen=$k" >"$work/gen-$n-$k.log" 2>&1 &
    gens+=($!)
  done
  # Sample the writers while the generators run (their set-up first registers the population).
  : >"$work/samples-$n.txt"
  while kill -0 "${gens[0]}" 2>/dev/null; do
    psql_ -d "$db" -c "SELECT count(*) FILTER (WHERE wait_event = 'advisory'),
        (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = '$db'))
        FROM pg_stat_activity WHERE datname = '$db'" >>"$work/samples-$n.txt" 2>/dev/null || true
    sleep 0.1
  done
  status=0
  for g in "${gens[@]}"; do wait "$g" || status=$?; done
  grep -h '^RESULT ' "$work"/gen-"$n"-*.log | tee -a "$summary" || true
  # Decision 017: how many batches each server ran again because another had changed what they wrote first.
  for port in "${ports[@]}"; do
    echo "CLAIMS servers=$n port=$port $(curl -s "http://127.0.0.1:$port/health" | sed -n 's/.*"claimConflicts":\([0-9]*\).*/conflicts=\1/p')" | tee -a "$summary"
  done
  [ "$status" = 0 ] || { log "a load generator failed"; cat "$work"/gen-"$n"-*.log >&2; }
  # Only the samples of the measured run: the last (duration + warmup) seconds of sampling.
  tail -n $(( (duration + warmup) * 8 )) "$work/samples-$n.txt" | awk -F'|' -v n="$n" \
    '{ s++; w += $1; h += ($2 > 0) } END { printf "LOCK servers=%d samples=%d writers_waiting_avg=%.2f lock_held_share=%.2f\n", n, s, w / s, h / s }' | tee -a "$summary"
  stop_servers
done

log "pgbench TPC-B, 32 clients, 20 s, on the same cluster"
pgbench_out="$(bash bench/pgbench.sh "$pg_dir" 32 20 2>"$work/pgbench.log")"
tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pgbench_out" | head -n 1)"

echo
echo "== $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); pgbench TPC-B 32 clients: ${tps:-?} tps"
printf '%-8s %10s %9s %9s %16s %15s\n' servers "sends/s" "p50 ms" "p99 ms" "writers waiting" "lock held"
for n in ${counts//,/ }; do
  rps="$(grep "^RESULT label=servers=$n/" "$summary" | sed -n 's/.* rps=\([0-9]*\) .*/\1/p' | paste -sd+ | bc)"
  p50="$(grep "^RESULT label=servers=$n/" "$summary" | sed -n 's/.* p50_ms=\([0-9.]*\) .*/\1/p' | paste -sd, -)"
  p99="$(grep "^RESULT label=servers=$n/" "$summary" | sed -n 's/.* p99_ms=\([0-9.]*\) .*/\1/p' | paste -sd, -)"
  lock="$(grep "^LOCK servers=$n " "$summary")"
  printf '%-8s %10s %9s %9s %16s %15s\n' "$n" "${rps:-?}" "$p50" "$p99" "$(sed -n 's/.*writers_waiting_avg=\([0-9.]*\).*/\1/p' <<<"$lock")" "$(sed -n 's/.*lock_held_share=\([0-9.]*\).*/\1/p' <<<"$lock")"
done
