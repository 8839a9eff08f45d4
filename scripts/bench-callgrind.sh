#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/bench-callgrind.sh [--full] [--check FILE | --update FILE] [--build DIR]
#
# Build the benchmarks of bench/ (RelWithDebInfo: -O2 -g, the build the
# test suite proves warning-free; in build-bench/ unless --build)
# and run each measured loop under callgrind, printing instructions per
# operation; bytes per open incident are measured natively (bench_memory).
# Callgrind counts instructions, not time, so the figures do not depend on
# the machine's load: they move only when the code (or the compiler) does.
#
#   (no option)     the small inputs CI checks: 1,000 records, the first
#                   20,000 rows of the UCI log, memory at 10^3..10^6
#   --full          the README's inputs: the whole UCI log, fired timers
#                   with 100,000 records, the idle tick with 10^6 records
#   --check FILE    compare with a baseline (bench/baseline.txt); exit 1
#                   when any figure is more than 5 % above it (set
#                   BENCH_TOLERANCE=PCT to change the margin), or when a
#                   case of the baseline was not measured. Cases named
#                   floor.* (the hand-written reference, not the library)
#                   are shown but not checked.
#   --update FILE   write the figures measured as the new baseline
#
# Updating the baseline is a reviewed change: run
#   ./scripts/bench-callgrind.sh --update bench/baseline.txt
# and commit bench/baseline.txt together with the change that moved the
# figures, saying why they moved. See bench/RESULTS.md.
#
# Needs valgrind (scripts/deps.sh test installs it).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
full=0 mode=show file= build=build-bench
while [ $# -gt 0 ]; do
    case "$1" in
        --full) full=1 ;;
        --check) mode=check; file=${2:?--check needs a file}; shift ;;
        --update) mode=update; file=${2:?--update needs a file}; shift ;;
        --build) build=${2:?--build needs a directory}; shift ;;
        -h|--help) sed -n '3,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "bench-callgrind.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
tolerance=${BENCH_TOLERANCE:-5}

if ! command -v valgrind >/dev/null 2>&1; then
    echo "bench-callgrind.sh: valgrind is not installed (Debian: apt-get install valgrind," \
         "or ./scripts/deps.sh test)" >&2
    exit 1
fi

targets=(bench_transition bench_timer bench_tick bench_memory bench_replay bench_floor bench_reload)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DITSM_BUILD_TESTS=OFF >/dev/null
if ! grep -q '^ITSM_HAVE_CALLGRIND_H:INTERNAL=1' "$build/CMakeCache.txt"; then
    echo "bench-callgrind.sh: the benchmarks were built without valgrind/callgrind.h;" \
         "delete $build/ and run again" >&2
    exit 1
fi
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null
bin=$build/bench

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/results   # name value unit

# Run one benchmark under callgrind; each "case NAME ops=N unit=U" line it
# prints has a dump whose totals are the loop's instructions.
counted() {
    local tag=$1; shift
    local out=$work/$tag
    mkdir -p "$out"
    if ! valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \
            --callgrind-out-file="$out/cg.%p" --log-file="$out/valgrind.log" \
            "$@" >"$out/stdout"; then
        echo "bench-callgrind.sh: $* failed under valgrind:" >&2
        cat "$out/stdout" "$out/valgrind.log" >&2
        exit 1
    fi
    local name ops unit ir
    while read -r _ name ops unit _; do
        ops=${ops#ops=} unit=${unit#unit=}
        ir=$(grep -lxF "desc: Trigger: Client Request: $name" "$out"/cg.*.* 2>/dev/null |
             head -n 1 | xargs -r awk '/^totals:/ { print $2 }')
        if [ -z "$ir" ] || [ "$ops" -eq 0 ]; then
            echo "bench-callgrind.sh: no callgrind dump for case $name" >&2
            exit 1
        fi
        awk -v n="$name" -v ir="$ir" -v ops="$ops" -v u="$unit" \
            'BEGIN { printf "%s %.1f instr/%s\n", n, ir / ops, u }' >>"$results"
    done < <(grep '^case ' "$out/stdout")
}

# Run one benchmark natively; its "metric NAME VALUE UNIT" lines are figures.
native() {
    local out
    out=$("$@")
    grep '^metric ' <<<"$out" | cut -d' ' -f2- >>"$results"
}

if [ "$full" -eq 1 ]; then
    rows=() ; timer_n=(1000 100000) ; tick_max=1000000
else
    rows=(--rows 20000) ; timer_n=(1000) ; tick_max=1000
fi
counted transition "$bin/bench_transition" 1000
counted timer "$bin/bench_timer" "${timer_n[@]}"
counted tick "$bin/bench_tick" "$tick_max"
# The same three with agreements whose conditions hold for every record
# (bench_engine.h): cases named conditions.*
export ITSM_BENCH_CONDITIONS=1
counted transition_cond "$bin/bench_transition" 1000
counted timer_cond "$bin/bench_timer" "${timer_n[@]}"
counted tick_cond "$bin/bench_tick" "$tick_max"
# The same three with the default policy's own clocks, their SLA chosen by
# conditions (SLA rules): the cost of the conditions alone, cases named
# conditions.same_clocks.*
export ITSM_BENCH_CONDITIONS=same_clocks
counted transition_same "$bin/bench_transition" 1000
counted timer_same "$bin/bench_timer" "${timer_n[@]}"
counted tick_same "$bin/bench_tick" "$tick_max"
unset ITSM_BENCH_CONDITIONS
if [ -x "$bin/bench_replay" ]; then
    counted replay "$bin/bench_replay" "${rows[@]}" --sync none
    counted floor "$bin/bench_floor" "${rows[@]}"
    # reloading a store: the first 3,000 UCI incidents' events, either form
    counted reload "$bin/bench_reload" --runs 1 --limit 3000
else
    echo "bench-callgrind.sh: bench_replay not built (needs zlib, SQLite3 and the examples)" >&2
fi
native "$bin/bench_memory" 1000000

compiler=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
toolchain="$("$compiler" --version | head -n 1); $(valgrind --version)"

case "$mode" in
show)
    printf '%-44s %14s  %s\n' case figure unit
    while read -r name value unit; do
        printf '%-44s %14s  %s\n' "$name" "$value" "$unit"
    done <"$results"
    ;;
