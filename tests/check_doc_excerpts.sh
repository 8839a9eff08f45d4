#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_doc_excerpts.sh [--block K] DOC LANG SOURCE...
#
# Code in a document stays true: every ```LANG block of DOC must appear,
# line for line, in one of the SOURCE files (which the test suite builds
# and runs), so an excerpt that no longer compiles or no longer does what
# the text says fails here instead of misleading a reader. Lines are
# compared without their leading white space, so an excerpt may be
# indented differently from its source. With --block K only the K-th
# (1-based) ```LANG block is checked: for a document whose other excerpts
# need what the suite's sources for it do not link (a server, a store).
set -euo pipefail
only=0
if [ "${1:-}" = "--block" ]; then only=${2:?--block needs a number}; shift 2; fi
[ "$#" -ge 3 ] || { echo "usage: $0 [--block K] DOC LANG SOURCE..." >&2; exit 2; }
doc=$1 lang=$2
shift 2
awk -v lang="$lang" -v doc="$doc" -v only="$only" '
    function norm(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    FNR == 1 { fileno++ }
    fileno <= nsrc {                                # the sources, one text
        src = src "\n" norm($0); next
    }
    /^```/ {
        if (!inblock && $0 == "```" lang) { inblock = 1; block = ""; start = FNR; next }
        if (inblock) {
            k++
            inblock = 0
            if (only && k != only) next
            n++
            if (index(src "\n", block "\n") == 0) {
                printf "FAIL: %s:%d: this %s excerpt is not in the sources:%s\n", doc, start, lang, block
                bad++
            }
            next
        }
    }
    inblock { block = block "\n" norm($0) }
    END {
        if (n == 0) { printf "FAIL: %s has no %s excerpt\n", doc, lang; exit 1 }
        if (bad) exit 1
        printf "ok: all %d %s excerpts of %s are in the sources\n", n, lang, doc
    }
' nsrc="$#" "$@" "$doc"
