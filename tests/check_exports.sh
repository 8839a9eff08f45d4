#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_exports.sh LIBRARY INCLUDE-DIR-OR-HEADER [LEAVE-OUT-DIR]
#
# The shared library's exported interface must be exactly the functions the
# public headers declare with ITSM_API (the headers under INCLUDE-DIR but
# not under LEAVE-OUT-DIR, or the one HEADER: libitsm leaves out
# include/itsm/stores, whose headers belong to the store libraries):
#   1. every defined dynamic symbol (functions and data) starts with itsm_;
#   2. every ITSM_API declaration in INCLUDE-DIR is exported;
#   3. no itsm_ symbol is exported that the headers do not declare;
#   4. no itsm_ function is declared in a header without ITSM_API (the
#      library is built with hidden visibility, so it would not be exported).
# Prints the offending names and exits 1 on any violation.
# NM may name the nm to use (default: nm).
set -euo pipefail

if [ "$#" -ne 2 ] && [ "$#" -ne 3 ]; then
    echo "usage: $0 LIBRARY INCLUDE-DIR-OR-HEADER [LEAVE-OUT-DIR]" >&2
    exit 2
fi
lib=$1
inc=$2
leave_out=${3:-}
nm=${NM:-nm}

[ -f "$lib" ] || { echo "check_exports: no library at '$lib'" >&2; exit 2; }
[ -e "$inc" ] || { echo "check_exports: no include directory or header at '$inc'" >&2; exit 2; }
command -v "$nm" >/dev/null 2>&1 || { echo "check_exports: '$nm' not found (install binutils)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Linker- and toolchain-provided symbols that are not part of anyone's API.
is_toolchain_symbol() {
    case "$1" in
        _init|_fini|_edata|_end|__bss_start|_ITM_*|__gmon_start__) return 0 ;;
        __asan_*|__ubsan_*|__sanitizer_*|__lsan_*|__odr_asan_*) return 0 ;;
    esac
    return 1
}

# ---- what the library exports ------------------------------------------
# nm -D --defined-only: "ADDRESS TYPE NAME"; keep text, data, bss, rodata,
# weak and indirect symbols (not A = absolute linker markers).
"$nm" -D --defined-only "$lib" > "$tmp/nm.out" \
    || { echo "check_exports: $nm -D failed on '$lib'" >&2; exit 2; }
: > "$tmp/exported"
: > "$tmp/foreign"
while read -r _addr type name _rest; do
    [ -n "${name:-}" ] || continue
    case "$type" in
        T|t|D|d|B|b|R|r|G|g|S|s|V|v|W|w|i|u) ;;
        *) continue ;;
    esac
    name=${name%%@*}          # strip a symbol version (name@@VER)
    if is_toolchain_symbol "$name"; then
        continue
    fi
    case "$name" in
        itsm_*) echo "$name" >> "$tmp/exported" ;;
        *)      echo "$name" >> "$tmp/foreign" ;;
    esac
done < "$tmp/nm.out"
sort -u -o "$tmp/exported" "$tmp/exported"
sort -u -o "$tmp/foreign" "$tmp/foreign"

# ---- what the headers declare -------------------------------------------
# A declaration starts on a line beginning with ITSM_API (the #define lines
# of the macro itself start with '#'). It may continue on the next lines;
# the name is the identifier right before the first '(' (a function) or,
# for data, the last identifier before ';', '[' or '='.
if [ -n "$leave_out" ]; then
    find "$inc" -path "$leave_out" -prune -o -name '*.h' -type f -print | sort > "$tmp/headers"
else
    find "$inc" -name '*.h' -type f | sort > "$tmp/headers"
fi
[ -s "$tmp/headers" ] || { echo "check_exports: no headers under '$inc'" >&2; exit 2; }
while IFS= read -r h; do
    awk '
        function emit(decl,   name) {
            if (index(decl, "(") > 0) {
                sub(/\(.*/, "", decl)
            } else {
                sub(/[;=\[].*/, "", decl)
            }
            sub(/[ \t*]+$/, "", decl)
            if (match(decl, /[A-Za-z_][A-Za-z0-9_]*$/))
                print substr(decl, RSTART, RLENGTH)
        }
        collecting {
            buf = buf " " $0
            if (buf ~ /[(;]/) { emit(buf); collecting = 0 }
            next
        }
        /^[ \t]*ITSM_API[ \t]/ {
            buf = $0
            if (buf ~ /[(;]/) emit(buf); else collecting = 1
        }
    ' "$h"
done < "$tmp/headers" | sort -u > "$tmp/declared"

if [ ! -s "$tmp/declared" ]; then
    echo "check_exports: found no ITSM_API declarations under '$inc'" >&2
    exit 1
fi

# itsm_ prototypes at the start of a line without ITSM_API in front.
while IFS= read -r h; do
    grep -nE '^[A-Za-z_][A-Za-z0-9_ ]*[ *]+itsm_[A-Za-z0-9_]+[[:space:]]*\(' "$h" \
        | grep -vE '^[0-9]+:[[:space:]]*(ITSM_API|typedef|static|extern[[:space:]]+"C"|return|#)' \
        | sed "s|^|$h:|" || true
done < "$tmp/headers" > "$tmp/unexported_decls"

status=0
report() {  # report TITLE FILE
    if [ -s "$2" ]; then
        echo "FAIL: $1:"
        sed 's/^/    /' "$2"
        status=1
    fi
}

comm -23 "$tmp/declared" "$tmp/exported" > "$tmp/missing"
comm -13 "$tmp/declared" "$tmp/exported" > "$tmp/undeclared"

report "exported symbols that do not start with itsm_ (make them static or hidden)" "$tmp/foreign"
report "declared with ITSM_API but not exported by $(basename "$lib") (not defined, or defined static/with another signature name)" "$tmp/missing"
report "exported itsm_ symbols that no public header declares with ITSM_API (make them hidden, or declare them)" "$tmp/undeclared"
report "itsm_ functions declared in a public header without ITSM_API (they will not be exported)" "$tmp/unexported_decls"

n_decl=$(wc -l < "$tmp/declared")
n_exp=$(wc -l < "$tmp/exported")
if [ "$status" -eq 0 ]; then
    echo "ok: $(basename "$lib") exports exactly the $n_decl ITSM_API declarations of $inc"
else
    echo "($n_decl declared with ITSM_API, $n_exp itsm_ symbols exported)"
fi
exit "$status"
