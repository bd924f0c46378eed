#!/usr/bin/env bash
# `npm run chaos -- [--orders 2000] [--rate 40] [--kill-every S] [--json FILE]`: orders flow while services
# are killed with SIGKILL and restarted, the broker restarts, Postgres crashes, crash points fire, callbacks
# are lost and duplicated and the primary supplier flaps; then the invariants are checked. Exits non-zero
# when one breaks. Owns everything it kills: a broker of its own (port 19492) and a Postgres of its own
# (initdb under .local/chaos, port 55433), services on ports 6001-6091.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies
export KAFKAJS_NO_PARTITIONER_WARNING=1 KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-error}" NX_DAEMON=false
export KAFKA_PORT="${CHAOS_KAFKA_PORT:-19492}" KAFKA_CONTROLLER_PORT="${CHAOS_KAFKA_CONTROLLER_PORT:-19493}"
export KAFKA_STATE_DIR="$KEYFLOW_ROOT/.local/kafka-chaos"
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
trap 'bash scripts/kafka.sh stop >/dev/null 2>&1 || true' EXIT
bash scripts/kafka.sh stop >/dev/null 2>&1 || true
bash scripts/kafka.sh reset >/dev/null 2>&1 || true
bash scripts/kafka.sh start
source scripts/lib/dev-secrets.sh
echo "building (tsc -b)…" >&2
tsc -b tsconfig.json
node libs/load/dist/cli/chaos.cli.js "$@"
