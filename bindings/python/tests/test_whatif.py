# SPDX-License-Identifier: Apache-2.0
"""What-if (whatif.h): the engine's stored events judged again under a
candidate policy; the engine is left as it was."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def p2_target(hours: float) -> itsm.Policy:
    pol = itsm.Policy()
    pol.set_sla("standard", response=[900, 1800, 14400, 28800, 57600],
                resolution=[4 * H, hours * H, 86400, 144000, 288000],
                calendar=["24x7", "24x7", "business", "business", "business"])
    return pol


class WhatIfTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.store = itsm.stores.MemoryStore()
        self.eng = itsm.Engine(store=self.store, clock=self.clock)
        a = self.eng.open("incident", summary="mail", impact=1, urgency=2)
        b = self.eng.open("incident", summary="vpn", impact=1, urgency=2)
        self.clock.advance(minutes=10)
        for r in (a, b):
            r.fire("start", assignment_group="Desk", assignee="ann")
        self.clock.advance(hours=6)
        a.fire("resolve", resolution_code="fixed", resolution_notes="restarted")
        self.eng.tick(T0 + 9 * H)
        self.clock.advance(hours=4)
        b.fire("resolve", resolution_code="fixed", resolution_notes="restarted")

    def tearDown(self):
        self.eng.close()

    def test_a_shorter_target_flips_a_met_resolution(self):
        events = list(self.store.events)
        with p2_target(4) as cand:
            w = self.eng.whatif(cand)
        self.assertEqual(self.store.events, events)
        self.assertEqual((w.summary.records, w.summary.flips, w.summary.to_breached, w.summary.to_met),
                         (2, 1, 1, 0))
        self.assertEqual((w.summary.actual_breached, w.summary.candidate_breached), (1, 2))
        f = w.flips[0]
        self.assertEqual((f.record, f.group, f.priority, f.clock), ("INC-000001", "Desk", 2, "resolution"))
        self.assertEqual((f.actual, f.candidate), ("met", "breached"))
        self.assertEqual((f.actual_target, f.candidate_target, f.actual_elapsed), (8 * H, 4 * H, 6 * H + 10 * M))
        self.assertEqual([(s.name, s.clock) for s in w.slas], [("standard", "response"), ("standard", "resolution")])
        self.assertEqual(w.groups[0].group, "Desk")
        self.assertEqual(w.groups[0].to_breached, 1)
        self.assertEqual(w.durations["resolve_wall"].changed, 0)
        self.assertEqual(w.to_json()["flip_list"][0]["record"], "INC-000001")

    def test_as_of_judges_open_clocks_then(self):
        inc = self.eng.open("incident", summary="disk", impact=1, urgency=2)
        self.assertIsNotNone(inc)
        with p2_target(8) as cand:
            w = self.eng.whatif(cand, as_of=self.clock() + 9 * H)
        self.assertEqual(w.summary.flips, 0)
        self.assertEqual(w.summary.actual_breached, 3)   # INC-2; the new one's response and resolution
        self.assertEqual(w.summary.as_of, self.clock() + 9 * H)

    def test_refusals(self):
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.whatif("not a policy")
        with p2_target(4) as bad:
            bad.add_state("incident", "limbo")
            with self.assertRaises(itsm.PolicyError):
                self.eng.whatif(bad)
        with itsm.Engine() as bare, p2_target(4) as cand:
            with self.assertRaisesRegex(itsm.InvalidArgument, "no scan callback"):
                bare.whatif(cand)


if __name__ == "__main__":
    unittest.main()


class MigrationCheckTest(unittest.TestCase):
    def test_a_shorter_target_moves_the_open_clock(self):
        clock = Clock()
        store = itsm.stores.MemoryStore()
        with itsm.Engine(store=store, clock=clock) as eng:
            inc = eng.open("incident", summary="mail", impact=1, urgency=2)
            inc.fire("start", assignment_group="Desk", assignee="ann")
            clock.advance(hours=1)
            events = list(store.events)
            with p2_target(4) as cand:
                m = eng.migration_check(cand)
            self.assertEqual(store.events, events)
            self.assertEqual((m.records, m.now), (1, T0 + H))
            [f] = m.findings
            self.assertEqual((f.kind, f.record, f.record_kind, f.state, f.clock, f.name),
                             ("timer_moves", "INC-000001", "incident", "in_progress", "resolution", "standard"))
            self.assertEqual((f.actual_due, f.candidate_due, f.delta), (T0 + 8 * H, T0 + 4 * H, -4 * H))
            self.assertEqual(m.of_kind("guard_fails"), [])
            self.assertEqual(m.to_json()["counts"]["timer_moves"], 1)
            with self.assertRaises(itsm.InvalidArgument):
                eng.migration_check(None)
        with itsm.Engine() as bare, p2_target(4) as cand:
            with self.assertRaisesRegex(itsm.InvalidArgument, "no scan callback"):
                bare.migration_check(cand)
