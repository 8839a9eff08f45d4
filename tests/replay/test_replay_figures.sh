#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/replay/test_replay_figures.sh REPLAY DATA-DIR - the replay report's
# figures on fixed slices of the real logs, against figures computed from
# the same rows by awk alone (no library):
#
#   zcat DATA-DIR/uci-first-200.csv.gz | awk -F, [-v RULE=group_or_assignee] -f tests/replay/uci_figures.awk
#   zcat DATA-DIR/uci-sla-ticks.csv.gz | awk -F, -f tests/replay/uci_figures.awk
#   zcat DATA-DIR/bpi-first-100.csv.gz | tr -d '\r' | awk -F';' -f tests/replay/bpi_figures.awk
#   zcat DATA-DIR/helpdesk-first-400.csv.gz | python3 tests/replay/helpdesk_figures.py
#   python3 tests/replay/bpi_problem_figures.py DATA-DIR/bpi-first-100.csv.gz data/bpic2013/*_problems.csv.gz
#
# (tests/data/replay/README.md says how the slices were cut.)
#
# Reassignments: the first slice is checked under the reassignment rule the
# shipped tools/servicenow_policy.json names (counters.reassignment) and
# again under the other rule (a copy of the policy with it), each against
# the awk restating that rule (-v RULE=...).
#
# The SLA figures (sla_judged, sla_met, sla_compared, sla_agree, sla_fired)
# are the library's verdicts: targets from tools/servicenow_policy.json,
# itsm_engine_tick to each row's time before the row, the resolution timer
# read at each incident's last row. uci_figures.awk restates that model
# without the library (a clock over the open, non-Resolved time; a breach
# fires at a tick once the clock reaches the current priority's target and
# stays; see its header). On the first 200 incidents this gives the same
# met / agree counts as the former wall-time rule (resolved_at - opened_at
# <= target), so that slice alone would not notice the tick missing:
# uci-sla-ticks.csv.gz holds the 23 incidents of the whole log whose verdict
# depends on it (a breach fired under a stricter earlier priority; at the
# end the clock is within the final target), so there the library must say
# "breached" for all 23 where an end-only reading would say "met".
set -euo pipefail
replay=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# "key value" lines from the JSON report (flattening ttr_hours.p50 -> ttr_p50)
flatten() {
    python3 -c '
import json, sys
d = json.load(sys.stdin)
for k, v in d.items():
    if k == "ttr_hours":
        for p, x in v.items(): print("ttr_%s %.4f" % (p, x))
    elif k == "log_ttr_hours":
        for p, x in v.items(): print("log_ttr_%s %.4f" % (p, x))
    elif k == "ttc_hours":
        for p, x in v.items(): print("ttc_%s %.4f" % (p, x))
    elif k == "ttr_differences":
        for c, x in v.items(): print("ttr_%s %d" % (c, x["count"]))
    elif isinstance(v, int) and not isinstance(v, bool): print(k, v)
'
}

check() { # name awk-output report-output keys...
    local name=$1 want=$2 got=$3
    shift 3
    for k in "$@"; do
        w=$(awk -v k="$k" '$1 == k { print $2 }' "$want")
        g=$(awk -v k="$k" '$1 == k { print $2 }' "$got")
        if [ -z "$w" ] || [ "$w" != "$g" ]; then
            echo "FAIL $name: $k: awk says '$w', itsm-replay says '$g'"
            fail=1
        else
            echo "ok   $name: $k = $g"
        fi
    done
}

# The reassignment rule (counters.reassignment) of the shipped policy: the
# awk restates whichever it names, and the other one on the same slice too.
policy="$here/../../tools/servicenow_policy.json"
with_rule() { # POLICY RULE: the policy document with counters.reassignment = RULE
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if len(sys.argv) > 2:
    d["counters"] = dict(d.get("counters", {}), reassignment=sys.argv[2])
    print(json.dumps(d))
else:
    print(d.get("counters", {}).get("reassignment", "group"))
' "$@"
}
rule=$(with_rule "$policy")
case $rule in group) other=group_or_assignee ;; *) other=group ;; esac

zcat "$data/uci-first-200.csv.gz" | awk -F, -v RULE="$rule" -f "$here/uci_figures.awk" > "$work/uci.awk"
"$replay" --policy "$policy" --input "$data/uci-first-200.csv.gz" --report json --quiet | flatten > "$work/uci.got"
check "uci ($rule)" "$work/uci.awk" "$work/uci.got" rows incidents reassignments_agree reopens_agree resolved fcr \
    sla_judged sla_met sla_compared sla_agree sla_fired ttr_p50 ttr_p90 ttr_p95 ttr_p99 log_resolved log_fcr \
    log_ttr_p50 log_ttr_p90 log_ttr_p99 ttr_repeated_resolved_rows ttr_logged_resolved \
    log_team_changes log_pingpong team_changes pingpong

