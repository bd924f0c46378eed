#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for local development
# and tests, without docker: the jars come from Maven Central via scripts/kafka/pom.xml, the JVM is the
# machine's Java 17+. Everything it writes lives under the ignored folder .local/kafka/.
#
# usage: scripts/kafka.sh start|ensure|stop|restart|status|logs [-f]|reset
#   start    resolve jars if missing, format storage if needed, start in the background, wait until ready
#   ensure   like start, but silent when the broker is already running (for test/start scripts)
#   stop     graceful SIGTERM, SIGKILL after KAFKA_STOP_TIMEOUT seconds; no-op when not running
#   status   "running (pid N) on HOST:PORT" (exit 0) or "not running" (exit 1)
#   logs     tail of the broker log (extra args go to tail, e.g. `logs -f`)
#   reset    stop and delete the data dir (all topics and offsets)
#
# env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m), KAFKA_STATE_DIR (.local/kafka: its
#      log, pid and data; another dir runs a second instance), KAFKA_DATA_DIR ($KAFKA_STATE_DIR/data),
#      KAFKA_START_TIMEOUT (60), KAFKA_STOP_TIMEOUT (30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONF_DIR="$ROOT/scripts/kafka"
KAFKA_HOME="$ROOT/.local/kafka"
LIBS_DIR="$KAFKA_HOME/libs"
# One broker instance's state (data, log, pid): the tests run their own instance beside the dev one.
STATE_DIR="${KAFKA_STATE_DIR:-$KAFKA_HOME}"
DATA_DIR="${KAFKA_DATA_DIR:-$STATE_DIR/data}"
LOG_FILE="$STATE_DIR/broker.log"
# JVM stdout/stderr: normally empty, but catches crashes that happen before/outside log4j.
OUT_FILE="$STATE_DIR/broker.out"
PID_FILE="$STATE_DIR/broker.pid"
LOCK_FILE="$STATE_DIR/.lock"
PROPS_FILE="$STATE_DIR/server.properties"
LIBS_STAMP="$LIBS_DIR/.pom.sha256"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:-512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
REQUIRED_JAVA_MAJOR=17

die() {
  echo "error: $*" >&2
  exit 1
}
info() { echo "kafka: $*" >&2; }

# --- tools -------------------------------------------------------------------------------------------

JAVA=""
find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    die "Java $REQUIRED_JAVA_MAJOR+ is required to run the local Kafka broker; install a JDK (e.g. apt-get install openjdk-17-jre-headless)"
  fi
  # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15  (or "1.8.0_392" for Java 8)
  local version major
  version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%.*}"
  [ "$major" = 1 ] && major="$(echo "$version" | cut -d. -f2)"
  case "$major" in '' | *[!0-9]*) die "cannot tell the version of $JAVA (got '${version}'); Java $REQUIRED_JAVA_MAJOR+ is required" ;; esac
  [ "$major" -ge "$REQUIRED_JAVA_MAJOR" ] ||
    die "Java $REQUIRED_JAVA_MAJOR+ is required to run the local Kafka broker, but $JAVA is Java $version; install a JDK (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
}

