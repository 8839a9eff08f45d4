#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/deps.sh [build|demo|test] - install what a fresh Debian/Ubuntu
# machine lacks for one purpose, and only that:
#
#   build  the library, examples and tools: a C toolchain, make, cmake,
#          pkg-config
#   demo   build + libsqlite3-dev (the SQLite store) and zlib1g-dev (the
#          compressed logs): what ./scripts/demo.sh needs
#   test   demo + everything the whole suite and CI use (the default):
#          libcmocka-dev (unit tests), g++ (the C++ header check), binutils
#          (nm), python3 and python3-venv (the Python binding and its
#          install test), python3-mypy (the typed-Python check), doxygen
#          (the API reference and its completeness check), libpq-dev
#          (libitsm-pg, the PostgreSQL store) and postgresql (the server
#          its tests start in a temporary directory; without it they are
#          reported skipped), php8.2-cli (has FFI), php8.2-sqlite3 and
#          phpunit (the PHP binding's suite),
#          valgrind (the benchmarks' instruction counts, scripts/bench-callgrind.sh,
#          and the memcheck run, scripts/valgrind.sh), clang with
#          libclang-rt-dev (the libFuzzer targets, scripts/fuzz.sh) and
#          libtsan2 (ThreadSanitizer, scripts/tsan.sh)
#
# Run by ./scripts/demo.sh (demo), ./scripts/test.sh and .ci/run (test).
# Safe to run again: it does nothing when all is present. It installs only
# when it can (root, or password-less sudo); otherwise it names what is
# missing and the command to install it, and exits 1.
set -euo pipefail

purpose=${1:-test}
case "$purpose" in
    build|demo|test) ;;
    -h|--help) sed -n '3,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "scripts/deps.sh: unknown purpose '$purpose' (build, demo or test)" >&2; exit 2 ;;
esac

# Debian packages checked with dpkg, and commands (command:package).
pkgs=(libc6-dev)
cmds=(cc:gcc make:make cmake:cmake pkg-config:pkg-config)
if [ "$purpose" = demo ] || [ "$purpose" = test ]; then
    pkgs+=(libsqlite3-dev zlib1g-dev)
fi
if [ "$purpose" = test ]; then
    pkgs+=(libcmocka-dev python3-venv python3-mypy libpq-dev postgresql)
    cmds+=(c++:g++ nm:binutils python3:python3 doxygen:doxygen)
    pkgs+=(php8.2-cli php8.2-sqlite3)      # the PHP binding (FFI is part of php8.2-cli)
    cmds+=(phpunit:phpunit)
    cmds+=(valgrind:valgrind)              # the benchmarks' instruction counts, memcheck
    cmds+=(clang:clang)                    # the fuzz targets (with libclang-rt-dev: libFuzzer)
    pkgs+=(libclang-rt-dev libtsan2)       # libFuzzer, and gcc's ThreadSanitizer runtime
fi

missing=()
for pkg in "${pkgs[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
for pair in "${cmds[@]}"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "deps.sh: everything the $purpose needs is present"
    exit 0
fi

# Decide first whether we can install; say "installing" only then.
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        sudo=(sudo -n)
    else
        echo "deps.sh: the $purpose needs ${missing[*]}, which this machine lacks." >&2
        echo "deps.sh: install as root, then run again:" >&2
        echo "    apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps.sh: the $purpose needs ${missing[*]}; there is no apt-get here: install them with the system's package manager" >&2
    exit 1
fi

echo "deps.sh: installing for the $purpose: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq < /dev/null &&
       "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -qq --no-install-recommends "${missing[@]}" < /dev/null; }; then
    echo "deps.sh: apt-get failed to install ${missing[*]} (see its messages above)" >&2
    exit 1
fi
exit 0
