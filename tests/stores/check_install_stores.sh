#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/stores/check_install_stores.sh SOURCE-DIR BUILD-DIR
#
# The stores as a host gets them: install the build into a temporary
# prefix; for every store that was built (libitsm-sqlite, libitsm-pg) check
# its files are there, then build and run a small host
# (tests/stores/consumer/<store>_consumer.c)
#   a. with `pkg-config --cflags --libs itsm-<store>`, and
#   b. with find_package(itsm COMPONENTS <store>) and itsm::<store>;
# and a component that was not installed fails find_package.
# Environment: CC (default cc), ITSM_CONSUMER_FLAGS (e.g. the sanitizers).
set -euo pipefail
[ "$#" -eq 2 ] || { echo "usage: $0 SOURCE-DIR BUILD-DIR" >&2; exit 2; }
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
cc=${CC:-cc}
read -r -a extra_flags <<< "${ITSM_CONSUMER_FLAGS:-}"
consumer=$src/tests/stores/consumer
die() { echo "check_install_stores: FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-install-stores.XXXXXX")
[ "${KEEP_TMP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; die "cmake --install"; }
pcdir=$(dirname "$(find "$prefix" -path '*/pkgconfig/itsm.pc' | head -n 1)")
libdir=$(dirname "$pcdir")

built=()
for store in sqlite pg; do
    [ -f "$build/itsm-$store.pc" ] && built+=("$store")
done
[ "${#built[@]}" -gt 0 ] || { echo "no store was built: nothing to check"; exit 0; }

# Ours first; the system's after it, for sqlite3.pc and libpq.pc.
system_pc=$(pkg-config --variable pc_path pkg-config 2>/dev/null || true)
export PKG_CONFIG_LIBDIR=$pcdir${system_pc:+:$system_pc}
unset PKG_CONFIG_PATH
for store in "${built[@]}"; do
    echo "== libitsm-$store"
    [ -f "$pcdir/itsm-$store.pc" ] || die "itsm-$store.pc was not installed"
    [ -f "$prefix/include/itsm/stores/$store.h" ] || die "include/itsm/stores/$store.h was not installed"
    ls "$libdir"/libitsm-"$store".so.* > /dev/null 2>&1 || die "no libitsm-$store.so.<version> in $libdir"
    [ -f "$libdir/cmake/itsm/itsm-${store}Targets.cmake" ] || die "no cmake/itsm/itsm-${store}Targets.cmake"
    read -r -a flags <<< "$(pkg-config --cflags --libs "itsm-$store")"
    echo "pkg-config --cflags --libs itsm-$store: ${flags[*]}"
    "$cc" -std=c11 -Wall -Wextra -Werror "${extra_flags[@]}" -o "$tmp/pc_$store" \
        "$consumer/${store}_consumer.c" "${flags[@]}" || die "the pkg-config $store consumer did not build"
    LD_LIBRARY_PATH="$libdir" "$tmp/pc_$store" || die "the pkg-config $store consumer failed"
done
# Headers of stores that were not built are not installed either.
for store in sqlite pg; do
    if [ ! -f "$build/itsm-$store.pc" ] && [ -e "$prefix/include/itsm/stores/$store.h" ]; then
        die "include/itsm/stores/$store.h installed without its library"
    fi
done

echo "== find_package(itsm COMPONENTS ${built[*]})"
comps=$(IFS=';'; echo "${built[*]}")
args=(-S "$consumer" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DITSM_COMPONENTS="$comps"
      -DCMAKE_C_COMPILER="$(command -v "$cc")")
if [ "${#extra_flags[@]}" -gt 0 ]; then
    args+=(-DCMAKE_C_FLAGS="${extra_flags[*]}" -DCMAKE_EXE_LINKER_FLAGS="${extra_flags[*]}")
fi
cmake "${args[@]}" > "$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; die "the CMake consumer did not configure"; }
cmake --build "$tmp/cmake" > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; die "the CMake consumer did not build"; }
for store in "${built[@]}"; do
    "$tmp/cmake/${store}_consumer" || die "the find_package $store consumer failed"
done
echo "ok: ${built[*]} installed and used through pkg-config and find_package(itsm COMPONENTS ...)"
