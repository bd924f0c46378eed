#!/usr/bin/env bash
# A local trace UI without docker: Zipkin's server from Maven Central (io.zipkin:zipkin-server, exec jar), run
# with the machine's Java, spans kept in memory. The services send to it when OTEL_EXPORTER_ZIPKIN_ENDPOINT
# is set (npm start does that). With docker, Jaeger is the trace UI instead (docker-compose.yml).
#
# Memory is bounded: in-memory storage keeps at most MEM_MAX_SPANS spans (oldest traces dropped first), sized
# to the heap: ZIPKIN_SPANS_PER_MB (150) per MB, about half the heap, since a span shaped like the pipeline's
# (14 tags) holds about 3 KB live (measured: 60,000 spans took 176 MB after a full GC). Unbounded (Zipkin's
# default cap is 500,000 spans) a 256 MB heap died of OutOfMemoryError a minute into the demo and the trace UI
# hung. A busy day keeps the newest traces, and the UI keeps answering.
#
# usage: scripts/zipkin.sh start|stop|status|fetch (fetch: only download the server, e.g. before the tests)
# env: ZIPKIN_PORT (9411), ZIPKIN_HEAP (512m), ZIPKIN_MAX_SPANS (from the heap), ZIPKIN_STATE_DIR (pid and log;
#      a test's own instance uses its own), ZIPKIN_START_TIMEOUT (seconds, 180: on a busy 2-core machine the JVM took 75 s)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="$ROOT/.local/zipkin"
STATE_DIR="${ZIPKIN_STATE_DIR:-$HOME_DIR}"
VERSION=3.5.1
JAR="$HOME_DIR/zipkin-server-$VERSION-exec.jar"
PID_FILE="$STATE_DIR/zipkin.pid"
LOG_FILE="$STATE_DIR/zipkin.log"
PORT="${ZIPKIN_PORT:-9411}"
HEAP="${ZIPKIN_HEAP:-512m}"
SPANS_PER_MB="${ZIPKIN_SPANS_PER_MB:-150}"

# Heap in MB from a JVM size (512m, 1g, 1024M).
heap_mb() {
  local size="${1,,}"
  case "$size" in
    *g) echo $(( ${size%g} * 1024 )) ;;
    *m) echo "${size%m}" ;;
    *k) echo $(( ${size%k} / 1024 )) ;;
    *) echo $(( size / 1024 / 1024 )) ;;
  esac
}
MAX_SPANS="${ZIPKIN_MAX_SPANS:-$(( $(heap_mb "$HEAP") * SPANS_PER_MB ))}"

die() { echo "zipkin: error: $*" >&2; exit 1; }
info() { echo "zipkin: $*" >&2; }

running_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "zipkin-server"; then
    echo "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

cmd_fetch() {
  mkdir -p "$HOME_DIR"
  if [ ! -s "$JAR" ]; then
    command -v mvn >/dev/null 2>&1 || die "Maven is required to fetch zipkin-server from Maven Central"
    info "fetching io.zipkin:zipkin-server:$VERSION from Maven Central"
    mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.zipkin:zipkin-server:$VERSION:jar:exec" -DoutputDirectory="$HOME_DIR" >"$HOME_DIR/mvn.log" 2>&1 ||
      die "could not fetch zipkin-server (see $HOME_DIR/mvn.log)"
  fi
}

cmd_start() {
  if pid="$(running_pid)"; then info "already running (pid $pid) on http://127.0.0.1:$PORT"; return 0; fi
  command -v java >/dev/null 2>&1 || die "Java 17+ is required for the local trace UI"
  mkdir -p "$STATE_DIR"
  cmd_fetch
  # -XX:+ExitOnOutOfMemoryError: should the cap ever be too high, the process ends (and says why in the
  # log) rather than hanging half-alive in GC as it did.
  STORAGE_TYPE=mem MEM_MAX_SPANS="$MAX_SPANS" QUERY_PORT="$PORT" setsid nohup java "-Xmx$HEAP" \
    -XX:+ExitOnOutOfMemoryError -jar "$JAR" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 "${ZIPKIN_START_TIMEOUT:-180}"); do
    if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
      info "running on http://127.0.0.1:$PORT (heap $HEAP, at most $MAX_SPANS spans kept)"
      return 0
    fi
    running_pid >/dev/null || die "zipkin exited while starting (see $LOG_FILE)"
    sleep 1
  done
  kill "$(cat "$PID_FILE")" 2>/dev/null || true
  die "zipkin did not become ready in ${ZIPKIN_START_TIMEOUT:-180} s (see $LOG_FILE)"
}

cmd_stop() {
  local pid
  pid="$(running_pid)" || { info "not running"; return 0; }
  kill "$pid"
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  info "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  fetch) cmd_fetch ;;
  stop) cmd_stop ;;
  status) if pid="$(running_pid)"; then echo "running (pid $pid) on http://127.0.0.1:$PORT"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: scripts/zipkin.sh start|stop|status|fetch" >&2; exit 2 ;;
esac
