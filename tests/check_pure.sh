#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_pure.sh SHARED-LIBRARY STATIC-LIBRARY INCLUDE-DIR CC
#
# DESIGN.md section 1, "Pure logic" and "Opaque handles", checked on the
# built library rather than promised in prose:
#   1. libc only, no threads, sockets or files: every undefined symbol of
#      the shared library is one of the pure libc functions below (memory,
#      strings, formatting, qsort, strtod, and time() for the default clock
#      when the host gives none); anything else (pthread_*, socket, fopen,
#      read, getenv, ...) fails;
#   2. no global state: every data object in the static library lives in a
#      read-only section (.rodata, .data.rel.ro); writable .data/.bss
#      objects fail (sanitizer metadata excepted);
#   3. opaque handles: no public header defines the layout of a handle
#      struct, and a host cannot take sizeof of one.
set -euo pipefail
[ "$#" -eq 4 ] || { echo "usage: $0 SHARED STATIC INCLUDE-DIR CC" >&2; exit 2; }
so=$1 ar=$2 inc=$3 cc=$4
nm=${NM:-nm}
objdump=${OBJDUMP:-objdump}
status=0

allowed=' malloc calloc realloc free memchr memcmp bcmp memcpy memmove memset qsort snprintf vsnprintf
 strcmp strncmp strlen strnlen strchr strrchr strcspn strspn strstr strtod time
 __memcpy_chk __memmove_chk __memset_chk __snprintf_chk __vsnprintf_chk __strlen_chk __stack_chk_fail
 __cxa_finalize __gmon_start__ _ITM_deregisterTMCloneTable _ITM_registerTMCloneTable '
allowed=" $(echo $allowed) "
while read -r name; do
    name=${name%%@*}
    case "$name" in __asan_*|__ubsan_*|__sanitizer_*|__lsan_*|__odr_asan_*) continue ;; esac
    case "$allowed" in
        *" $name "*) ;;
        *) echo "FAIL: libitsm imports '$name' (not a pure libc function: no threads, sockets, files)"; status=1 ;;
    esac
done < <("$nm" -D --undefined-only "$so" | awk '{print $NF}')

while read -r sec name; do
    case "$name" in __unnamed_*|__asan_*|__ubsan_*|__sancov*|___asan_*|__odr_asan_*|.L*) continue ;; esac
    echo "FAIL: writable global object '$name' in section $sec (the library must hold no global state)"
    status=1
done < <("$objdump" -t "$ar" | awk '$3 == "O" && ($4 == ".data" || $4 == ".bss" || $4 ~ /^\.(data|bss)\.[^r]/ || $4 == "COMMON") {print $4, $NF}')

for h in engine record packet policy event report; do
    if grep -rEn "struct[[:space:]]+itsm_${h}[[:space:]]*\{" "$inc" >/dev/null; then
        echo "FAIL: a public header defines the layout of struct itsm_${h}"
        status=1
    fi
    if printf '#include <itsm.h>\nunsigned long n = sizeof(itsm_%s);\n' "$h" |
       "$cc" -x c -std=c11 -I"$inc" -fsyntax-only - 2>/dev/null; then
        echo "FAIL: itsm_${h} is not opaque: sizeof(itsm_${h}) compiles against the public headers"
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "ok: libc only, no writable globals, opaque handles"
exit "$status"
