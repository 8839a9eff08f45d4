#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/fuzz/make_corpus.sh [BUILD-DIR] - cut the committed seed corpora
# (tests/fuzz/corpus/<target>/) from real stores, policies, packets and
# scripts. Run from anywhere after a build (default BUILD-DIR: build/, which
# must hold tools/itsm-replay, tools/scenario/itsm-scenario and libitsm.so);
# needs clang with libFuzzer for the API stories' stores. Rewrites the
# generated files (named story_*, api_*, uci_*, bpi_*, type_*, default*,
# invalid_*); hand-written seeds are kept. The output is deterministic: a
# second run rewrites every file byte for byte.
#
#   event     whole stores of every scenario story and every API story, the
#             histories of UCI and BPI 2013 incidents replayed by
#             itsm-replay (chosen for the most kinds of event), a slice of
#             the UCI store, and one event of each type
#   packet    every packet proposed in those stores (handover_propose)
#   policy    the default policy, the BPI tool policy, the scenario stories'
#             policies (on-call, change, requests, zones, ...), and the
#             refused documents of tests/data/policy/invalid/
#   json      one event of each extension type
#   scenario  the stories and the runner's bad scripts
#   api       the API stories (tests/fuzz/api_seeds.py)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=$(cd "${1:-build}" && pwd)
corpus=$root/tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

replay=$build/tools/itsm-replay
scenario=$build/tools/scenario/itsm-scenario
for exe in "$replay" "$scenario"; do
    [ -x "$exe" ] || { echo "make_corpus.sh: $exe is missing (build first)" >&2; exit 1; }
done

# ---- the stores -------------------------------------------------------------
mkdir -p "$tmp/stories" "$tmp/api"
for story in tests/scenarios/*.itsm; do
    name=$(basename "$story" .itsm)
    (cd tests/scenarios && "$scenario" --events "$tmp/stories/$name.jsonl" "$name.itsm" > /dev/null)
done
"$replay" --log uci --sqlite "$tmp/uci.db" --limit 1500 --quiet > /dev/null
"$replay" --log bpi --sqlite "$tmp/bpi.db" --limit 400 --quiet > /dev/null
python3 tests/fuzz/api_seeds.py "$corpus/api"
# fuzz_api's other files and tools, as its fuzz-build lines name them (scripts/fuzz.sh)
read -r -a api_extra <<< "$(sed -n 's/^ \* fuzz-build: //p' tests/fuzz/fuzz_api.c | tr '\n' ' ')"
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc $(find src -name "*.c" | sort) \
    "${api_extra[@]}" tests/fuzz/fuzz_api.c -lm -o "$tmp/fuzz_api"
for seed in "$corpus"/api/*; do
    FUZZ_API_STORE="$tmp/api/$(basename "$seed").jsonl" "$tmp/fuzz_api" "$seed" > /dev/null 2>&1
done

# ---- cut them -----------------------------------------------------------------
ITSM_LIBRARY=$build/libitsm.so PYTHONPATH=$root/bindings/python python3 - "$tmp" "$corpus" <<'EOF'
import glob, json, os, shutil, sqlite3, sys

tmp, corpus = sys.argv[1], sys.argv[2]


def put(target, name, text):
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
    with open(os.path.join(corpus, target, name), "w", encoding="utf-8") as f:
        f.write(text)


def clear(target, prefixes):
    d = os.path.join(corpus, target)
    for f in os.listdir(d) if os.path.isdir(d) else []:
        if f.startswith(prefixes):
            os.remove(os.path.join(d, f))


clear("event", ("story_", "api_", "uci_", "bpi_", "type_"))
clear("packet", ("story_", "api_"))
clear("policy", ("default", "invalid_", "bpi_", "story_"))
clear("json", ("type_",))

stores = {}
for path in sorted(glob.glob(os.path.join(tmp, "stories", "*.jsonl"))):
    stores["story_" + os.path.basename(path)[:-6]] = open(path, encoding="utf-8").read().splitlines()
for path in sorted(glob.glob(os.path.join(tmp, "api", "*.jsonl"))):
    stores["api_" + os.path.basename(path)[:-6]] = open(path, encoding="utf-8").read().splitlines()
for name, lines in stores.items():
    if lines:
        put("event", name, "\n".join(lines) + "\n")

# Real logs: the histories with the most kinds of event, then the longest.
for log, count in (("uci", 10), ("bpi", 5)):
    db = sqlite3.connect(os.path.join(tmp, log + ".db"))
    rows = [(r, j) for r, j in db.execute("select record, json from itsm_events order by seq")]
    by = {}
    for rec, j in rows:
        by.setdefault(rec, []).append(j)
    ranked = sorted(by.items(), key=lambda kv: (-len({json.loads(e)["type"] for e in kv[1]}),
                                                 -min(len(kv[1]), 40), kv[0]))
    for rec, evs in ranked[:count]:
        put("event", "%s_%s" % (log, rec), "\n".join(evs[:40]) + "\n")
    put("event", "%s_slice" % log, "\n".join(j for _, j in rows[:60]) + "\n")
    stores[log] = [j for _, j in rows]

# One event of each type; packets from every proposal.
seen, packets = {}, {}
for name, lines in stores.items():
    for line in lines:
        ev = json.loads(line)
        seen.setdefault(ev["type"], line)
        pkt = ev.get("handover", {}).get("packet")
        if pkt is not None:
            text = json.dumps(pkt, ensure_ascii=False, separators=(",", ":"))
            packets.setdefault(text, "%s_%d.json" % (name, len(packets)))
for t, line in sorted(seen.items()):
    put("event", "type_" + t, line + "\n")
    if len(line) < 3000:
        put("json", "type_" + t, line + "\n")
for text, name in packets.items():
    put("packet", name, text + "\n")

import itsm  # noqa: E402  (after ITSM_LIBRARY is set)
put("policy", "default.json", itsm.Policy.default().to_json() + "\n")
shutil.copy("tools/bpi_policy.json", os.path.join(corpus, "policy", "bpi_policy.json"))
for path in sorted(glob.glob("tests/scenarios/*.json")):
    shutil.copy(path, os.path.join(corpus, "policy", "story_" + os.path.basename(path)))
for path in sorted(glob.glob("tests/data/policy/invalid/*/input")):
    shutil.copy(path, os.path.join(corpus, "policy", "invalid_" + os.path.basename(os.path.dirname(path))))
print("make_corpus.sh: %d stores, %d event types, %d packets" % (len(stores), len(seen), len(packets)))
EOF

# ---- scripts ------------------------------------------------------------------
rm -f "$corpus"/scenario/bad_*
cp tests/scenarios/*.itsm "$corpus/scenario/"
for bad in tests/scenarios/bad/*.itsm; do
    cp "$bad" "$corpus/scenario/bad_$(basename "$bad")"
done
du -sh "$corpus"/*
