# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the storage tests: the distro's server binaries,
# installed if missing, run as a non-root user from a temporary directory on a high
# loopback port with durability off (the data lives for one test run). Sourced by
# scripts/test after common.sh.
#
# Functions here are called as steps (`run_step … || …`), where bash ignores `set -e`, so
# every command that matters checks its own status.

# Prints the newest /usr/lib/postgresql/*/bin that has pg_ctl and initdb.
pg_bindir() {
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x $d/pg_ctl && -x $d/initdb && -x $d/postgres ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

ensure_postgres() {
  local bindir
  if bindir=$(pg_bindir); then
    note "PostgreSQL server binaries already installed: $bindir"
    return 0
  fi
  # We run a cluster of our own; keep the package from creating (and starting) the distro's
  # `main` cluster, then put the setting back as it was.
  local conf=/etc/postgresql-common/createcluster.d/zz-tejido-test.conf
  as_root mkdir -p "$(dirname "$conf")" || return 1
  echo 'create_main_cluster = false' | as_root tee "$conf" >/dev/null || return 1
  local rc=0
  apt_install postgresql || rc=$?
  as_root rm -f "$conf"
  ((rc == 0)) || return "$rc"
  bindir=$(pg_bindir) || {
    echo "error: installed postgresql but found no pg_ctl under /usr/lib/postgresql/*/bin" >&2
    return 1
  }
  note "installed PostgreSQL server binaries: $bindir"
}

# Runs a PostgreSQL program as the cluster's owner: `postgres` when we are root (the server
# refuses to run as root), ourselves otherwise.
pg_as_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# start_postgres: starts the cluster, registers its removal on exit and exports
# TEJIDO_TEST_PG_URL (a superuser that may CREATE DATABASE).
start_postgres() {
  local bindir dir port
  bindir=$(pg_bindir) || { echo "error: no PostgreSQL server binaries" >&2; return 1; }
  if ((EUID == 0)) && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres || return 1
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/tejido-pg.XXXXXX") || return 1
  on_exit "stop_postgres '$bindir' '$dir'"
  if ((EUID == 0)); then
    chown postgres: "$dir" || return 1
  fi
  chmod 700 "$dir" || return 1
  port=$(free_port "${TEJIDO_TEST_PG_PORT:-55432}") || return 1

  note "initdb in $dir/data"
  if ! pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale \
    --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi

  note "starting postgres on 127.0.0.1:$port"
  local opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
  opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  opts+=" -c max_connections=300 -c log_min_messages=warning"
  if ! pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "$opts" -w -t 60 -s \
    start >"$dir/pg_ctl.log" 2>&1; then
    cat "$dir/pg_ctl.log" >&2
    echo "error: postgres did not start; its log:" >&2
    cat "$dir/postgres.log" >&2 || true
    return 1
  fi

  export TEJIDO_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export TEJIDO_TEST_PG_LOG="$dir/postgres.log"
  local version
  if ! version=$(pg_as_owner "$bindir/psql" "$TEJIDO_TEST_PG_URL" -Atqc 'show server_version'); then
    echo "error: postgres started but does not answer on $TEJIDO_TEST_PG_URL" >&2
    return 1
  fi
  note "PostgreSQL $version ready: TEJIDO_TEST_PG_URL=$TEJIDO_TEST_PG_URL"
}

stop_postgres() {
  local bindir=$1 dir=$2
  if [[ -f $dir/data/postmaster.pid ]]; then
    pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 20 -s stop >/dev/null 2>&1 ||
      pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 10 -s stop >/dev/null 2>&1 ||
      true
  fi
  rm -rf "$dir"
}
