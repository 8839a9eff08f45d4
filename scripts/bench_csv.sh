#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/bench_csv.sh [BUILD-DIR] - instructions per row of the replay
# tool's log reading (bench/bench_csv.c: rp_load, no library call), counted
# by callgrind inside rp_load only, for each log: once on a plain copy of
# the input (the reading itself) and once on the file as shipped (.gz: the
# figure then includes zlib's inflate). Builds bench_csv into BUILD-DIR
# (default build-bench, Release) when it is missing. Figures:
# bench/RESULTS-csv.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
if ! command -v valgrind >/dev/null 2>&1; then
    echo "bench_csv.sh: valgrind is not installed (apt-get install valgrind)" >&2
    exit 1
fi
if [ ! -x "$build/bench/bench_csv" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DITSM_BUILD_TESTS=OFF > /dev/null
    cmake --build "$build" -j2 --target bench_csv > /dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

count() { # LOG FILE... -> "rows instructions"
    local log=$1
    shift
    local args=()
    for f in "$@"; do args+=(--input "$f"); done
    valgrind --tool=callgrind --toggle-collect=rp_load --callgrind-out-file="$work/cg.out" \
        "$build/bench/bench_csv" --log "$log" "${args[@]}" > "$work/out" 2> "$work/err"
    local rows ir
    rows=$(awk '$1 == "rows" { print $2 }' "$work/out")
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/err")
    echo "$rows $ir"
}

printf '%-14s %-6s %9s %14s %10s\n' log input rows instructions per_row
for log in uci bpi helpdesk bpi-problems; do
    case $log in
        uci) files=(data/uci-incident-event-log/incident_event_log.csv.gz) ;;
        bpi) files=(data/bpic2013/incidents.csv.gz) ;;
        helpdesk) files=(data/helpdesk/helpdesk.csv.gz) ;;
        bpi-problems) files=(data/bpic2013/closed_problems.csv.gz data/bpic2013/open_problems.csv.gz) ;;
    esac
    [ -f "${files[0]}" ] || continue
    plain=()
    for f in "${files[@]}"; do
        zcat "$f" > "$work/$(basename "$f" .gz)"
        plain+=("$work/$(basename "$f" .gz)")
    done
    for kind in plain gz; do
        if [ $kind = plain ]; then read -r rows ir < <(count $log "${plain[@]}")
        else read -r rows ir < <(count $log "${files[@]}"); fi
        printf '%-14s %-6s %9d %14d %10.0f\n' $log $kind "$rows" "$ir" "$(awk -v a="$ir" -v b="$rows" 'BEGIN { print a / b }')"
    done
done
