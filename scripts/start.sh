#!/usr/bin/env bash
# `npm start`: the main job. On a fresh clone it provides Node 24 and the npm packages, starts a local Kafka
# broker (KRaft, scripts/kafka.sh) unless KAFKA_BROKERS points elsewhere, a Zipkin trace UI, creates the
# database, builds, and runs the sandboxes and all six services as separate processes (scripts/stack.js);
# then a demo load with a live progress line and a report. Everything stays up until Ctrl-C.
# Options: --no-demo, --exit-after-demo, --exit-when-healthy, --orders N, --rate R.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies
export NX_DAEMON=false NX_NO_CLOUD=true KAFKAJS_NO_PARTITIONER_WARNING=1
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyflow}"

started_kafka=0
started_zipkin=0
# Registered before anything starts: a broker started here is stopped again even if Zipkin fails to start.
stop_infra() {
  if [ "$started_zipkin" = 1 ]; then bash scripts/zipkin.sh stop || true; fi
  if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop || true; fi
}
trap stop_infra EXIT
if [ -z "${KAFKA_BROKERS:-}" ]; then
  if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
    bash scripts/kafka.sh start
    started_kafka=1
  fi
  export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
fi
# A trace UI without docker (Zipkin), unless spans already go somewhere or KEYFLOW_TRACES=off.
if [ "${KEYFLOW_TRACES:-on}" != off ] && [ -z "${OTEL_EXPORTER_OTLP_ENDPOINT:-}${OTEL_EXPORTER_ZIPKIN_ENDPOINT:-}" ]; then
  if ! bash scripts/zipkin.sh status >/dev/null 2>&1; then
    bash scripts/zipkin.sh start
    started_zipkin=1
  fi
  export OTEL_EXPORTER_ZIPKIN_ENDPOINT="http://127.0.0.1:${ZIPKIN_PORT:-9411}/api/v2/spans"
  export KEYFLOW_TRACE_UI="http://127.0.0.1:${ZIPKIN_PORT:-9411}/zipkin/"
fi

node scripts/ensure-databases.js "$DATABASE_URL"

# Development secrets (master keys, sealing key pair), made once under .local/dev-secrets/.
source scripts/lib/dev-secrets.sh

# A development operator key (admin scope), made once and kept in .local/, unless OPERATOR_API_KEYS is set.
if [ -z "${OPERATOR_API_KEYS:-}" ]; then
  key_file="$KEYFLOW_ROOT/.local/dev-operator-key"
  if [ ! -s "$key_file" ]; then
    mkdir -p "$(dirname "$key_file")"
    node scripts/api-key.js dev-operator admin > "$key_file"
    chmod 600 "$key_file"
  fi
  KEYFLOW_DEV_OPERATOR_KEY="$(sed -n 's/^key (shown once): *//p' "$key_file")"
  OPERATOR_API_KEYS="$(sed -n 's/^OPERATOR_API_KEYS entry: *//p' "$key_file")"
  export KEYFLOW_DEV_OPERATOR_KEY OPERATOR_API_KEYS
fi
echo "building services (tsc -b)…"
tsc -b tsconfig.json
node scripts/stack.js "$@"
