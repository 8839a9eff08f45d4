#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_install.sh SOURCE-DIR BUILD-DIR
#
# Install a built tree into a temporary prefix and consume it the two ways a
# host would:
#   a. pkg-config: cc consumer.c $(pkg-config --cflags --libs itsm), run it
#      against the installed libitsm.so; itsm.pc must give plain paths
#      under the prefix (no ../.. climbing);
#   b. CMake: find_package(itsm REQUIRED) + itsm::itsm (and, when exported,
#      itsm::itsm_static), built with CMAKE_PREFIX_PATH=<prefix>, run it;
#      the imported targets' paths must be plain paths under the prefix;
#   c. the tools (ITSM_TOOLS) are installed in bin/ and run from there.
# The temporary prefix is removed afterwards.
#
# Environment: CC (default cc), ITSM_CONSUMER_FLAGS (extra compile and link
# flags, e.g. the sanitizers the library was built with), CMAKE_GENERATOR,
# KEEP_TMP=1 keeps the temporary directory for inspection.
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 SOURCE-DIR BUILD-DIR" >&2
    exit 2
fi
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
cc=${CC:-cc}
# Word-split on purpose: a list of flags.
read -r -a extra_flags <<< "${ITSM_CONSUMER_FLAGS:-}"
consumer_dir=$src/tests/consumer

step() { echo; echo "== $*"; }
die()  { echo "check_install: FAIL: $*" >&2; exit 1; }

for tool in cmake pkg-config "$cc"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"
done
[ -f "$consumer_dir/consumer.c" ] || die "no $consumer_dir/consumer.c"
[ -f "$build/cmake_install.cmake" ] || die "'$build' is not a configured build directory"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-install.XXXXXX")
if [ "${KEEP_TMP:-0}" = 1 ]; then
    echo "(keeping $tmp)"
else
    trap 'rm -rf "$tmp"' EXIT
fi
prefix=$tmp/prefix

# ---- install ------------------------------------------------------------
step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log"; die "cmake --install failed"; }
sed 's/^/    /' "$tmp/install.log"

pc=$(find "$prefix" -path '*/pkgconfig/itsm.pc' -type f | head -n 1)
[ -n "$pc" ] || die "itsm.pc was not installed under $prefix/lib*/pkgconfig"
libdir=$(dirname "$(dirname "$pc")")
[ -f "$prefix/include/itsm.h" ] || die "include/itsm.h was not installed"
shared=$(find "$libdir" -maxdepth 1 -name 'libitsm.so.*' -type f | head -n 1)
[ -n "$shared" ] || die "no libitsm.so.<version> in $libdir"
[ -L "$libdir/libitsm.so" ] || die "no libitsm.so development symlink in $libdir"
[ -f "$libdir/libitsm.a" ] || die "no libitsm.a in $libdir"
[ -n "$(find "$libdir" -path '*/cmake/itsm/itsmConfig.cmake')" ] \
    || die "no cmake/itsm/itsmConfig.cmake under $libdir"
soname=$(objdump -p "$shared" 2>/dev/null | awk '$1 == "SONAME" { print $2 }' || true)
echo "installed: $shared${soname:+ (SONAME $soname)}"
if [ -n "$soname" ]; then
    [ -e "$libdir/$soname" ] || die "the SONAME link $libdir/$soname is missing"
fi

