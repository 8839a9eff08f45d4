#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/deps.sh - install what a fresh Debian/Ubuntu machine lacks to build,
# test and demonstrate itsm, and only that. Run by scripts/test.sh,
# scripts/demo.sh and .ci/run; safe to run again (does nothing when all is
# present). Needs root (or sudo) only when something is missing.
#
#   cmake, pkg-config, a C/C++ toolchain, binutils (nm), python3
#   libcmocka-dev   the test framework
#   libsqlite3-dev  the SQLite host example and the replay tool
#   zlib1g-dev      reading the compressed real incident logs
#   libpq-dev       libitsm-pg, the PostgreSQL store (stores/pg)
#   postgresql      the server the PostgreSQL tests start in a temporary
#                   directory (tests/stores/with_postgres.sh); without it
#                   they are reported skipped
set -euo pipefail

missing=()
for pkg in libc6-dev libcmocka-dev libsqlite3-dev zlib1g-dev libpq-dev postgresql; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# command -> Debian package providing it
for pair in cc:gcc c++:g++ make:make nm:binutils pkg-config:pkg-config \
            cmake:cmake python3:python3; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "all build dependencies are present"
else
    echo "installing: ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "scripts/deps.sh: missing ${missing[*]} and not root (and no sudo) to install them" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    # The tests start their own throwaway server: do not let the package
    # create (and start) a system-wide cluster as well.
    case " ${missing[*]} " in
        *" postgresql "*)
            "${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
            echo "create_main_cluster = false" |
                "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/itsm-tests.conf > /dev/null ;;
    esac
    "${sudo[@]}" apt-get update < /dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}" < /dev/null
fi

exit 0