update)
    {
        echo "# SPDX-License-Identifier: Apache-2.0"
        echo "# bench/baseline.txt - the benchmark figures CI checks (.ci/run):"
        echo "# scripts/bench-callgrind.sh --check fails when one is more than 5 % above"
        echo "# its line. Instructions per operation under callgrind; bytes per open"
        echo "# incident measured natively. Written by"
        echo "#   ./scripts/bench-callgrind.sh --update bench/baseline.txt"
        echo "# and committed with the change that moved the figures (reviewed like code)."
        echo "# measured with: $toolchain"
        echo "# case value unit"
        cat "$results"
    } >"$file"
    echo "bench-callgrind.sh: wrote $(wc -l <"$results") figures to $file"
    ;;
check)
    if [ ! -f "$file" ]; then
        echo "bench-callgrind.sh: no baseline $file (write one with --update)" >&2
        exit 1
    fi
    base_tool=$(sed -n 's/^# measured with: //p' "$file")
    if [ "$base_tool" != "$toolchain" ]; then
        echo "note: the baseline was measured with '$base_tool', this run with '$toolchain':"
        echo "      instruction counts differ between compilers; compare with care"
    fi
    awk -v tol="$tolerance" '
        FNR == NR { if ($0 !~ /^#/ && NF >= 2) { base[$1] = $2; bunit[$1] = $3; order[++nb] = $1 } next }
        { got[$1] = $2; unit[$1] = $3; if (!($1 in base)) extra[++ne] = $1 }
        END {
            printf "%-44s %12s %12s %8s  %s\n", "case", "baseline", "now", "change", "unit"
            bad = 0
            for (i = 1; i <= nb; i++) {
                n = order[i]
                if (!(n in got)) {
                    printf "%-44s %12s %12s %8s  %s   NOT MEASURED\n", n, base[n], "-", "", bunit[n]
                    bad++
                    continue
                }
                ch = base[n] > 0 ? 100 * (got[n] - base[n]) / base[n] : 0
                verdict = ""
                if (n ~ /^floor\./) verdict = "   (reference, not checked)"
                else if (ch > tol) { verdict = "   REGRESSED"; bad++ }
                else if (ch < -tol) verdict = "   improved: update the baseline"
                printf "%-44s %12s %12s %+7.1f%%  %s%s\n", n, base[n], got[n], ch, unit[n], verdict
            }
            for (i = 1; i <= ne; i++)
                printf "%-44s %12s %12s %8s  %s   not in the baseline\n", extra[i], "-", got[extra[i]], "", unit[extra[i]]
            if (bad) {
                printf "\n%d figure(s) regressed by more than %s %% or were not measured.\n", bad, tol
                printf "If the change is intended, update the baseline in the same commit:\n"
                printf "  ./scripts/bench-callgrind.sh --update bench/baseline.txt\n"
                exit 1
            }
            printf "\nbench: every figure within %s %% of the baseline\n", tol
        }' "$file" "$results"
    ;;
esac
