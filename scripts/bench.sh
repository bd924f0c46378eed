#!/usr/bin/env bash
# `npm run bench -- --scenario steady|ramp|overload|supplier-outage|callback-loss [--orders N] [--rate R] [--json FILE]
#   [--base-port P] [--max-backlog N] [--profile] [--no-tracing] [--skip-limits] [--warmup N]`
# The whole pipeline under load on this machine, with this machine's limits measured in the same run.
# `npm run bench -- spine-hop|delivery-failover [options]` runs one of the narrower benchmarks instead.
# Starts what it needs (Node 24, packages, a Kafka broker of its own with fresh topics, the database, the
# services and sandboxes on ports 5001-5091, or from --base-port) and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies
export KAFKAJS_NO_PARTITIONER_WARNING=1 KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-error}" NX_DAEMON=false

if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  scenario="$1"
  shift
  [ -f "bench/$scenario.bench.ts" ] || { echo "error: unknown benchmark '$scenario' (have: $(ls bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' '))" >&2; exit 2; }
else
  scenario=pipeline
fi

# A broker of the benchmark's own (fresh topics, no consumer groups shared with a running `npm start`).
export KAFKA_PORT="${BENCH_KAFKA_PORT:-19392}" KAFKA_CONTROLLER_PORT="${BENCH_KAFKA_CONTROLLER_PORT:-19393}"
export KAFKA_STATE_DIR="$KEYFLOW_ROOT/.local/kafka-bench"
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyflow_bench}"
export BENCH_DATABASE_URL="$DATABASE_URL"
started_kafka=0
trap 'if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop >/dev/null || true; fi' EXIT
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  bash scripts/kafka.sh reset >/dev/null 2>&1 || true
  bash scripts/kafka.sh start
  started_kafka=1
fi
node scripts/ensure-databases.js "$DATABASE_URL"
source scripts/lib/dev-secrets.sh
echo "building (tsc -b)…" >&2
tsc -b tsconfig.json
SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register "bench/$scenario.bench.ts" "$@"
