#!/usr/bin/env bash
# A local trace UI without docker: Zipkin's server from Maven Central (io.zipkin:zipkin-server, exec jar), run
# with the machine's Java, spans kept in memory. The services send to it when OTEL_EXPORTER_ZIPKIN_ENDPOINT
# is set (npm start does that). With docker, Jaeger is the trace UI instead (docker-compose.yml).
#
# usage: scripts/zipkin.sh start|stop|status     env: ZIPKIN_PORT (9411), ZIPKIN_HEAP (256m)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="$ROOT/.local/zipkin"
VERSION=3.5.1
JAR="$HOME_DIR/zipkin-server-$VERSION-exec.jar"
PID_FILE="$HOME_DIR/zipkin.pid"
LOG_FILE="$HOME_DIR/zipkin.log"
PORT="${ZIPKIN_PORT:-9411}"
HEAP="${ZIPKIN_HEAP:-256m}"

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

cmd_start() {
  if pid="$(running_pid)"; then info "already running (pid $pid) on http://127.0.0.1:$PORT"; return 0; fi
  command -v java >/dev/null 2>&1 || die "Java 17+ is required for the local trace UI"
  mkdir -p "$HOME_DIR"
  if [ ! -s "$JAR" ]; then
    command -v mvn >/dev/null 2>&1 || die "Maven is required to fetch zipkin-server from Maven Central"
    info "fetching io.zipkin:zipkin-server:$VERSION from Maven Central"
    mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.zipkin:zipkin-server:$VERSION:jar:exec" -DoutputDirectory="$HOME_DIR" >"$HOME_DIR/mvn.log" 2>&1 ||
      die "could not fetch zipkin-server (see $HOME_DIR/mvn.log)"
  fi
  STORAGE_TYPE=mem QUERY_PORT="$PORT" setsid nohup java "-Xmx$HEAP" -jar "$JAR" >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
      info "running on http://127.0.0.1:$PORT"
      return 0
    fi
    running_pid >/dev/null || die "zipkin exited while starting (see $LOG_FILE)"
    sleep 1
  done
  die "zipkin did not become ready in 60 s (see $LOG_FILE)"
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
  stop) cmd_stop ;;
  status) if pid="$(running_pid)"; then echo "running (pid $pid) on http://127.0.0.1:$PORT"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: scripts/zipkin.sh start|stop|status" >&2; exit 2 ;;
esac
