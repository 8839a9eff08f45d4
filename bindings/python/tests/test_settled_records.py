# SPDX-License-Identifier: Apache-2.0
"""What a settled record (resolved, closed) or the wrong kind refuses, through
the binding: hierarchical escalation only while work is owed, a known outage
only on an open incident, first-contact resolution lost at a reopen
(escalation.h, communication.h). A refusal is StateError with the
library's code and message, and leaves the record, its events and the
engine's outage as they were."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm
from itsm.stores import MemoryStore

H = dt.timedelta(hours=1)


class SettledRecordTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.store = MemoryStore()
        pol = itsm.Policy()
        pol.set_ladder(["team_lead", "desk_manager"])
        self.eng = itsm.Engine(policy=pol, store=self.store, clock=self.clock, actor="desk")
        pol.close()

    def tearDown(self):
        self.eng.close()

    def resolved(self, **fields):
        inc = self.eng.open("incident", summary="mail down", service="mail", impact=3, urgency=3, **fields)
        inc.fire("assign", assignment_group="desk")
        inc.fire("start", assignee="ann")
        self.clock.advance(minutes=20)
        inc.fire("resolve", resolution_code="fixed", resolution_notes="restarted")
        return inc

    def assert_refused(self, call, rec):
        before = (rec.revision, rec.state, rec.escalation_audience, len(self.store.events))
        with self.assertRaises(itsm.StateError) as cm:
            call()
        self.assertEqual(cm.exception.code, itsm.StateError.code)
        self.assertEqual(cm.exception.name, "ITSM_ESTATE")
        self.assertTrue(str(cm.exception))          # the library's message, not only the code's
        self.assertEqual((rec.revision, rec.state, rec.escalation_audience, len(self.store.events)), before)
        return str(cm.exception)

    def test_hierarchical_escalation_waits_for_a_reopen(self):
        inc = self.resolved()
        self.assert_refused(lambda: inc.escalate_hierarchical("customer complains"), inc)
        inc.fire("reopen", assignee="ann")
        inc.escalate_hierarchical("customer complains")
        self.assertEqual(inc.escalation_audience, "team_lead")

    def test_a_closed_incident_refuses_hierarchical_escalation(self):
        inc = self.eng.open("incident", summary="x")
        inc.fire("cancel")
        self.assert_refused(lambda: inc.escalate_hierarchical("late complaint"), inc)

    def test_a_resolved_incident_declares_no_outage(self):
        inc = self.resolved()
        self.assert_refused(lambda: inc.declare_outage(self.clock.now + H, self.clock.now + H / 2), inc)
        self.assertIsNone(self.eng.outage("mail"))

    def test_a_service_request_declares_no_outage(self):
        req = self.eng.open("service_request", summary="new laptop", service="mail")
        self.assert_refused(lambda: req.declare_outage(T0 + H, T0 + H / 2), req)
        self.assertIsNone(self.eng.outage("mail"))
        # the refusal left the service free for the incident that reports it
        inc = self.eng.open("incident", summary="mail down", service="mail", impact=1, urgency=1)
        inc.declare_outage(T0 + H, T0 + H / 2)
        self.assertEqual(self.eng.outage("mail"), inc)

    def test_a_reopen_loses_first_contact_resolution(self):
        inc = self.resolved()
        self.assertTrue(inc.first_contact_resolution)
        inc.fire("reopen", assignee="ann")
        self.assertFalse(inc.first_contact_resolution)
        inc.fire("resolve", resolution_code="fixed", resolution_notes="for good")
        self.assertFalse(inc.first_contact_resolution, "resolved again, the first fix still did not hold")
        rep = self.eng.report(now=self.clock.now)
        self.assertEqual((rep.figures.resolved, rep.figures.first_contact, rep.figures.reopens), (1, 0, 1))

    def test_a_reopened_incident_back_in_work_is_not_resolved_in_the_report(self):
        inc = self.resolved()
        self.clock.advance(hours=1)
        self.assertEqual(self.eng.report(now=self.clock.now).figures.resolved, 1)
        inc.fire("reopen", assignee="ann")
        rep = self.eng.report(now=self.clock.now)
        self.assertEqual((rep.figures.resolved, rep.figures.first_contact, rep.figures.ever_resolved),
                         (0, 0, 1))
        self.assertEqual(rep.duration("resolve_wall").count, 0)


if __name__ == "__main__":
    unittest.main()
