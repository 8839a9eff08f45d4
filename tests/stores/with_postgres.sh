#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/stores/with_postgres.sh COMMAND [ARGS...]
#
# Run COMMAND against a throwaway PostgreSQL server: initdb a cluster in a
# temporary directory, start it on a free loopback port, run COMMAND with
# ITSM_PG_CONNINFO set to reach it (the database "itsm", user "itsm"), then
# stop the server and remove the directory, whatever COMMAND did. The exit
# status is COMMAND's.
#
# Run as root (CI), the server runs as an unprivileged user (PostgreSQL
# refuses root): ITSM_PG_USER, default "nobody".
#
# When PostgreSQL's server programs are not installed it prints why and
# exits 77, which ctest reports as skipped (SKIP_RETURN_CODE 77).
# scripts/deps.sh installs them (Debian: postgresql), so CI never skips.
#
# Environment:
#   ITSM_PG_BINDIR   where initdb, pg_ctl and postgres are (default: the
#                    newest /usr/lib/postgresql/*/bin, else the PATH)
#   ITSM_PG_DURABLE  1: keep the server's fsync on (benchmarks); the
#                    default turns it off, since the tests kill clients,
#                    never the server
#   KEEP_TMP=1       keep the cluster's directory (and its log)
set -euo pipefail

[ "$#" -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

bindir=${ITSM_PG_BINDIR:-}
if [ -z "$bindir" ]; then
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then bindir=$d; break; fi
    done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v initdb)")
fi
if [ -n "$bindir" ] && { [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; }; then
    echo "SKIPPED: no initdb/pg_ctl in ITSM_PG_BINDIR=$bindir"
    exit 77
fi
if [ -z "$bindir" ]; then
    echo "SKIPPED: the PostgreSQL server is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin" \
         "or the PATH); install it with scripts/deps.sh (Debian package: postgresql)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-pg.XXXXXX")
chmod 755 "$tmp"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
    user=${ITSM_PG_USER:-nobody}
    uid=$(id -u "$user") || { echo "with_postgres: no user '$user' to run the server as" >&2; exit 1; }
    gid=$(id -g "$user")
    chown "$uid:$gid" "$tmp"
    if command -v setpriv >/dev/null 2>&1; then
        as_server=(setpriv --reuid="$uid" --regid="$gid" --clear-groups --)
    else
        as_server=(runuser -u "$user" --)
    fi
fi

stop() {
    local st=$?
    if [ -f "$tmp/data/postmaster.pid" ]; then
        "${as_server[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        echo "with_postgres: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$st"
}
trap stop EXIT
trap 'exit 130' INT TERM

# HOME and the current directory must be usable by the server's user.
here=$(pwd)
cd "$tmp"
if ! HOME=$tmp "${as_server[@]}" "$bindir/initdb" -D "$tmp/data" -U itsm --auth=trust -E UTF8 --locale=C \
        --no-sync > "$tmp/initdb.log" 2>&1; then
    cat "$tmp/initdb.log" >&2
    echo "with_postgres: initdb failed" >&2
    exit 1
fi

durable="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${ITSM_PG_DURABLE:-0}" = 1 ] && durable=""
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
started=0
for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # shellcheck disable=SC2086
    if HOME=$tmp "${as_server[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
            -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=60 $durable" \
            start > "$tmp/pg_ctl.log" 2>&1; then
        started=1
        break
    fi
    echo "with_postgres: start on port $port failed (attempt $attempt)" >&2
done
if [ "$started" -ne 1 ]; then
    cat "$tmp/pg_ctl.log" "$tmp/server.log" >&2 || true
    exit 1
fi

if ! "$bindir/createdb" -h 127.0.0.1 -p "$port" -U itsm itsm > "$tmp/createdb.log" 2>&1; then
    cat "$tmp/createdb.log" >&2
    exit 1
fi

export ITSM_PG_CONNINFO="host=127.0.0.1 port=$port user=itsm dbname=itsm"
export ITSM_PG_TMP=$tmp
echo "with_postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($tmp)"
cd "$here"
set +e
"$@"
st=$?
set -e
exit "$st"
