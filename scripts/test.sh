#!/usr/bin/env bash
# `npm test`: the whole test suite from a fresh clone. Sets up what it needs (Node 24, npm packages, a
# Kafka broker of its own on port 19092 with fresh data, the keyflow_test database), then:
# type-check and build, lint, unit tests, end-to-end tests against the real broker and Postgres.
# Extra arguments go to jest (e.g. `npm test -- -t outbox`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
ensure_dependencies

# The tests' broker is separate from the dev one (scripts/kafka.sh on 9092), so tests never disturb a
# running demo and always start from empty topics.
export KAFKA_PORT="${TEST_KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${TEST_KAFKA_CONTROLLER_PORT:-19093}"
export KAFKA_STATE_DIR="$KEYFLOW_ROOT/.local/kafka-test"
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyflow_test}"
export KAFKAJS_NO_PARTITIONER_WARNING=1
export NX_DAEMON=false NX_NO_CLOUD=true

started_kafka=0
stop_kafka() { if [ "$started_kafka" = 1 ]; then bash scripts/kafka.sh stop || true; fi; }
trap stop_kafka EXIT
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  bash scripts/kafka.sh reset >/dev/null 2>&1 || true
  bash scripts/kafka.sh start
  started_kafka=1
fi
node scripts/ensure-databases.js "$TEST_DATABASE_URL"
# The trace e2e exports to a Zipkin of its own started from scripts/zipkin.sh: fetch the server beforehand.
bash scripts/zipkin.sh fetch

# The console's browser test drives Debian's chromium through playwright-core (never a browser download).
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "installing chromium (apt) for the console's browser test…"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { $sudo apt-get install -y chromium >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y chromium >/dev/null 2>&1; }; } ||
    echo "could not install chromium: the console's browser test will fail"
fi

# The alert rules and dashboard under deploy/ are checked by promtool, from Debian's prometheus package.
if ! command -v promtool >/dev/null 2>&1; then
  echo "installing promtool (apt: prometheus) to check the alert rules and dashboard…"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null 2>&1 &&
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1; }; } ||
    echo "could not install promtool: the monitoring check will fail"
fi

results="$KEYFLOW_ROOT/.local/test-results"
rm -rf "$results" && mkdir -p "$results"

echo "== type-check and build (tsc -b)"
tsc -b tsconfig.json
tsc -p tsconfig.spec.json
echo "== lint (eslint with Nx module boundaries)"
nx show projects >/dev/null # writes the project graph the boundaries rule reads
eslint . --max-warnings 0
# Build output under src/ would shadow the .ts it came from at run time (see .gitignore): none may exist,
# tracked or not, after the build above. A .d.ts counts only beside its own .ts (others are hand-written).
build_output_under_src() {
  find apps/*/src libs/*/src \( -name '*.js' -o -name '*.js.map' -o -name '*.d.ts.map' \) -print
  find apps/*/src libs/*/src -name '*.d.ts' -print | while read -r d; do
    if [ -e "${d%.d.ts}.ts" ]; then echo "$d"; fi
  done
}
stray="$(build_output_under_src)"
if [ -n "$stray" ]; then echo "build output under src/ (it belongs in dist/):"; echo "$stray"; exit 1; fi
prettier --check . >/dev/null || { prettier --check . | tail -20; echo "formatting differs: run npm run format"; exit 1; }

status=0
echo "== monitoring (promtool: alert rules, their unit tests, dashboard queries)"
bash scripts/check-monitoring.sh || status=1
echo "== unit tests"
jest -c jest.config.js --json --outputFile "$results/unit.json" "$@" || status=1
echo "== end-to-end tests (real Kafka on $KAFKA_BROKERS, Postgres)"
# --forceExit: after the broker-restart test, kafkajs can keep reconnect timers alive past the last test.
timeout 1500 jest -c jest.e2e.config.js --runInBand --forceExit --json --outputFile "$results/e2e.json" "$@" || status=1

node -e '
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const f of process.argv.slice(1)) {
    if (!require("fs").existsSync(f)) { total.failed += 1; console.error(`no results from ${f}: that jest run did not complete`); continue; }
    const r = require(f);
    total.passed += r.numPassedTests;
    total.failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    total.skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
' "$results/unit.json" "$results/e2e.json"
exit "$status"
