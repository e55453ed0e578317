# shellcheck shell=bash
# Shared helpers for scripts/test: step headers and timings, clean-up on exit, apt
# installs that work on a fresh Debian machine, and free loopback ports.
# Sourced, never run; expects `set -euo pipefail` from the caller.

# -- Step headers and timings -----------------------------------------------------------------

TEJIDO_T0=$(date +%s)
TEJIDO_STEP_NAMES=()
TEJIDO_STEP_RESULTS=()
TEJIDO_STEP_SECONDS=()

# Prints a header that stands out in a CI log.
header() {
  printf '\n==== %s ====\n' "$*"
}

note() {
  printf -- '---- %s\n' "$*"
}

fmt_secs() {
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# run_step NAME CMD...: runs one step with a header, records PASS/FAIL and its duration,
# and returns the command's status. Steps run in a subshell-free way so that exported
# variables and traps set by the caller stay in force.
run_step() {
  local name=$1
  shift
  header "$name"
  local start rc=0
  start=$(date +%s)
  "$@" || rc=$?
  local secs=$(($(date +%s) - start))
  TEJIDO_STEP_NAMES+=("$name")
  TEJIDO_STEP_SECONDS+=("$secs")
  if ((rc == 0)); then
    TEJIDO_STEP_RESULTS+=(PASS)
    note "$name: passed in $(fmt_secs "$secs")"
  else
    TEJIDO_STEP_RESULTS+=(FAIL)
    note "$name: FAILED (exit $rc) after $(fmt_secs "$secs")"
  fi
  return "$rc"
}

skip_step() {
  local name=$1 why=$2
  header "$name"
  note "skipped: $why"
  TEJIDO_STEP_NAMES+=("$name")
  TEJIDO_STEP_SECONDS+=(0)
  TEJIDO_STEP_RESULTS+=(SKIP)
}

# Prints the table of steps; returns non-zero if any step failed.
summary() {
  local i failed=0 total=$(($(date +%s) - TEJIDO_T0))
  header "Summary"
  for i in "${!TEJIDO_STEP_NAMES[@]}"; do
    printf '%-5s %8s  %s\n' "${TEJIDO_STEP_RESULTS[$i]}" "$(fmt_secs "${TEJIDO_STEP_SECONDS[$i]}")" "${TEJIDO_STEP_NAMES[$i]}"
    [[ ${TEJIDO_STEP_RESULTS[$i]} == FAIL ]] && failed=$((failed + 1))
  done
  printf '%-5s %8s  %s\n' "" "$(fmt_secs "$total")" "total"
  return "$failed"
}

# -- Clean-up ---------------------------------------------------------------------------------

TEJIDO_CLEANUPS=()

# on_exit CMD: registers a shell command to run when the script exits, last in first out.
on_exit() {
  TEJIDO_CLEANUPS+=("$1")
}

run_cleanups() {
  local i
  for ((i = ${#TEJIDO_CLEANUPS[@]} - 1; i >= 0; i--)); do
    eval "${TEJIDO_CLEANUPS[$i]}" || true
  done
  TEJIDO_CLEANUPS=()
}

install_traps() {
  trap run_cleanups EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# -- Privileges and packages ------------------------------------------------------------------

# as_root CMD...: runs a command as root (directly, or through sudo when there is one).
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    echo "error: '$*' needs root and there is no sudo" >&2
    return 1
  fi
}

TEJIDO_APT_UPDATED=${TEJIDO_APT_UPDATED:-0}

apt_update() {
  note "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
  TEJIDO_APT_UPDATED=1
}

# apt_install PKG...: installs Debian packages, refreshing the lists once per run, and once
# more (with a second try) if the install fails, as it can on a stale or flaky mirror.
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: need the Debian packages '$*' but apt-get is not available" >&2
    return 1
  fi
  if [[ $TEJIDO_APT_UPDATED != 1 ]]; then
    apt_update || return 1
  fi
  local try
  for try in 1 2; do
    note "apt-get install $*"
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends -o Dpkg::Use-Pty=0 "$@"; then
      return 0
    fi
    ((try == 1)) && { apt_update || return 1; }
  done
  echo "error: could not install $*" >&2
  return 1
}

# -- Ports ------------------------------------------------------------------------------------

# port_in_use PORT: true when something on 127.0.0.1 accepts connections on PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port [FIRST]: prints a free loopback port, FIRST or the next free one after it; without
# FIRST, one the kernel picks.
free_port() {
  local p
  if [[ $# -eq 0 ]]; then
    if command -v python3 >/dev/null 2>&1; then
      python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
      return
    fi
    set -- 38080
  fi
  for ((p = $1; p < $1 + 200; p++)); do
    if ! port_in_use "$p"; then
      echo "$p"
      return
    fi
  done
  echo "error: no free port in $1..$(($1 + 199))" >&2
  return 1
}

# random_secret: prints a random URL-safe string.
random_secret() {
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n'
}

# http_ok URL: true when URL answers 2xx.
http_ok() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null
  else
    python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
    sys.exit(0 if 200 <= r.status < 300 else 1)
PY
  fi
}
