# SPDX-License-Identifier: Apache-2.0
"""Customer communication, known outages and closure (communication.h)."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm


class CommunicationTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.events = []
        pol = itsm.Policy()
        pol.set_cadence([dt.timedelta(minutes=30), 3600, 4 * 3600, 8 * 3600, 8 * 3600],
                        broadcast_max_priority=1)
        pol.set_closure(auto_close_after=dt.timedelta(days=2), survey_permille=1000,
                        knowledge_candidate=True)
        self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="desk",
                               sink=self.events.extend)
        pol.close()

    def tearDown(self):
        self.eng.close()

    def test_audience_follows_priority(self):
        p1 = self.eng.open("incident", summary="a", impact=1, urgency=1)
        p2 = self.eng.open("incident", summary="b", impact=1, urgency=2)
        none = self.eng.open("incident", summary="c")
        self.assertEqual(p1.audience, "broadcast")
        self.assertEqual(p2.audience, "callers")
        self.assertIsNone(none.audience)

    def test_overdue_update_fires_on_tick(self):
        inc = self.eng.open("incident", summary="a", impact=1, urgency=1)
        inc.fire("assign", assignment_group="desk")
        inc.fire("start", assignee="ann")
        nu = inc.timer("next_update")
        self.assertEqual(nu.status, "running")
        self.assertEqual(nu.due, T0 + dt.timedelta(minutes=30))
        inc.add_note("restarting", kind="customer", expected_restoration=T0 + dt.timedelta(hours=1),
                     next_update=T0 + dt.timedelta(minutes=10))
        self.assertEqual(inc.timer("next_update").due, T0 + dt.timedelta(minutes=10))
        self.eng.tick(T0 + dt.timedelta(minutes=20))
        self.assertIn("update_overdue", [e.type for e in self.events])

    def test_known_outage_links_new_incidents(self):
        outage = self.eng.open("incident", summary="Mail down", service="mail", impact=1,
                               urgency=1)
        outage.declare_outage(T0 + dt.timedelta(hours=2), T0 + dt.timedelta(minutes=30))
        self.assertEqual(self.eng.outage("mail"), outage)
        self.assertIsNone(self.eng.outage("payroll"))
        caller = self.eng.open("incident", summary="no mail", service="mail")
        self.assertIn(outage, list(caller.linked("related")))
        other = self.eng.open("incident", summary="also mail", service="mail", impact=1, urgency=1)
        with self.assertRaises(itsm.AlreadyExists):
            other.declare_outage(T0 + dt.timedelta(hours=2), T0 + dt.timedelta(minutes=30))
        outage.end_outage()
        self.assertIsNone(self.eng.outage("mail"))
        with self.assertRaises(itsm.InvalidArgument):     # no service
            self.eng.open("incident", summary="x").declare_outage(T0, T0)

    def test_closure_auto_close_survey_and_knowledge_candidate(self):
        inc = self.eng.open("incident", summary="a", impact=3, urgency=3, category="email")
        self.assertIsNone(inc.auto_close_due)
        inc.fire("assign", assignment_group="desk")
        inc.fire("start", assignee="ann")
        inc.fire("resolve", resolution_code="fixed", resolution_notes="rebooted")
        self.assertEqual(inc.auto_close_due, T0 + dt.timedelta(days=2))
        self.assertTrue(inc.survey_sampled)                 # rate 1000 permille
        self.assertTrue(inc.knowledge_candidate)
        self.assertEqual(inc.decide_knowledge(), "candidate")
        self.assertEqual(inc.knowledge_decision, "candidate")
        self.eng.tick(T0 + dt.timedelta(days=3))
        self.assertEqual(inc.state, "closed")
        self.assertIsNone(inc.auto_close_due)

    def test_auto_close_blocked_by_the_checklist(self):
        inc = self.eng.open("incident", summary="a", impact=3, urgency=3)   # no category
        inc.fire("start", assignment_group="desk", assignee="ann")
        inc.fire("resolve", resolution_code="fixed", resolution_notes="rebooted")
        self.eng.tick(T0 + dt.timedelta(days=3))
        self.assertEqual(inc.state, "resolved")
        self.assertIn("auto_close_blocked", [e.type for e in self.events])

    def test_bad_closure_and_cadence_raise(self):
        with itsm.Policy() as pol:
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_closure(survey_permille=2000)
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_cadence([0, 1, 1, 1, 1])
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_cadence([1, 1, 1])


if __name__ == "__main__":
    unittest.main()
