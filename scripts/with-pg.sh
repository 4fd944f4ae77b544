#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster (scripts/pg-cluster.sh): BATON_TEST_PG
# holds its connection string (`postgres://baton@127.0.0.1:PORT/postgres`, trust auth) for
# the command; the cluster is stopped and removed when the command ends, fails or is
# interrupted. Exits with the command's status.
#   scripts/with-pg.sh cargo test -p baton-store --features pg-tests
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(($#)) || { echo "usage: $0 COMMAND [ARGS…]" >&2; exit 2; }
BATON_PG_CLUSTER=""
cleanup() { [[ -z "$BATON_PG_CLUSTER" ]] || bash "$ROOT/scripts/pg-cluster.sh" stop "$BATON_PG_CLUSTER"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$(bash "$ROOT/scripts/pg-cluster.sh" start)"
echo "with-pg: PostgreSQL test cluster at $BATON_TEST_PG ($BATON_PG_CLUSTER)" >&2
"$@"
