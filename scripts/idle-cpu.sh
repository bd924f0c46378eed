#!/usr/bin/env bash
# `npm run idle-cpu`: what an idle pipeline costs, per service, as a share of one core (scripts/idle-cpu.js).
# Starts what it needs that is not running (Node 24, packages, a Kafka broker of its own with fresh topics, the
# database), builds, runs the whole stack on ports of its own with nothing sent to it, and stops what it started.
# Settings (env): IDLE_WINDOW_SECONDS (120), IDLE_SETTLE_SECONDS (20), IDLE_BASE_PORT (23200), IDLE_THREADS=1,
# IDLE_PROFILE=1, IDLE_KAFKA_PORT / IDLE_KAFKA_CONTROLLER_PORT (19492 / 19493), IDLE_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies
export KAFKAJS_NO_PARTITIONER_WARNING=1 KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-error}" NX_DAEMON=false

export KAFKA_PORT="${IDLE_KAFKA_PORT:-19492}" KAFKA_CONTROLLER_PORT="${IDLE_KAFKA_CONTROLLER_PORT:-19493}"
export KAFKA_STATE_DIR="$KEYFLOW_ROOT/.local/kafka-idle"
export IDLE_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export IDLE_DATABASE_URL="${IDLE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyflow_idle}"
export IDLE_WINDOW_SECONDS="${IDLE_WINDOW_SECONDS:-120}"
started_kafka=0
trap 'if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop >/dev/null || true; fi' EXIT
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  bash scripts/kafka.sh reset >/dev/null 2>&1 || true
  bash scripts/kafka.sh start
  started_kafka=1
fi
node scripts/ensure-databases.js "$IDLE_DATABASE_URL"
echo "building (tsc -b)…" >&2
tsc -b tsconfig.json
node scripts/idle-cpu.js
