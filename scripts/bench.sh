#!/usr/bin/env bash
# `npm run bench -- <scenario> [options]`: benchmarks on this machine against the real broker and database.
# Starts what it needs (Node 24, packages, the local Kafka broker, the database) and stops what it started.
# Scenarios: spine-hop (one hop of the messaging spine: events/s and append→consume latency).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies
export KAFKAJS_NO_PARTITIONER_WARNING=1 KAFKA_LOG_LEVEL="${KAFKA_LOG_LEVEL:-error}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyflow}"
scenario="${1:-spine-hop}"
[ $# -gt 0 ] && shift
[ -f "bench/$scenario.bench.ts" ] || { echo "error: unknown scenario '$scenario' (have: $(ls bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' '))" >&2; exit 2; }

started_kafka=0
if [ -z "${KAFKA_BROKERS:-}" ] && ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  bash scripts/kafka.sh start
  started_kafka=1
fi
trap 'if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop || true; fi' EXIT
node scripts/ensure-databases.js "$DATABASE_URL"
SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register "bench/$scenario.bench.ts" "$@"
