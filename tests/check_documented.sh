#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_documented.sh INCLUDE-DIR [DOXYGEN DOXYFILE]
#
# Every public function is documented where it is declared (docs/rules.md,
# the brief's standards), checked on the headers rather than promised:
#   1. every declaration that starts with ITSM_API has its own comment,
#      directly above it (no blank line between) or after it on its last
#      line: the comment Doxygen puts in the API reference (the docs
#      target) for that function; a comment above two declarations
#      documents only the first;
#   2. a function returning int names in its comment the codes it can
#      return (ITSM_E..., "Errors as itsm_other_call"), or says what the
#      number means when it is no error code ("1 when ...", "0 for NULL",
#      "never fails").
#   3. with DOXYGEN and the docs target's DOXYFILE: the generated API
#      reference leaves no public function undocumented either (Doxygen's
#      WARN_IF_UNDOCUMENTED, no output written).
# Lists every function that fails, by header and line.
set -euo pipefail
[ "$#" -eq 1 ] || [ "$#" -eq 3 ] || { echo "usage: $0 INCLUDE-DIR [DOXYGEN DOXYFILE]" >&2; exit 2; }
inc=$1
status=0
total=0
while IFS= read -r -d '' h; do
    out=$(awk -v file="${h#"$inc"/}" '
        function flush_decl(   name, s, ret) {
            s = decl
            sub(/^[ \t]*ITSM_API[ \t]+/, "", s)
            if (s !~ /\(/) return          # a variable, not a function
            name = s
            sub(/[ \t]*\(.*/, "", name)
            ret = name
            sub(/[A-Za-z_0-9]+$/, "", ret)
            sub(/.*[^A-Za-z_0-9]/, "", name)
            gsub(/[ \t*]+/, " ", ret)
            nfun++
            if (trail != "") { doc = trail }
            else if (!(doc_end == decl_start - 1 && doc != "")) {
                printf "FAIL: %s:%d %s has no comment of its own directly above it\n", file, decl_start, name
                return
            }
            if (ret ~ /^(const )?int $/ && doc !~ /ITSM_E[A-Z]+|ITSM_OK|[Ee]rrors as itsm_|(^|[^0-9])-?[01] (when|if|while|for) |[Nn]ever fails/) {
                printf "FAIL: %s:%d %s returns an error code but its comment names none (ITSM_E...)\n", file, decl_start, name
            }
        }
        BEGIN { incomment = 0; indecl = 0; doc = ""; doc_end = -10; nfun = 0 }
        {
            line = $0
            if (incomment) {
                text = text " " line
                if (line ~ /\*\//) { incomment = 0; doc = text; doc_end = NR }
                next
            }
            if (indecl) {
                decl = decl " " line
                if (line ~ /;/) {
                    indecl = 0
                    trail = ""
                    if (line ~ /;[ \t]*\/\*.*\*\//) { trail = line; sub(/.*;[ \t]*/, "", trail) }
                    flush_decl()
                    doc = ""
                }
                next
            }
            if (line ~ /^[ \t]*ITSM_API[ \t]/) {
                decl = line; decl_start = NR
                if (line ~ /;/) {
                    trail = ""
                    if (line ~ /;[ \t]*\/\*.*\*\//) { trail = line; sub(/.*;[ \t]*/, "", trail) }
                    flush_decl()
                    doc = ""
                } else indecl = 1
                next
            }
            if (line ~ /^[ \t]*\/\*/) {
                text = line
                if (line ~ /\*\/[ \t]*$/) { doc = text; doc_end = NR }
                else incomment = 1
                next
            }
            if (line ~ /^[ \t]*$/) next
            doc = ""                          # code between comment and declaration
        }
        END { printf "COUNT %d\n", nfun }
    ' "$h")
    n=$(printf '%s\n' "$out" | sed -n 's/^COUNT //p')
    total=$((total + n))
    if grep -q '^FAIL' <<<"$out"; then
        printf '%s\n' "$out" | grep '^FAIL'
        status=1
    fi
done < <(find "$inc" -name '*.h' -print0 | sort -z)
if [ "$status" -eq 0 ]; then
    echo "ok: all $total public functions are documented where declared"
fi

if [ "$#" -eq 3 ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # The docs target's configuration, writing nothing but the warnings.
    { cat "$3"; printf 'OUTPUT_DIRECTORY=%s\nWARN_LOGFILE=%s/warnings.log\nGENERATE_HTML=NO\n' "$tmp" "$tmp"; } |
        "$2" - >"$tmp/doxygen.out" 2>&1 || { cat "$tmp/doxygen.out"; echo "FAIL: doxygen failed"; exit 1; }
    if grep '(function) .* is not documented' "$tmp/warnings.log"; then
        echo "FAIL: the API reference (Doxygen) has undocumented functions (above)"
        status=1
    else
        echo "ok: the API reference (Doxygen) documents every public function"
    fi
else
    echo "the API reference check is skipped: doxygen was not found at configure time (Debian: doxygen)"
fi
if [ "$status" -ne 0 ]; then
    echo "Document each function right above where it is declared: what it does, who owns what it returns, every error code."
fi
exit "$status"