# Copies the broker's jars from Maven (~/.m2 cache, else Maven Central) into .local/kafka/libs.
# Skipped entirely when the jars for the current pom.xml are already there (stamp = hash of the POM).
ensure_libs() {
  local pom_sum
  pom_sum="$(sha256sum "$CONF_DIR/pom.xml" | cut -d' ' -f1)"
  if [ -f "$LIBS_STAMP" ] && [ "$(cat "$LIBS_STAMP")" = "$pom_sum" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 ||
    die "Maven (mvn) is required once to download the Kafka jars into .local/kafka/libs; install it (e.g. apt-get install maven)"
  info "resolving Kafka jars with Maven (once) into ${LIBS_DIR#"$ROOT"/}"
  # Copy into a temp dir and swap it in, so an interrupted download never looks complete.
  local tmp="$KAFKA_HOME/libs.tmp"
  rm -rf "$tmp"
  # Output is kept and shown only on failure (Debian's Maven 3.8 prints stray ANSI codes even with -q -B).
  local mvn_log="$KAFKA_HOME/mvn.log"
  if ! mvn -B --no-transfer-progress -f "$CONF_DIR/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DoutputDirectory="$tmp" \
    >"$mvn_log" 2>&1; then
    grep -F '[ERROR]' "$mvn_log" | head -n 20 >&2 || tail -n 30 "$mvn_log" >&2
    rm -rf "$tmp"
    die "Maven could not resolve the Kafka jars (full output in ${mvn_log#"$ROOT"/}); is Maven Central reachable?"
  fi
  rm -f "$mvn_log"
  echo "$pom_sum" >"$tmp/.pom.sha256"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
}

# Runs a Kafka class on the broker classpath (used for StorageTool).
kafka_tool() {
  "$JAVA" -Xmx256m -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$CONF_DIR/log4j.properties" -Dkafka.logs.dir="$STATE_DIR" \
    -cp "$LIBS_DIR/*" "$@"
}

# --- config and storage ------------------------------------------------------------------------------

sed_escape() { printf '%s' "$1" | sed 's/[\\|&]/\\&/g'; }

# Rendered on every start so changes to the template or the env vars take effect.
render_properties() {
  sed -e "s|@HOST@|$HOST|g" \
    -e "s|@PORT@|$PORT|g" \
    -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$(sed_escape "$DATA_DIR")|g" \
    "$CONF_DIR/server.properties.template" >"$PROPS_FILE.tmp"
  mv "$PROPS_FILE.tmp" "$PROPS_FILE"
}

# KRaft storage must be formatted once with a cluster id; the id is kept in the data dir so it stays stable
# (meta.properties records it too) until `reset` wipes the dir.
ensure_formatted() {
  [ -f "$DATA_DIR/meta.properties" ] && return 0
  mkdir -p "$DATA_DIR"
  local id_file="$DATA_DIR/cluster.id" cluster_id
  if [ ! -s "$id_file" ]; then
    kafka_tool kafka.tools.StorageTool random-uuid | tail -n 1 >"$id_file.tmp" ||
      die "could not generate a Kafka cluster id (kafka.tools.StorageTool random-uuid failed)"
    mv "$id_file.tmp" "$id_file"
  fi
  cluster_id="$(cat "$id_file")"
  info "formatting storage in ${DATA_DIR#"$ROOT"/} (cluster id $cluster_id)"
  # Static quorum (controller.quorum.voters), so a plain format is right; no --standalone.
  kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS_FILE" >/dev/null ||
    die "formatting Kafka storage in $DATA_DIR failed (see the output above)"
}

# --- process state -----------------------------------------------------------------------------------

# True when $1 is a live process that is our broker (guards against a recycled pid).
is_our_broker() {
  local pid="$1" cmdline
  [ -r "/proc/$pid/cmdline" ] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  case "$cmdline" in *kafka.Kafka*"$PROPS_FILE"*) return 0 ;; *) return 1 ;; esac
}

# Prints the pid of the running broker, or fails; removes a stale pid file on the way.
running_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && is_our_broker "$pid"; then
    echo "$pid"
    return 0
  fi
  rm -f "$PID_FILE"
  return 1
}

# Port of the running broker, from the properties it was started with (the env may differ since).
running_port() {
  sed -n 's/^listeners=PLAINTEXT:\/\/[^:]*:\([0-9]*\).*/\1/p' "$PROPS_FILE" 2>/dev/null | head -n 1
}

port_open() {
  # bash's /dev/tcp; `timeout` so a filtered port can't hang us.
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# Who listens on a port (best effort, for error messages).
port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1, pid \2/p' | head -n 1
}

# Byte offset of broker.log before this launch, so readiness and errors only look at this run's lines.
LOG_OFFSET=0

# Prints what this launch wrote to broker.log (the whole file if it rolled over meanwhile).
log_since_launch() {
  [ -f "$LOG_FILE" ] || return 0
  local offset=$LOG_OFFSET
  [ "$(stat -c %s "$LOG_FILE")" -lt "$offset" ] && offset=0
  tail -c +"$((offset + 1))" "$LOG_FILE"
}

fail_with_log() {
  echo "error: $*" >&2
  if [ -s "$OUT_FILE" ]; then
    echo "--- tail of ${OUT_FILE#"$ROOT"/} ---" >&2
    tail -n 20 "$OUT_FILE" >&2
  fi
  echo "--- tail of ${LOG_FILE#"$ROOT"/} (this start) ---" >&2
  log_since_launch | tail -n 40 >&2
  exit 1
}

# --- commands ----------------------------------------------------------------------------------------

# Serialises start/stop/reset so parallel `ensure` calls (test + start scripts) don't launch two brokers.
take_lock() {
  mkdir -p "$KAFKA_HOME" "$STATE_DIR"
  exec 9>"$LOCK_FILE"
  flock 9
}

cmd_start() {
  local quiet="${1:-}" pid
  take_lock
  if pid="$(running_pid)"; then
    local running_on
    running_on="$(running_port)"
    [ "${running_on:-$PORT}" = "$PORT" ] ||
      die "the broker is already running (pid $pid) on $HOST:$running_on, not on KAFKA_PORT=$PORT; use \`scripts/kafka.sh restart\` to move it"
    [ -n "$quiet" ] || info "already running (pid $pid) on $HOST:$PORT"
    return 0
  fi

  local port owner
  for port in "$PORT" "$CONTROLLER_PORT"; do
    if port_open "$port"; then
      owner="$(port_owner "$port")"
      die "port $port on $HOST is already in use by another process${owner:+ ($owner)}, not by this script's broker; stop it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
    fi
  done

  find_java
  ensure_libs
  render_properties
  ensure_formatted

  [ -f "$LOG_FILE" ] && LOG_OFFSET="$(stat -c %s "$LOG_FILE")"
  : >"$OUT_FILE"

  local started_at=$SECONDS
  # setsid + nohup: the broker gets its own session, so it survives the calling shell and its Ctrl-C.
  # The inner shell writes its own pid and then execs java, so the pid file holds the JVM's pid.
  # fd 9 (the lock) is closed so the broker doesn't hold it forever.
  # shellcheck disable=SC2016 # $$ and $@ are meant for the inner shell
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$CONF_DIR/log4j.properties" -Dkafka.logs.dir="$STATE_DIR" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$PROPS_FILE" \
    </dev/null >>"$OUT_FILE" 2>&1 9>&- &
  local launcher=$!

  [ -n "$quiet" ] || info "starting broker on $HOST:$PORT (controller $CONTROLLER_PORT, heap $HEAP)"
  local deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    # Normally the launcher pid is the JVM (setsid only forks when it is a group leader); prefer the pid file.
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if ! kill -0 "${pid:-$launcher}" 2>/dev/null; then
      rm -f "$PID_FILE"
      fail_with_log "the Kafka broker exited during startup"
    fi
    # Ready = the client port accepts connections and KafkaRaftServer logged that startup finished.
    # Not `grep -q`: it exits at the first match, tail then dies of SIGPIPE, and under pipefail the pipeline
    # fails; whenever the startup log passed the 64 KiB pipe buffer (many topics), "ready" was never seen.
    if port_open "$PORT" && log_since_launch | grep 'Kafka Server started' >/dev/null; then
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      # Don't leave a half-started broker behind: a later `ensure` would take it for a healthy one.
      stop_pid "${pid:-$launcher}" >/dev/null 2>&1
      fail_with_log "the Kafka broker did not become ready within ${START_TIMEOUT}s and was stopped again (raise KAFKA_START_TIMEOUT on a slow machine)"
    fi
    sleep 0.5
  done
  pid="$(cat "$PID_FILE")"
  [ -n "$quiet" ] || info "ready: running (pid $pid) on $HOST:$PORT after $((SECONDS - started_at))s"
}

# SIGTERM lets Kafka close its logs cleanly (no recovery on the next start); SIGKILL only as a last resort.
stop_pid() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      info "still running after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE"
}

