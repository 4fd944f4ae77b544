#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb + pg_ctl as the `postgres` user, in a
# temp dir under /tmp, listening on a Unix socket in that dir and on 127.0.0.1 at a free
# port, fsync off (tests only). Recipe: ../shared/docs/lan-and-postgres.md.
#
#   eval "$(scripts/pg-cluster.sh start)"   # exports BATON_TEST_PG and BATON_PG_CLUSTER
#   scripts/pg-cluster.sh stop "$BATON_PG_CLUSTER"
#
# `start` prints the two `export` lines on stdout (everything else goes to stderr) and
# leaves nothing running if it fails. `stop` stops the server by the PID in its
# postmaster.pid (pg_ctl first, then that PID alone) and removes the dir. Prefer
# scripts/with-pg.sh, which does both around a command, in a trap.
set -euo pipefail

die() { printf 'pg-cluster: %s\n' "$*" >&2; exit 1; }
as_pg() { (cd / && runuser -u postgres -- "$@"); }

pgbin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x "$d/initdb" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql; scripts/install-deps.sh does)"
  printf '%s' "$d"
}

stop_cluster() {
  local dir=$1 bin pid
  [[ -n "$dir" && -d "$dir" ]] || return 0
  case "$dir" in /tmp/pgt.*) ;; *) die "refusing to stop/remove $dir: not a cluster dir made by this script" ;; esac
  bin=$(pgbin)
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    pid=$(head -1 "$dir/data/postmaster.pid")
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
}

start_cluster() {
  [[ $(id -u) -eq 0 ]] || die "run as root: initdb and pg_ctl run as the postgres user through runuser"
  id postgres >/dev/null 2>&1 || die "no postgres user (apt-get install postgresql)"
  local bin dir port
  bin=$(pgbin)
  dir=$(mktemp -d /tmp/pgt.XXXXXX)
  # Anything failing from here on leaves nothing behind.
  trap 'stop_cluster "$dir"' ERR
  chown postgres:postgres "$dir"
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  as_pg "$bin/initdb" -N -D "$dir/data" -A trust -U baton -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; false; }
  as_pg "$bin/pg_ctl" -w -t 30 -D "$dir/data" -l "$dir/log" \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/log" >&2; false; }
  trap - ERR
  printf 'export BATON_TEST_PG=%q\n' "postgres://baton@127.0.0.1:$port/postgres"
  printf 'export BATON_PG_CLUSTER=%q\n' "$dir"
}

case "${1:-}" in
  start) start_cluster ;;
  stop) stop_cluster "${2:-${BATON_PG_CLUSTER:-}}" ;;
  *) die "usage: $0 start | stop DIR" ;;
esac
