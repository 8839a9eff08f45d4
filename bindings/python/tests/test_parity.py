# SPDX-License-Identifier: Apache-2.0
"""Parity with C: the figures the binding gives are the ones a C host gets
from the same events. A Python engine runs a desk's week (business-hours
SLA, a pause, a reopen, reassignments, breaches); a small C program
(bindings/parity/figures.c) replays what its store kept into a plain C engine
and prints the report's durations (p50..p99), SLA compliance and process
figures, its breakdown by group, every record's state, reopens and
first-contact resolution and its four timers, which the binding must match
(tests/ParityTest.php holds the PHP binding to the same program and
scenario)."""
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import unittest

from _support import HERE, Clock, itsm

from itsm.stores import MemoryStore

INCLUDE = os.environ.get("ITSM_INCLUDE_DIR") or os.path.join(HERE, "..", "..", "..", "include")


def compiler():
    return os.environ.get("ITSM_CC") or shutil.which("cc") or shutil.which("gcc") \
        or shutil.which("clang")


def seconds(td):
    return int(td.total_seconds())


class ParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="itsm-parity.")
        built = os.environ.get("ITSM_PARITY_FIGURES")
        if built:   # built by CMake with the library's flags (sanitizers too)
            cls.exe = built
            return
        cc = compiler()
        if not cc or not os.path.isdir(INCLUDE):
            raise unittest.SkipTest("no C compiler or headers (ITSM_CC, ITSM_INCLUDE_DIR)")
        cls.exe = os.path.join(cls.tmp, "figures")
        lib = itsm.library_path
        r = subprocess.run([cc, "-std=c11", "-I", INCLUDE, "-o", cls.exe,
                            os.path.join(HERE, "..", "..", "parity", "figures.c"), lib,
                            "-Wl,-rpath," + os.path.dirname(lib)],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError("figures.c does not build:\n" + r.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def desk_week(self):
        pol = itsm.Policy()
        pol.set_calendar("office", hours={d: ("09:00", "17:00") for d in ("mon", "tue", "wed", "thu", "fri")})
        pol.set_sla("std", response=[dt.timedelta(minutes=m) for m in (15, 30, 60, 240, 480)],
                    resolution=[dt.timedelta(hours=h) for h in (4, 8, 16, 24, 40)], calendar="office")
        pol.set_default_sla("std")
        pol.set_pause("awaiting_customer", ["resolution"])
        pol.set_ola("network", dt.timedelta(hours=2))
        clock = Clock()                      # Monday 2024-03-04 09:00 UTC
        store = MemoryStore()
        eng = itsm.Engine(policy=pol, store=store, clock=clock, actor="sd.maria")
        for i in range(12):
            clock.advance(minutes=5 + 3 * i)
            inc = eng.open("incident", summary=f"case {i}", caller="bob", service="mail",
                           category="email", impact=1 + i % 3, urgency=1 + (i // 3) % 3)
            inc.fire("assign", assignment_group="desk" if i % 2 else "network")
            clock.advance(minutes=4 + 9 * i)     # responses in and out of target
            inc.fire("start", assignee="nina")
            if i % 4 == 1:
                inc.update(assignment_group="messaging")
                inc.update(assignment_group="desk")
            if i % 3 == 0:
                inc.fire("hold", hold_reason="awaiting_customer")
                clock.advance(hours=3)
                inc.fire("resume", assignee="nina")
            if i % 5 != 4:                   # some stay open, some past due
                clock.advance(minutes=50 + 40 * i)
                inc.fire("resolve", resolution_code="fixed", resolution_notes="done")
            if i == 2:
                clock.advance(hours=1)
                inc.fire("reopen", assignee="nina")
            if i % 6 == 5:
                inc.add_note("update sent", kind="customer",
                             expected_restoration=clock.now + dt.timedelta(hours=5),
                             next_update=clock.now + dt.timedelta(hours=2))
        clock.advance(days=2, hours=3)
        eng.tick()
        return eng, store, clock.now

    def c_figures(self, store, now):
        events = "".join(doc + "\n" for doc in store.events)
        # the C host carries its own sanitizer runtime when it has one: the
        # one preloaded into python for the library would clash with it
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        r = subprocess.run([self.exe, str(int(now.timestamp()))], input=events,
                           capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [line.split() for line in r.stdout.splitlines()]

    def test_report_and_timers_match_a_c_host(self):
        eng, store, now = self.desk_week()
        rep = eng.report(now=now)
        c = self.c_figures(store, now)
        durations = {row[1]: row[2:] for row in c if row[0] == "duration"}
        self.assertEqual(set(durations), set(rep.durations))
        for measure, row in durations.items():
            st = rep.duration(measure)
            with self.subTest(measure=measure):
                self.assertEqual(st.count, int(row[0]))
                self.assertAlmostEqual(st.mean.total_seconds(), float(row[1]), delta=1)
                self.assertEqual([seconds(x) for x in (st.min, st.max, st.p50, st.p90, st.p95, st.p99)],
                                 [int(v) for v in row[2:]])
        # The week has resolutions to measure, in and out of target.
        self.assertGreater(rep.duration("resolve_work").count, 5)
        sla = next(row[1:] for row in c if row[0] == "sla")
        self.assertEqual((rep.sla.tracked, rep.sla.met, rep.sla.breached),
                         tuple(int(v) for v in sla[:3]))
        self.assertAlmostEqual(rep.sla.compliance, float(sla[3]), places=5)
        self.assertGreater(rep.sla.met, 0)
        self.assertGreater(rep.sla.breached, 0)
        fig = next(row[1:] for row in c if row[0] == "figures")
        f = rep.figures
        self.assertEqual((f.resolved, f.first_contact, f.reassignments, f.reassigned_records,
                          f.ever_resolved, f.reopened_records, f.reopens),
                         tuple(int(fig[i]) for i in (0, 1, 3, 4, 5, 6, 7)))
        self.assertAlmostEqual(f.first_contact_rate, float(fig[2]), places=5)
        self.assertAlmostEqual(f.reopen_rate, float(fig[8]), places=5)
        self.assertEqual(f.reopens, 1)

        # A reopened record back in work is not resolved, nor resolved at
        # first contact: in the report, its group's row and the record.
        self.assertLess(f.resolved, f.ever_resolved)
        with eng.report(now=now, group_by="assignment_group") as by_group:
            self.assertEqual([(g.value or "-", g.count, g.resolved, g.met, g.breached) for g in by_group.groups],
                             [(row[1], int(row[2]), int(row[3]), int(row[4]), int(row[5]))
                              for row in c if row[0] == "group"])
            self.assertEqual(sum(g.resolved for g in by_group.groups), f.resolved)
        records = [row[1:] for row in c if row[0] == "record"]
        self.assertEqual([r.id for r in eng], [row[0] for row in records])
        for rid, state, reopens, fcr in records:
            rec = eng.find(rid)
            with self.subTest(record=rid):
                self.assertEqual((rec.state, rec.reopens, rec.first_contact_resolution),
                                 (state, int(reopens), bool(int(fcr))))
        reopened = eng.find("INC-000003")
        self.assertEqual((reopened.state, reopened.reopens, reopened.first_contact_resolution),
                         ("in_progress", 1, False))
        self.assertEqual(sum(1 for row in records if row[3] == "1"), f.first_contact)

        names = {v: k for k, v in itsm._ffi.TIMERS.items()}
        timers = [row[1:] for row in c if row[0] == "timer"]
        self.assertEqual(len(timers), 4 * len(eng))
        seen = set()
        for rid, t, status, breached, target, elapsed, paused, due, remaining, warnings in timers:
            tm = eng.find(rid).timer(names[int(t)], now=now)
            seen.add(tm.status)
            with self.subTest(record=rid, timer=tm.name):
                self.assertEqual(tm.status, itsm._ffi.TIMER_STATUS[int(status)])
                self.assertEqual(tm.breached, bool(int(breached)))
                self.assertEqual(seconds(tm.target) if tm.target is not None else 0, int(target))
                self.assertEqual(seconds(tm.elapsed), int(elapsed))
                self.assertEqual(seconds(tm.paused), int(paused))
                self.assertEqual(int(tm.due.timestamp()) if tm.due else None,
                                 None if int(due) == itsm._ffi.TIME_NONE else int(due))
                self.assertEqual(seconds(tm.remaining), int(remaining))
                self.assertEqual(tm.warnings, int(warnings))
        self.assertLessEqual({"running", "stopped"}, seen)
        eng.close()


if __name__ == "__main__":
    unittest.main()
