#!/usr/bin/env bash
# `npm start`: the main job. On a fresh clone it provides Node 24 and the npm packages, starts a local Kafka
# broker (KRaft, scripts/kafka.sh) unless KAFKA_BROKERS points elsewhere, creates the database, builds the
# services and runs all six as separate processes until Ctrl-C. (Later issues add the sandbox provider and
# suppliers, the console and the demo load.)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies
export NX_DAEMON=false NX_NO_CLOUD=true KAFKAJS_NO_PARTITIONER_WARNING=1
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyflow}"

started_kafka=0
if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
    bash scripts/kafka.sh start
    started_kafka=1
  fi
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi
stop_kafka() { if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop || true; fi; }
trap stop_kafka EXIT

node scripts/ensure-databases.js "$DATABASE_URL"
echo "building services (tsc -b)…"
tsc -b tsconfig.json
node scripts/stack.js "$@"
