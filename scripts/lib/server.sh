# shellcheck shell=bash
# A real `tejido serve --demo` for the browser tests: a free loopback port, a temporary
# SQLite database, a random demo password. Sourced by scripts/test after common.sh.
#
# Called as a step (`run_step … || …`), where bash ignores `set -e`, so every command that
# matters checks its own status.

TEJIDO_SERVER_PID=
TEJIDO_SERVER_DIR=
TEJIDO_SERVER_LOG=
TEJIDO_E2E_BASE_URL=

# start_tejido BINARY: starts the server, waits for /healthz (60 s), sets TEJIDO_E2E_BASE_URL, exports
# TEJIDO_DEMO_PASSWORD, and registers its stop on exit.
start_tejido() {
  local bin=$1 port deadline
  [[ -x $bin ]] || { echo "error: $bin is missing; the build step should have made it" >&2; return 1; }
  TEJIDO_SERVER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tejido-e2e.XXXXXX") || return 1
  TEJIDO_SERVER_LOG=$TEJIDO_SERVER_DIR/server.log
  on_exit stop_tejido
  port=$(free_port) || return 1
  export TEJIDO_DEMO_PASSWORD
  TEJIDO_DEMO_PASSWORD=$(random_secret) || return 1
  TEJIDO_E2E_BASE_URL="http://127.0.0.1:$port"

  note "$bin serve --demo --bind 127.0.0.1:$port --database-url sqlite://$TEJIDO_SERVER_DIR/tejido.db"
  "$bin" serve --demo --bind "127.0.0.1:$port" \
    --database-url "sqlite://$TEJIDO_SERVER_DIR/tejido.db" >"$TEJIDO_SERVER_LOG" 2>&1 </dev/null &
  TEJIDO_SERVER_PID=$!

  deadline=$(($(date +%s) + 60))
  until http_ok "$TEJIDO_E2E_BASE_URL/healthz"; do
    if ! kill -0 "$TEJIDO_SERVER_PID" 2>/dev/null; then
      local rc=0
      wait "$TEJIDO_SERVER_PID" || rc=$?
      TEJIDO_SERVER_PID=
      echo "error: tejido exited (status $rc) before /healthz answered; its log:" >&2
      cat "$TEJIDO_SERVER_LOG" >&2
      return 1
    fi
    if (($(date +%s) >= deadline)); then
      echo "error: $TEJIDO_E2E_BASE_URL/healthz did not answer 200 within 60 s; the server's log:" >&2
      cat "$TEJIDO_SERVER_LOG" >&2
      return 1
    fi
    sleep 0.5
  done
  note "tejido is up at $TEJIDO_E2E_BASE_URL (pid $TEJIDO_SERVER_PID)"
}

# Prints the last lines of the server's log (after a failed browser test, say).
tejido_log_tail() {
  if [[ -n $TEJIDO_SERVER_LOG && -f $TEJIDO_SERVER_LOG ]]; then
    note "last ${1:-60} lines of the server's log ($TEJIDO_SERVER_LOG)"
    tail -n "${1:-60}" "$TEJIDO_SERVER_LOG"
  fi
}

stop_tejido() {
  local i
  if [[ -n $TEJIDO_SERVER_PID ]] && kill -0 "$TEJIDO_SERVER_PID" 2>/dev/null; then
    kill -TERM "$TEJIDO_SERVER_PID" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      kill -0 "$TEJIDO_SERVER_PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL "$TEJIDO_SERVER_PID" 2>/dev/null || true
    wait "$TEJIDO_SERVER_PID" 2>/dev/null || true
  fi
  TEJIDO_SERVER_PID=
  if [[ -n $TEJIDO_SERVER_DIR ]]; then
    # Keep the log for humans next to the screenshots (e2e/out/ is ignored by git).
    if [[ -f $TEJIDO_SERVER_LOG && -d e2e ]]; then
      { mkdir -p e2e/out && cp "$TEJIDO_SERVER_LOG" e2e/out/server.log; } 2>/dev/null || true
    fi
    rm -rf "$TEJIDO_SERVER_DIR"
    TEJIDO_SERVER_DIR=
  fi
}