# ---- tools ------------------------------------------------------------------
# ITSM_TOOLS: the tool programs this build made; each must be installed in
# bin/ and run from there with no LD_LIBRARY_PATH (found through its RPATH).
for tool in ${ITSM_TOOLS:-}; do
    [ -x "$prefix/bin/$tool" ] || die "$tool was built but not installed in $prefix/bin"
    if command -v ldd >/dev/null 2>&1; then
        lib=$(env -u LD_LIBRARY_PATH ldd "$prefix/bin/$tool" | awk '/libitsm\.so/ { print $3 }')
        [ -z "$lib" ] || lib=$(realpath "$lib")
        case "$lib" in
            "") ;;                       # linked statically
            "$libdir"/*) ;;
            *) die "installed $tool resolves libitsm to '$lib', not $libdir" ;;
        esac
    fi
    set +e
    env -u LD_LIBRARY_PATH "$prefix/bin/$tool" --help > "$tmp/$tool.help" 2>&1
    rc=$?
    set -e
    # Usage goes out with status 0 or 2; 127 or a loader error means broken.
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
        cat "$tmp/$tool.help"; die "installed $tool --help exited $rc"
    fi
    grep -q "usage" "$tmp/$tool.help" || { cat "$tmp/$tool.help"; die "installed $tool printed no usage"; }
    echo "installed tool: $prefix/bin/$tool (runs)"
done
case " ${ITSM_TOOLS:-} " in
    *" itsm-replay "*)
        [ -f "$prefix/share/itsm/servicenow_policy.json" ] \
            || die "itsm-replay's policy documents are not installed in share/itsm" ;;
esac

# ---- a. pkg-config ----------------------------------------------------------
step "pkg-config consumer"
# Only our prefix: a system-wide itsm.pc must not be found instead.
export PKG_CONFIG_LIBDIR
PKG_CONFIG_LIBDIR=$(dirname "$pc")
unset PKG_CONFIG_PATH
pc_prefix=$(pkg-config --variable=prefix itsm) || die "pkg-config does not find itsm in $PKG_CONFIG_LIBDIR"
# The .pc is written for the prefix installed into: no override needed, and
# every path plain (no "..", no "//", no trailing "/.").
[ "$pc_prefix" = "$prefix" ] || die "itsm.pc says prefix=$pc_prefix, installed into $prefix"
for var in libdir includedir; do
    v=$(pkg-config --variable=$var itsm)
    case "$v" in
        "$prefix"/*) ;;
        *) die "itsm.pc $var=$v is not under $prefix" ;;
    esac
done
for flag in $(pkg-config --cflags --libs itsm); do
    case "$flag" in
        *..*|*//*|*/./*|*/.) die "pkg-config gives an unclean path: $flag" ;;
    esac
done
[ "$(pkg-config --variable=includedir itsm)" = "$prefix/include" ] \
    || die "includedir is $(pkg-config --variable=includedir itsm), not $prefix/include"
pc_licence=$(sed -n 's/^License: //p' "$pc")
[ "$pc_licence" = "Apache-2.0" ] || die "itsm.pc License is '$pc_licence', not Apache-2.0"
pc_args=()
pkg-config --exists --print-errors itsm || die "pkg-config: itsm.pc is not usable"
echo "pkg-config itsm version: $(pkg-config --modversion itsm)"
read -r -a pc_flags <<< "$(pkg-config "${pc_args[@]}" --cflags --libs itsm)"
echo "pkg-config --cflags --libs itsm: ${pc_flags[*]}"
"$cc" -std=c11 -Wall -Wextra -Werror "${extra_flags[@]}" \
    -o "$tmp/consumer_pc" "$consumer_dir/consumer.c" "${pc_flags[@]}" \
    || die "the pkg-config consumer did not compile or link"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/consumer_pc" \
    || die "the pkg-config consumer failed (exit $?)"
# It must have run against the installed library, not a build tree's.
if command -v ldd >/dev/null 2>&1; then
    resolved=$(LD_LIBRARY_PATH="$libdir" ldd "$tmp/consumer_pc" | awk '/libitsm\.so/ { print $3 }')
    case "$resolved" in
        "$libdir"/*) ;;
        *) die "the pkg-config consumer resolved libitsm to '$resolved', not $libdir" ;;
    esac
fi

# ---- b. find_package(itsm) --------------------------------------------------
step "find_package(itsm) consumer"
cmake_args=(-S "$consumer_dir" -B "$tmp/consumer-build"
            -DCMAKE_PREFIX_PATH="$prefix"
            -DITSM_EXPECTED_PREFIX="$prefix"
            -DCMAKE_C_COMPILER="$(command -v "$cc")"
            -DCMAKE_BUILD_TYPE=Debug)
if [ "${#extra_flags[@]}" -gt 0 ]; then
    cmake_args+=(-DCMAKE_C_FLAGS="${extra_flags[*]}"
                 -DCMAKE_EXE_LINKER_FLAGS="${extra_flags[*]}")
fi
cmake "${cmake_args[@]}" > "$tmp/consumer-configure.log" 2>&1 \
    || { cat "$tmp/consumer-configure.log"; die "the find_package(itsm) consumer did not configure"; }
grep -E '^-- itsm' "$tmp/consumer-configure.log" | sed 's/^/    /' || true
cmake --build "$tmp/consumer-build" > "$tmp/consumer-build.log" 2>&1 \
    || { cat "$tmp/consumer-build.log"; die "the find_package(itsm) consumer did not build"; }
ran=0
for exe in consumer consumer_static; do
    [ -x "$tmp/consumer-build/$exe" ] || continue
    echo "-- running $exe"
    "$tmp/consumer-build/$exe" || die "the find_package(itsm) $exe failed (exit $?)"
    ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || die "the find_package(itsm) consumer produced no executable"

echo
echo "ok: installed into a fresh prefix and consumed through pkg-config and find_package(itsm)"
