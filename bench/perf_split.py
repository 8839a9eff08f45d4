#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/perf_split.py PERF_DATA - the real CPU split of bench_group_commit.

Reads `perf record --call-graph dwarf` samples of one bench_group_commit
run (bench/RESULTS-stores.md) and puts each sample of the timed parts in
one share: the library's run (under rp_run) or the plain SQL (under
sql_baseline); within the library's run, by the outermost frame of these:

  sqlite: group commits    under the store's group call (COMMIT, WAL,
                           checkpoints)
  sqlite: inserts          SQLite and the kernel under the store's append
  store's own code         the rest of the store's append (the row, the
                           revision check)
  chain: canonical form    the canonical binary form's writers
  chain: SHA-256           the link's hash (the x86 SHA instructions)
  chain: bookkeeping       the rest of the chain's reserve step
  process logic            the rest of libitsm (and the libc and kernel
                           work it calls)
  tool, libc, kernel       the rest (the replay's calls and what they call)

Samples outside both timed parts (reading the log, reading the rows back)
are counted apart. Shares of samples are shares of CPU time.
"""
import collections
import subprocess
import sys

CANON = {"itsm__canon_fast", "itsm__chain_canonical", "itsm__event_json", "write_form"}
SHA = {"itsm__chain_link_bin", "itsm__sha256_update", "itsm__sha256_final", "blocks_ni", "blocks_bmi2",
       "compress_n", "itsm__sha256_blocks_c"}


def samples(path):
    out = subprocess.run(["perf", "script", "-i", path, "-F", "ip,sym,dso"], capture_output=True, text=True,
                         check=True).stdout
    cur = []
    for line in out.split("\n"):
        if not line.strip():
            if cur:
                yield cur
            cur = []
            continue
        parts = line.strip().split(None, 1)
        if len(parts) < 2:
            continue
        sym, _, dso = parts[1].rpartition(" (")
        cur.append((sym, dso.rstrip(")").split("/")[-1]))
    if cur:
        yield cur


def share(frames):
    """The library run's share of one sample (frames innermost first)."""
    outer = list(reversed(frames))
    names = [s for s, _ in outer]
    for i, (sym, _) in enumerate(outer):
        if sym == "sq_group":
            return "sqlite: group commits"
        if sym == "sq_append":
            inner = outer[i + 1:]
            if any(s.startswith("sqlite3") or d.startswith("libsqlite") for s, d in inner) or \
                    (inner and inner[-1][1].startswith("[kernel")):
                return "sqlite: inserts"
            return "store's own code"
        if sym in CANON:
            return "chain: canonical form"
        if sym in SHA:
            return "chain: SHA-256"
    for i, sym in enumerate(names):   # the chain's reserve hook, under the batch's reserve
        if sym == "reserve" and i > 0 and names[i - 1] == "reserve":
            return "chain: bookkeeping"
    if any(d.startswith("libitsm.so") for _, d in frames):   # with the libc and kernel work it calls
        return "process logic"
    return "tool, libc, kernel"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: perf_split.py PERF_DATA")
    count = collections.Counter()
    for frames in samples(sys.argv[1]):
        names = {s for s, _ in frames}
        if "rp_run" in names:
            count["library"] += 1
            count[share(frames)] += 1
        elif "sql_baseline" in names:
            count["by hand"] += 1
        else:
            count["outside the timed parts"] += 1
    lib, hand = count["library"], count["by hand"]
    print(f"{'samples':<32} {'':>8}")
    print(f"{'by hand, all':<32} {hand:>8}")
    print(f"{'library, all':<32} {lib:>8}")
    for k in ("sqlite: inserts", "sqlite: group commits", "store's own code", "chain: canonical form",
              "chain: SHA-256", "chain: bookkeeping", "process logic", "tool, libc, kernel"):
        print(f"{'- ' + k:<32} {count[k]:>8}  {100.0 * count[k] / lib if lib else 0:5.1f} %")
    print(f"{'outside the timed parts':<32} {count['outside the timed parts']:>8}")
    if lib:
        print(f"CPU ratio (by hand / library): {hand / lib:.2f}")


if __name__ == "__main__":
    main()
