#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/replay/test_process_map.sh REPLAY DATA-DIR - the process map and the
# conformance report of itsm-replay on fixed slices of the logs:
#
#   - the SVG (--svg) is well-formed XML with an <svg> root, names every
#     state of the policy's lifecycle in a state box, and has an arc per
#     move of the conformance report (--report json: conformance), red and
#     dashed exactly for the moves the policy does not allow or the replay
#     refused;
#   - the conformance CSV (--conformance-csv) has the library's header and
#     the same summary figures as the JSON report.
set -euo pipefail
replay=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../../tools"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

check_map() { # NAME LOG INPUT POLICY KIND
    local name=$1 log=$2 input=$3 policy=$4 kind=$5
    "$replay" --log "$log" --input "$input" --quiet --report json --svg "$work/$name.svg" \
        --conformance-csv "$work/$name.csv" > "$work/$name.json"
    if python3 - "$work/$name.svg" "$policy" "$kind" "$work/$name.json" "$work/$name.csv" <<'EOF'
import csv, json, sys
import xml.etree.ElementTree as ET
svg, policy, kind, report, table = sys.argv[1:6]
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(svg).getroot()                      # raises on malformed XML
assert root.tag == ns + "svg", "root is %s" % root.tag
states = [s["name"] for s in json.load(open(policy))["lifecycles"][kind]["states"]]
boxes = [t.text for g in root.iter(ns + "g") if g.get("class") == "state" for t in g.iter(ns + "text")]
missing = [s for s in states if s not in boxes]
assert not missing, "states missing from the map: %s" % missing
conf = json.load(open(report))["conformance"]
moves = [m for m in conf["moves_by_transition"] if m["kind"] == kind and m["from"] != m["to"]]
arcs = [p for p in root.iter(ns + "path") if p.find(ns + "title") is not None]
assert len(arcs) == len(moves), "%d arcs for %d moves" % (len(arcs), len(moves))
red = sum(1 for p in arcs if p.get("stroke-dasharray"))
bad = sum(1 for m in moves if m["deviation"] != "none" or m["refused"])
assert red == bad, "%d red arcs for %d moves not allowed or refused" % (red, bad)
rows = list(csv.reader(open(table, newline="")))
assert rows[0] == ["section", "kind", "from", "event", "to", "measure", "value"], rows[0]
summary = {r[5]: r[6] for r in rows if r[0] == "summary"}
for k in ("records", "moves", "allowed", "refused", "deviating_records", "bypass_records"):
    assert int(summary[k]) == conf[k], "%s: csv %s, json %s" % (k, summary[k], conf[k])
print("ok   %s: %d states, %d arcs (%d red), fitness %s" % (svg.split("/")[-1], len(states), len(arcs), red,
                                                          summary["fitness"]))
EOF
    then :; else
        echo "FAIL $name"
        fail=1
    fi
}

check_map uci uci "$data/uci-first-200.csv.gz" "$tools/servicenow_policy.json" incident
check_map bpi bpi "$data/bpi-first-100.csv.gz" "$tools/bpi_policy.json" incident
exit $fail
