#!/usr/bin/env bash
# Due work (decision 009) under load, in one command: N scheduled sends falling due within one minute
# of real time on a live server, run by its scheduler, on SQLite and on PostgreSQL; beside them, as
# the reference, N sends made over HTTP (POST /api/v1/messages) on the same server in the same run.
#
#   bench/due-work.sh
#
# Builds Release, starts a throwaway PostgreSQL cluster (scripts/postgres.sh), then for each database:
# starts the server live (--InMail:Mode=Live) on a fresh database and runs bench/InMail.LoadGen
# --target due,send: it registers ⌈N/PER_SENDER⌉ senders and ⌈N/10⌉ recipients, creates the N schedules
# over HTTP in due order (their instants spread evenly over SPREAD seconds that open LEAD seconds
# after the first is created), waits until the log holds a run-schedule for each, reads every
# schedule back (sent, never early, one message each) and reports the lateness of the last and the
# scheduler's rates; then N paid InMails over HTTP at CLIENTS closed-loop clients. Ends with a table.
#
# Environment (defaults in brackets):
#   SCHEDULES [100000]   N, the scheduled sends (and the HTTP sends of the reference)
#   SPREAD [60]          seconds their instants are spread over
#   PER_SENDER [100]     schedules per sender (at most 100 pending a member); fewer means more, smaller members
#   LEAD [180]           seconds from the first schedule created to the window's opening: the creation
#                        of all N must fit in it (the tool says so, and fails, when it did not)
#   CLIENTS [32]         clients of the HTTP reference; SETUP_CLIENTS [32] for set-up and scheduling
#   DATABASES [sqlite,postgres]
#   WEB_DLL              another build of InMail.Web.dll to measure (e.g. a copy of the code before a change)
#   KEEP=1               keep the work directory (server logs, databases) in /tmp
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

schedules="${SCHEDULES:-100000}"
spread="${SPREAD:-60}"
per_sender="${PER_SENDER:-100}"
lead="${LEAD:-180}"
clients="${CLIENTS:-32}"
setup_clients="${SETUP_CLIENTS:-32}"
databases="${DATABASES:-sqlite,postgres}"
# The HTTP reference's population: one run must hold N pairs (20 rounds of R recipients, under 150 a sender a day).
send_senders=$(( (schedules + 49) / 50 ))
send_recipients=$(( send_senders * 4 ))

bench_name=due-work
# shellcheck source=bench/lib.sh
source bench/lib.sh

started=$SECONDS
log "building Release"
if [ -z "${WEB_DLL:-}" ]; then
  dotnet build src/InMail.Web -c Release -nologo -v quiet >&2
fi
dotnet build bench/InMail.LoadGen -c Release -nologo -v quiet >&2
web="${WEB_DLL:-$root/src/InMail.Web/bin/Release/net10.0/InMail.Web.dll}"
loadgen="$root/bench/InMail.LoadGen/bin/Release/net10.0/InMail.LoadGen.dll"

pg_connection=""
if [[ ",$databases," == *,postgres,* ]]; then
  log "starting a throwaway PostgreSQL cluster"
  pg_connection="$(bash scripts/postgres.sh start "$pg_dir")"
fi

results="$work/results.txt"
: >"$results"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# run_database LABEL STORE_ARGUMENT
run_database() {
  local label="$1" store="$2" port
  port="$(free_port)"
  log "$label: live server on 127.0.0.1:$port ($web)"
  dotnet "$web" --InMail:Mode=Live --urls "http://127.0.0.1:$port" "$store" \
    --InMail:OperatorPassword=test-operator-password \
    --InMail:PasswordHashIterations=1000 --InMail:SignInsPerMinute=1000000 \
    --Logging:LogLevel:Default=Warning >"$work/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$label.log" >&2; log "$label: the server stopped"; return 1; }
    sleep 0.2
  done
  local status=0
  dotnet "$loadgen" --url "http://127.0.0.1:$port" --target due,send --schedules "$schedules" --per-sender "$per_sender" --spread "$spread" --lead "$lead" \
    --setup-clients "$setup_clients" --clients "$clients" --sends "$schedules" --duration 900 --warmup 3 \
    --senders "$send_senders" --recipients "$send_recipients" \
    --server-pid "$server_pid" --label "$label" | tee -a "$results" || status=$?
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  # The data-protection key warning (no key encryptor on a throwaway server) is expected; anything else is shown.
  if grep '"LogLevel":"\(Warning\|Error\|Critical\)"' "$work/server-$label.log" | grep -qv 'DataProtection'; then
    log "$label: the server logged warnings or errors (first 5):"
    grep '"LogLevel":"\(Warning\|Error\|Critical\)"' "$work/server-$label.log" | grep -v 'DataProtection' | head -n 5 | cut -c1-400 >&2
  fi
  return "$status"
}

failed=0
if [[ ",$databases," == *,sqlite,* ]]; then
  run_database sqlite "--InMail:Sqlite=$work/inmail.db" || failed=1
fi
if [[ ",$databases," == *,postgres,* ]]; then
  run_database postgres "--InMail:Postgres=$pg_connection" || failed=1
fi
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== summary: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), .NET SDK $(dotnet --version); $schedules sends due within $spread s"
echo "== load average at start $load_start, at end $load_end; $((SECONDS - started)) s in all"
printf '%-9s %-22s %10s %12s %12s %12s %10s %10s\n' database what "sends/s" "last late s" "p50 late ms" "p99 late ms" "best 1 s" "best 5 s"
while read -r line; do
  unset f
  declare -A f=()
  for pair in ${line#RESULT }; do f["${pair%%=*}"]="${pair#*=}"; done
  if [ "${f[target]}" = due ]; then
    printf '%-9s %-22s %10s %12s %12s %12s %10s %10s\n' "${f[label]}" "scheduler (due work)" "${f[rate]}" "${f[last_late_s]}" \
      "${f[p50_late_ms]}" "${f[p99_late_ms]}" "${f[peak1s]}" "${f[peak5s]}"
    printf '%-9s %-22s %10s\n' "${f[label]}" "creating schedules" "${f[create_rps]}"
    if [ "${f[not_sent]}" != 0 ] || [ "${f[early]}" != 0 ] || [ "${f[dup_messages]}" != 0 ] || [ "${f[log_match]}" != yes ] \
      || [ "${f[created_late]}" != no ] || [ "${f[timed_out]}" != no ]; then
      failed=1
    fi
  else
    printf '%-9s %-22s %10s %12s %12s %12s\n' "${f[label]}" "HTTP sends, ${f[clients]} clients" "${f[rps]}" "" "p50 ${f[p50_ms]}" "p99 ${f[p99_ms]}"
    if [ "${f[non2xx]}" != 0 ] || [ "${f[warmup_failed]}" != 0 ] || [ "${f[not_paid]}" != 0 ] || [ "${f[log_match]}" = no ] || [ "${f[exhausted]}" = yes ]; then
      failed=1
    fi
  fi
done < <(grep '^RESULT ' "$results")
exit "$failed"
