# SPDX-License-Identifier: Apache-2.0
"""Agreements on records (agreement.h): instances selected by conditions,
their clocks, history, the tick's warnings and breaches, the report, and
replay rebuilding them."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm

H = dt.timedelta(hours=1)


def contract_policy() -> itsm.Policy:
    pol = itsm.Policy()
    pol.set_agreement("gold", applies="kind == 'incident' and priority <= 2 and service == 'payroll'",
                      start="assignment_group != null", pause="hold_reason == 'awaiting_customer'",
                      stop="state == 'resolved'", reset="event == 'reopen'",
                      targets=[(1, 4 * H, None), (2, 8 * H, None)], warnings=[0.5], breaches=[1, 2])
    pol.set_agreement("network_ola", type="ola", start="assignment_group == 'network'",
                      stop="assignment_group != 'network' or state == 'resolved'",
                      targets=[(1, H, None), (0, 2 * H, None)])
    return pol


class AgreementTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.events = []
        with contract_policy() as pol:
            self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="desk", sink=self.events.extend)

    def tearDown(self):
        self.eng.close()

    def test_an_instance_follows_its_conditions(self):
        inc = self.eng.open("incident", summary="Pay run stuck", service="payroll", impact=1, urgency=1)
        gold = inc.agreement("gold")
        self.assertIsInstance(gold, itsm.Agreement)
        self.assertEqual((gold.type, gold.status, gold.verdict), ("sla", "pending", "pending"))
        self.assertEqual(gold.target, 4 * H)
        self.assertIsNone(gold.due)
        self.clock.advance(minutes=30)
        inc.fire("start", assignment_group="desk", assignee="ann")
        self.clock.advance(hours=1)
        inc.fire("hold", hold_reason="awaiting_customer")
        self.clock.advance(hours=1)
        gold = inc.agreement("gold")
        self.assertEqual((gold.status, gold.elapsed, gold.paused), ("paused", H, H))
        inc.fire("resume")
        inc.fire("resolve", resolution_code="fixed", resolution_notes="restarted")
        gold = inc.agreement("gold")
        self.assertEqual((gold.status, gold.verdict), ("stopped", "met"))
        self.assertEqual(gold.stopped_at, T0 + 150 * dt.timedelta(minutes=1))
        steps = [(s.agreement, s.step) for s in inc.agreement_history]
        self.assertEqual(steps, [("gold", "applied"), ("network_ola", "applied"), ("gold", "started"), ("gold", "paused"),
                                 ("gold", "resumed"), ("gold", "stopped")])
        self.assertIsInstance(inc.agreement_history[0], itsm.AgreementStep)
        self.assertEqual(inc.agreement_history[-1].verdict, "met")
        # the OLA applies to every record; its clock never started
        self.assertEqual(set(inc.agreements), {"gold", "network_ola"})
        self.assertEqual(inc.agreement("network_ola").status, "pending")

    def test_the_tick_fires_warnings_and_the_breach_ladder(self):
        inc = self.eng.open("incident", summary="Pay run stuck", service="payroll", impact=1, urgency=1)
        inc.update(assignment_group="network")
        self.assertEqual(inc.agreement("network_ola").due, T0 + H)
        self.eng.tick(T0 + 10 * H)
        types = [e.type for e in self.events]
        self.assertEqual(types.count("agreement_warning"), 1)
        self.assertEqual(types.count("agreement_breach"), 3)   # the OLA once, gold twice
        gold = inc.agreement("gold", now=T0 + 10 * H)
        self.assertEqual((gold.warnings, gold.breaches, gold.verdict), (1, 2, "breached"))
        rep = self.eng.agreement_report("gold")
        self.assertIsInstance(rep, itsm.AgreementReport)
        self.assertEqual((rep.applied, rep.breached, rep.met, rep.open, rep.cancelled), (1, 1, 0, 0, 0))

    def test_a_priority_drop_cancels_and_replay_rebuilds(self):
        inc = self.eng.open("incident", summary="Pay run stuck", service="payroll", impact=1, urgency=1)
        inc.fire("start", assignment_group="desk", assignee="ann")
        self.clock.advance(hours=1)
        inc.update(impact=3)
        self.assertEqual(inc.agreement("gold").status, "cancelled")
        self.assertEqual(self.eng.agreement_report("gold").cancelled, 1)
        history = inc.agreement_history
        with contract_policy() as pol, itsm.Engine(policy=pol) as other:
            other.replay([e.json for e in self.events])
            self.assertEqual(other[inc.id].agreement_history, history)

    def test_unknown_agreements_raise_not_found(self):
        inc = self.eng.open("incident", summary="x", impact=1, urgency=1)
        with self.assertRaises(itsm.NotFound):
            inc.agreement("silver")
        with self.assertRaises(itsm.NotFound):
            self.eng.agreement_report("silver")


if __name__ == "__main__":
    unittest.main()