with_rule "$policy" "$other" > "$work/other.json"
zcat "$data/uci-first-200.csv.gz" | awk -F, -v RULE="$other" -f "$here/uci_figures.awk" > "$work/other.awk"
"$replay" --policy "$work/other.json" --input "$data/uci-first-200.csv.gz" --report json --quiet |
    flatten > "$work/other.got"
check "uci ($other)" "$work/other.awk" "$work/other.got" rows incidents reassignments_agree reopens_agree \
    resolved fcr

zcat "$data/uci-sla-ticks.csv.gz" | awk -F, -f "$here/uci_figures.awk" > "$work/ticks.awk"
"$replay" --input "$data/uci-sla-ticks.csv.gz" --report json --quiet | flatten > "$work/ticks.got"
check uci-sla-ticks "$work/ticks.awk" "$work/ticks.got" rows incidents sla_judged sla_met sla_compared \
    sla_agree sla_fired

zcat "$data/bpi-first-100.csv.gz" | tr -d '\r' | awk -F';' -f "$here/bpi_figures.awk" > "$work/bpi.awk"
"$replay" --log bpi --input "$data/bpi-first-100.csv.gz" --report json --quiet | flatten |
    sed -e 's/^level2 /line2 /' -e 's/^level3 /line3 /' > "$work/bpi.got"
check bpi "$work/bpi.awk" "$work/bpi.got" rows incidents line2 line3 resolved fcr ttr_p50 ttr_p90 ttr_p95 ttr_p99 \
    log_completed log_stayed_first_line log_escalations log_escalated log_team_changes log_pingpong \
    completed stayed_first_line escalations escalated team_changes pingpong
zcat "$data/helpdesk-first-400.csv.gz" | python3 "$here/helpdesk_figures.py" > "$work/hd.py"
"$replay" --log helpdesk --input "$data/helpdesk-first-400.csv.gz" --report json --quiet | flatten > "$work/hd.got"
check helpdesk "$work/hd.py" "$work/hd.got" rows incidents rows_skipped rows_refused resolved fcr ttr_p50 ttr_p90 \
    ttr_p95 ttr_p99 log_completed completed log_team_changes log_pingpong team_changes pingpong
# The whole help desk log (small; its cases are replayed one after the
# other, so the clock goes back between cases: a rule's event on another
# record must not refuse a ticket's opening)
hd_all="$here/../../data/helpdesk/helpdesk.csv.gz"
zcat "$hd_all" | python3 "$here/helpdesk_figures.py" > "$work/hd-all.py"
"$replay" --log helpdesk --input "$hd_all" --report json --quiet | flatten > "$work/hd-all.got"
check helpdesk-whole "$work/hd-all.py" "$work/hd-all.got" rows incidents rows_skipped rows_refused resolved fcr \
    ttr_p50 ttr_p90 ttr_p95 ttr_p99 log_completed completed log_team_changes log_pingpong team_changes pingpong
# The same slice into SQLite, each event kept as JSON and in the binary
# form (--form): the same figures as the memory store, and the store
# reloaded into a fresh engine gives identical records.
for form in json binary; do
    "$replay" --input "$data/uci-first-200.csv.gz" --sqlite "$work/uci-$form.db" --sync normal --group 100 \
        --form "$form" --report json --quiet > "$work/uci-$form.json"
    flatten < "$work/uci-$form.json" > "$work/uci-$form.got"
    if ! cmp -s "$work/uci.got" "$work/uci-$form.got"; then
        echo "FAIL uci --sqlite --form $form: the figures differ from the memory store's"
        diff "$work/uci.got" "$work/uci-$form.got" || true
        fail=1
    elif ! grep -q 'reloaded: identical records' "$work/uci-$form.json"; then
        echo "FAIL uci --sqlite --form $form: the store did not reload to identical records"
        fail=1
    else
        echo "ok   uci --sqlite --form $form: same figures, reloaded identical"
    fi
done
# BPI 2013 problems, both files whole (they are small), linked to the
# incidents of the BPI slice
bp="$here/../../data/bpic2013"
python3 "$here/bpi_problem_figures.py" "$data/bpi-first-100.csv.gz" "$bp/closed_problems.csv.gz" \
    "$bp/open_problems.csv.gz" > "$work/bp.py"
"$replay" --log bpi-problems --input "$bp/closed_problems.csv.gz" --input "$bp/open_problems.csv.gz" \
    --incidents "$data/bpi-first-100.csv.gz" --report json --quiet | flatten > "$work/bp.got"
check bpi-problems "$work/bp.py" "$work/bp.got" rows rows_skipped problems problems_closed problems_open \
    problems_reopened links linked_problems linked_incidents incidents_replayed ttc_p50 ttc_p90 ttc_p99
exit $fail
