#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_doc_runs.sh DOC LANG PRELUDE COMMAND...
#
# Every ```LANG block of DOC runs as printed: each is written to a file in a
# fresh temporary directory (the working directory, so files it creates go
# there), after the line PRELUDE (may be empty; e.g. PHP's opening tag and
# autoloader), and COMMAND FILE must exit 0.
set -euo pipefail
[ "$#" -ge 4 ] || { echo "usage: $0 DOC LANG PRELUDE COMMAND..." >&2; exit 2; }
doc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
lang=$2 prelude=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(awk -v lang="$lang" -v dir="$tmp" -v prelude="$prelude" '
    /^```/ {
        if (!inblock && $0 == "```" lang) {
            inblock = 1; n++; f = dir "/block" n
            printf "%s\n", prelude > f
            printf "%d\n", FNR > (f ".line")
            next
        }
        if (inblock) { inblock = 0; close(f); next }
    }
    inblock { print > f }
    END { print n + 0 }
' "$doc")
[ "$n" -gt 0 ] || { echo "FAIL: $doc has no $lang block"; exit 1; }
status=0
for ((i = 1; i <= n; i++)); do
    line=$(cat "$tmp/block$i.line")
    mkdir "$tmp/run$i"
    if (cd "$tmp/run$i" && "$@" "$tmp/block$i") >"$tmp/out$i" 2>&1; then
        echo "ok:   the $lang block at $doc:$line runs"
    else
        echo "FAIL: the $lang block at $doc:$line does not run:"
        sed 's/^/    /' "$tmp/out$i"
        status=1
    fi
done
exit "$status"
