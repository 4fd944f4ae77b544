#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: initdb + pg_ctl as the `postgres` user, in a
# temp dir under /tmp, listening on a Unix socket in that dir and on 127.0.0.1 at a free
# port, fsync off (tests only). Recipe: ../shared/docs/lan-and-postgres.md.
#
#   eval "$(scripts/pg-cluster.sh start)"   # exports BATON_TEST_PG and BATON_PG_CLUSTER
#   scripts/pg-cluster.sh stop "$BATON_PG_CLUSTER"
#
# Options of `start` (tests of TLS and passwords; without them the cluster trusts everyone):
#   --tls        ssl=on with certificates made here with openssl, in $BATON_PG_TLS_DIR:
#                root.crt (the test authority), server.crt (for `localhost` only, signed
#                by it), other-root.crt (an authority that signed nothing of this server),
#                client.crt/client.key (user tls_cert, signed by root.crt). Roles on
#                127.0.0.1: tls_cert (client certificate only, `hostssl … cert`), tls_only
#                (trusted over TLS, refused without), plain_only (trusted without TLS,
#                refused with it).
#   --password PW   role `ana` (CREATEDB) with password PW; on 127.0.0.1 every role but
#                `baton` must give its password (scram-sha-256). `baton` stays trusted.
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

# Test certificates: an authority, a server certificate for `localhost` signed by it, a
# second authority, and a client certificate for tls_cert.
make_certs() {
  local t=$1
  command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
  mkdir -p "$t"
  (
    cd "$t"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Baton test authority" \
      -keyout root.key -out root.crt
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Some other authority" \
      -keyout other-root.key -out other-root.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' >server.ext
    openssl x509 -req -in server.csr -CA root.crt -CAkey root.key -CAcreateserial -days 2 \
      -extfile server.ext -out server.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=tls_cert" -keyout client.key -out client.csr
    printf 'basicConstraints=CA:FALSE\n' >client.ext
    openssl x509 -req -in client.csr -CA root.crt -CAkey root.key -CAcreateserial -days 2 \
      -extfile client.ext -out client.crt
    rm -f ./*.csr ./*.ext ./*.srl
  ) >/dev/null 2>&1 || die "making the test certificates with openssl failed"
  chmod 600 "$t"/*.key
  chown postgres:postgres "$t/server.key" "$t/server.crt" "$t/root.crt"
}

write_hba() {
  local data=$1 tls=$2 pw=$3
  {
    echo "local all all trust"
    echo "host all baton 127.0.0.1/32 trust"
    if [[ -n "$tls" ]]; then
      echo "hostssl all tls_cert 127.0.0.1/32 cert"
      echo "hostnossl all tls_only 127.0.0.1/32 reject"
      echo "hostssl all tls_only 127.0.0.1/32 trust"
      echo "hostssl all plain_only 127.0.0.1/32 reject"
      echo "hostnossl all plain_only 127.0.0.1/32 trust"
    fi
    if [[ -n "$pw" ]]; then
      echo "host all all 127.0.0.1/32 scram-sha-256"
    else
      echo "host all all 127.0.0.1/32 trust"
    fi
  } >"$data/pg_hba.conf"
}

start_cluster() {
  [[ $(id -u) -eq 0 ]] || die "run as root: initdb and pg_ctl run as the postgres user through runuser"
  id postgres >/dev/null 2>&1 || die "no postgres user (apt-get install postgresql)"
  local bin dir port tls="" pw="" ssl_opts=""
  while (($#)); do
    case "$1" in
      --tls) tls=1 ;;
      --password) pw=${2:?--password needs a password}; shift ;;
      *) die "unknown option $1 (start [--tls] [--password PW])" ;;
    esac
    shift
  done
  bin=$(pgbin)
  dir=$(mktemp -d /tmp/pgt.XXXXXX)
  # Anything failing from here on leaves nothing behind.
  trap 'stop_cluster "$dir"' ERR
  chown postgres:postgres "$dir"
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  as_pg "$bin/initdb" -N -D "$dir/data" -A trust -U baton -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; false; }
  if [[ -n "$tls" ]]; then
    make_certs "$dir/tls"
    ssl_opts="-c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key -c ssl_ca_file=$dir/tls/root.crt"
  fi
  if [[ -n "$tls$pw" ]]; then
    write_hba "$dir/data" "$tls" "$pw"
    chown postgres:postgres "$dir/data/pg_hba.conf"
  fi
  as_pg "$bin/pg_ctl" -w -t 30 -D "$dir/data" -l "$dir/log" \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 $ssl_opts" \
    start >/dev/null || { cat "$dir/log" >&2; false; }
  if [[ -n "$tls" ]]; then
    as_pg psql -qX -h "$dir" -p "$port" -U baton -d postgres \
      -c "CREATE ROLE tls_cert LOGIN CREATEDB" -c "CREATE ROLE tls_only LOGIN CREATEDB" \
      -c "CREATE ROLE plain_only LOGIN CREATEDB" >/dev/null
  fi
  if [[ -n "$pw" ]]; then
    # The password goes through psql's variable quoting, never spliced into SQL.
    as_pg psql -qX -h "$dir" -p "$port" -U baton -d postgres -v pw="$pw" >/dev/null <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE ana LOGIN CREATEDB PASSWORD :'pw';
SQL
  fi
  trap - ERR
  printf 'export BATON_TEST_PG=%q\n' "postgres://baton@127.0.0.1:$port/postgres"
  printf 'export BATON_PG_CLUSTER=%q\n' "$dir"
  [[ -z "$tls" ]] || printf 'export BATON_PG_TLS_DIR=%q\n' "$dir/tls"
}

case "${1:-}" in
  start) shift; start_cluster "$@" ;;
  stop) stop_cluster "${2:-${BATON_PG_CLUSTER:-}}" ;;
  *) die "usage: $0 start [--tls] [--password PW] | stop DIR" ;;
esac
