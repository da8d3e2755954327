#!/usr/bin/env bash
# PostgreSQL baseline: pgbench's standard TPC-B-like transaction against a cluster, to read the
# service's own numbers against (what the server and this machine do without any InMail code).
#
#   bench/pgbench.sh CONNSTRING_OR_DIR [CLIENTS=32] [SECONDS=30]
#
# CONNSTRING_OR_DIR: an Npgsql connection string (Host, Port, Username, Password are used), or the
# directory of a cluster started by `scripts/postgres.sh start DIR`. The benchmark initialises and
# uses its own database `pgbench` (scale PGBENCH_SCALE, default 32: 3.2 million accounts, ~500 MB),
# so it disturbs no other database; it re-initialises it on every run. Threads: 2 (at most CLIENTS).
# Prints the settings, then tps and the average latency on stdout; pgbench's own output on stderr.
set -euo pipefail

usage() {
  echo "usage: $0 CONNSTRING_OR_DIR [CLIENTS=32] [SECONDS=30]" >&2
  exit 2
}
[ $# -ge 1 ] && [ $# -le 3 ] || usage
target="$1"
clients="${2:-32}"
seconds="${3:-30}"
scale="${PGBENCH_SCALE:-32}"
for n in "$clients" "$seconds" "$scale"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage
done
threads=$((clients < 2 ? clients : 2))

host=127.0.0.1 port=5432 user=postgres
if [ -d "$target" ]; then
  [ -f "$target/connection-string" ] || { echo "$target has no connection-string: not a cluster of scripts/postgres.sh" >&2; exit 2; }
  target="$(cat "$target/connection-string")"
fi
IFS=';' read -r -a pairs <<<"$target"
for pair in "${pairs[@]}"; do
  [[ "$pair" == *=* ]] || continue
  key="$(tr -d ' ' <<<"${pair%%=*}" | tr '[:upper:]' '[:lower:]')"
  value="${pair#*=}"
  case "$key" in
    host | server) host="$value" ;;
    port) port="$value" ;;
    username | userid | user) user="$value" ;;
    password) export PGPASSWORD="$value" ;;
  esac
done

bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pgbench' 2>/dev/null | sort -V | tail -n 1)"
bin="${bin:+$(dirname "$bin")}"
pgbench="${bin:+$bin/}pgbench"
psql="${bin:+$bin/}psql"
command -v "$pgbench" >/dev/null || { echo "pgbench is not installed: scripts/postgres.sh start installs it" >&2; exit 1; }

connect=(-h "$host" -p "$port" -U "$user")
cd /tmp # pgbench and psql as any user; nothing is written here

exists="$("$psql" -X -A -t "${connect[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'pgbench'")"
if [ "$exists" != 1 ]; then
  "$psql" -X -q "${connect[@]}" -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE pgbench" >&2
fi
settings="$("$psql" -X -A -t "${connect[@]}" -d pgbench -c \
  "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings
   WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'server_version')")"

echo "pgbench: initialising scale $scale in database pgbench on $host:$port" >&2
started=$SECONDS
"$pgbench" -i -q -s "$scale" "${connect[@]}" pgbench >&2
echo "pgbench: initialised in $((SECONDS - started)) s; running $clients clients, $threads threads, $seconds s" >&2

output="$("$pgbench" -c "$clients" -j "$threads" -T "$seconds" "${connect[@]}" pgbench)"
echo "$output" >&2

echo "pgbench tpcb-like: scale $scale, $clients clients, $threads threads, $seconds s, on $host:$port ($(nproc) cores here)"
echo "server: $settings"
grep -E '^(tps|latency average) = ' <<<"$output"
