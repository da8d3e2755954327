#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks: loopback only, trust auth, fsync on.
#
#   scripts/postgres.sh start DIR   installs PostgreSQL (Debian's package) if it is missing, creates a
#                                   cluster in DIR (new or empty), starts it on a free port of
#                                   127.0.0.1 with database inmail_test, and prints one line on stdout:
#                                   its Npgsql connection string (also written to DIR/connection-string)
#   scripts/postgres.sh stop DIR    stops that cluster and removes DIR
#
# Layout of DIR: data/ (PGDATA), the unix socket, postgres.log, port, connection-string.
# Progress goes to stderr. Runs the server as the `postgres` system user when started as root.
set -euo pipefail

readonly min_version=15
readonly database=inmail_test
readonly marker=.inmail-throwaway-postgres

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

# The newest PostgreSQL server installed under /usr/lib/postgresql, as its bin directory.
find_bin() {
  local initdb
  initdb="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$initdb" ] && dirname "$initdb"
}

ensure_installed() {
  local bin
  if ! bin="$(find_bin)"; then
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed, and installing it needs root (apt-get install postgresql)"
    log "PostgreSQL is not installed: apt-get install postgresql (a minute or two)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin="$(find_bin)" || die "apt-get installed postgresql, but there is no initdb under /usr/lib/postgresql/*/bin"
  fi
  if [ ! -x "$bin/pgbench" ]; then
    [ "$(id -u)" -eq 0 ] || die "pgbench is missing, and installing it needs root (apt-get install postgresql-contrib)"
    log "pgbench is not in $bin: apt-get install postgresql-contrib"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >&2; }
  fi
  local version
  version="$(basename "$(dirname "$bin")")" # /usr/lib/postgresql/MAJOR/bin
  [[ "$version" =~ ^[0-9]+$ ]] && [ "$version" -ge "$min_version" ] || die "PostgreSQL $version in $bin is older than $min_version"
  echo "$bin"
}

# Runs a command as the cluster's owner: `postgres` when we are root (initdb refuses root), else us.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on, probing from a random start in 20000-40000.
free_port() {
  local port=$((20000 + RANDOM % 20000)) tries
  for ((tries = 0; tries < 200; tries++)); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    port=$((port >= 40000 ? 20000 : port + 1))
  done
  die "no free port on 127.0.0.1 between 20000 and 40000"
}

start() {
  local dir="$1" bin
  bin="$(ensure_installed)"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "there is no 'postgres' system user to run the server as"
  fi

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty (stop the cluster in it first, or pick a new directory)"
  touch "$dir/$marker"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    chmod 700 "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the postgres user cannot reach $dir: every parent directory must be searchable by it"
  fi
  # The unix socket's path must fit in 107 bytes.
  [ "${#dir}" -le 90 ] || die "$dir is too long a path for the unix socket; use a shorter one (e.g. under /tmp)"

  log "initdb $dir/data ($("$bin/postgres" --version))"
  # --no-sync only skips flushing initdb's own files; the running server keeps fsync on.
  if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --no-sync \
      --auth-local=trust --auth-host=trust >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi
  # Trust, but only over the socket in $dir and on loopback; nothing else gets in.
  cat >"$dir/data/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
  cat >>"$dir/data/postgresql.conf" <<EOF

# scripts/postgres.sh: a throwaway cluster for tests and benchmarks
include = 'throwaway.conf'
EOF

  local port attempt
  for ((attempt = 1; attempt <= 5; attempt++)); do
    port="$(free_port)"
    cat >"$dir/data/throwaway.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
# Benchmarks measure durable commits: these stay at their safe defaults.
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
    chown postgres: "$dir/data/throwaway.conf" 2>/dev/null || true
    log "starting on 127.0.0.1:$port (log: $dir/postgres.log)"
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
      break
    fi
    if grep -q 'could not bind\|Address already in use' "$dir/postgres.log" 2>/dev/null && [ "$attempt" -lt 5 ]; then
      log "port $port was taken meanwhile; trying another"
      continue
    fi
    tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
    die "pg_ctl start failed"
  done
  echo "$port" >"$dir/port"

  "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $database" >&2 || die "could not create database $database"

  local connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=$database;Pooling=true;Maximum Pool Size=100"
  echo "$connection" >"$dir/connection-string"
  log "ready: psql -h 127.0.0.1 -p $port -U postgres $database"
  echo "$connection"
}

stop() {
  local dir="$1"
  if [ ! -e "$dir" ]; then
    log "$dir does not exist: nothing to stop"
    return 0
  fi
  # Only ever delete what `start` made (or the empty directory it was given).
  [ -f "$dir/$marker" ] || [ -z "$(ls -A "$dir")" ] ||
    die "$dir was not made by '$0 start'; not touching it"

  if [ -f "$dir/data/PG_VERSION" ]; then
    local bin status=0
    bin="$(find_bin)" || die "no pg_ctl under /usr/lib/postgresql/*/bin"
    as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || status=$?
    if [ "$status" -eq 0 ]; then
      log "stopping the cluster in $dir"
      if ! as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null; then
        # A server killed just before (a zombie postmaster) looks alive to status but is gone now.
        status=0
        as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || status=$?
        [ "$status" -eq 3 ] || die "pg_ctl stop failed; $dir is left in place"
      fi
    elif [ "$status" -ne 3 ]; then
      die "pg_ctl status failed ($status); $dir is left in place"
    fi
  fi
  rm -rf -- "$dir"
  log "removed $dir"
}

[ $# -eq 2 ] || usage
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