cmd_stop() {
  local pid
  take_lock
  if ! pid="$(running_pid)"; then
    info "not running"
    return 0
  fi
  info "stopping broker (pid $pid)"
  stop_pid "$pid"
  info "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid) on $HOST:$(running_port)"
  else
    echo "not running"
    return 1
  fi
}

cmd_logs() {
  [ -f "$LOG_FILE" ] || die "no broker log yet (${LOG_FILE#"$ROOT"/})"
  if [ -s "$OUT_FILE" ]; then
    echo "--- ${OUT_FILE#"$ROOT"/} ---"
    tail -n 20 "$OUT_FILE"
    echo "--- ${LOG_FILE#"$ROOT"/} ---"
  fi
  if [ "$#" -eq 0 ]; then
    tail -n 100 "$LOG_FILE"
  else
    tail "$@" "$LOG_FILE"
  fi
}

cmd_reset() {
  cmd_stop
  # KAFKA_DATA_DIR is user-settable: refuse obviously wrong targets before rm -rf.
  case "$DATA_DIR" in
    '' | / | "$HOME" | "$ROOT" | "$KAFKA_HOME" | "$STATE_DIR") die "refusing to delete data dir '$DATA_DIR'" ;;
  esac
  rm -rf "$DATA_DIR"
  info "deleted ${DATA_DIR#"$ROOT"/}"
}

case "${1:-}" in
  start) cmd_start ;;
  ensure) cmd_start quiet ;;
  stop) cmd_stop ;;
  restart)
    cmd_stop
    cmd_start
    ;;
  status) cmd_status ;;
  logs)
    shift
    cmd_logs "$@"
    ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $(basename "$0") start|ensure|stop|restart|status|logs [-f]|reset" >&2
    exit 2
    ;;
esac
