#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_doc_excerpts.sh DOC LANG SOURCE...
#
# Code in a document stays true: every ```LANG block of DOC must appear,
# line for line, in one of the SOURCE files (which the test suite builds
# and runs), so an excerpt that no longer compiles or no longer does what
# the text says fails here instead of misleading a reader. Lines are
# compared without their leading white space, so an excerpt may be
# indented differently from its source.
set -euo pipefail
[ "$#" -ge 3 ] || { echo "usage: $0 DOC LANG SOURCE..." >&2; exit 2; }
doc=$1 lang=$2
shift 2
awk -v lang="$lang" -v doc="$doc" '
    function norm(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    FNR == 1 { fileno++ }
    fileno <= nsrc {                                # the sources, one text
        src = src "\n" norm($0); next
    }
    /^```/ {
        if (!inblock && $0 == "```" lang) { inblock = 1; block = ""; start = FNR; next }
        if (inblock) {
            n++
            if (index(src "\n", block "\n") == 0) {
                printf "FAIL: %s:%d: this %s excerpt is not in the sources:%s\n", doc, start, lang, block
                bad++
            }
            inblock = 0
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
