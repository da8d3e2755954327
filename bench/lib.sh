# Shared by the bench/*.sh scripts (sourced after `cd` to the repository root,
# with $bench_name set): a work directory that goes away on exit, the server and PostgreSQL cluster
# it may hold stopped with it, a log prefix, and a free loopback port.
work="$(mktemp -d /tmp/inmail-$bench_name.XXXXXX)"
chmod 755 "$work" # the cluster inside runs as the postgres user, who must reach it
pg_dir="$work/pg"
server_pid=""
log() { echo "${bench_log:-$bench_name}: $*" >&2; }

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -d "$pg_dir" ]; then
    bash scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || log "warning: could not stop the cluster in $pg_dir"
  fi
  if [ "${KEEP:-}" = 1 ]; then
    log "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Builds the server and the load generator (Release) and sets $web and $loadgen to their DLLs.
build_server_and_loadgen() {
  log "building Release"
  dotnet build src/InMail.Web -c Release -nologo -v quiet >&2
  dotnet build bench/InMail.LoadGen -c Release -nologo -v quiet >&2
  web="$(pwd)/src/InMail.Web/bin/Release/net10.0/InMail.Web.dll"
  loadgen="$(pwd)/bench/InMail.LoadGen/bin/Release/net10.0/InMail.LoadGen.dll"
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((40000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  log "no free port"
  return 1
}

