# SPDX-License-Identifier: Apache-2.0
"""Escalation and major incidents (escalation.h)."""
import datetime as dt
import unittest

from _support import UTC, T0, Clock, itsm


class FunctionalEscalationTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        pol = itsm.Policy()
        pol.add_route("network-l2", category="network")
        pol.add_route("payroll-apps", category="application", service="payroll")
        self.assertEqual(pol.route("network", "mail"), "network-l2")
        self.assertEqual(pol.route("application", "payroll"), "payroll-apps")
        self.assertIsNone(pol.route("hardware", None))
        pol.set_ladder(["team_lead", "desk_manager", "head_of_it"], climb_on_breach=True)
        self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="desk")
        pol.close()

    def tearDown(self):
        self.eng.close()

    def test_routing_assigns_the_right_group_first_time(self):
        self.assertEqual(self.eng.route("network"), "network-l2")
        inc = self.eng.open("incident", summary="VPN down", category="network", impact=3,
                            urgency=3)
        self.assertEqual(inc.assignment_group, "network-l2")

    def test_functional_escalation_up_to_level_3(self):
        inc = self.eng.open("incident", summary="VPN down", category="network", impact=3,
                            urgency=3)
        inc.escalate("restarted the client", group="network-l2")
        self.assertEqual(inc.functional_level, 2)
        # Routed to network-l2 already: escalating counts a reassignment
        # even when the group stays (DESIGN 5).
        self.assertEqual(inc.reassignments, 1)
        self.assertFalse(inc.first_contact_resolution)
        inc.escalate("checked the concentrator", level=3, group="vendor")
        self.assertEqual(inc.assignment_group, "vendor")
        self.assertEqual(inc.reassignments, 2)
        with self.assertRaises(itsm.LimitExceeded):
            inc.escalate("nothing left")
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.open("incident", summary="y").escalate("")

    def test_hierarchical_ladder(self):
        inc = self.eng.open("incident", summary="x", impact=3, urgency=3)
        self.assertIsNone(inc.escalation_audience)
        for role in ("team_lead", "desk_manager", "head_of_it"):
            inc.escalate_hierarchical("customer complains")
            self.assertEqual(inc.escalation_audience, role)
        with self.assertRaises(itsm.LimitExceeded):
            inc.escalate_hierarchical("again")

    def test_escalating_a_closed_record_is_a_state_error(self):
        inc = self.eng.open("incident", summary="x")
        inc.fire("cancel")
        with self.assertRaises(itsm.StateError):
            inc.escalate("tried")


class MajorIncidentTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.events = []
        pol = itsm.Policy()
        pol.set_major(propose_at_priority=0, breadth_threshold=0,
                      communication_due=dt.timedelta(minutes=15), groups_due=900)
        self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="desk",
                               sink=self.events.extend)
        pol.close()

    def tearDown(self):
        self.eng.close()

    def test_propose_accept_and_the_initial_15_minutes(self):
        inc = self.eng.open("incident", summary="Payroll down", service="payroll",
                            impact=1, urgency=1)
        self.assertEqual(inc.major_state, "none")       # the rule is off
        self.assertEqual(inc.major_deadlines, {})
        self.eng.propose_major(inc, "all of Finance is down")
        self.assertEqual(inc.major_state, "proposed")
        with self.assertRaises(itsm.AlreadyExists):
            inc.propose_major("again")
        self.clock.advance(minutes=2)
        inc.accept_major("mim.lead")
        self.assertEqual(inc.major_state, "accepted")
        self.assertTrue(inc.major)
        self.assertEqual(inc.major_phase, "initial")
        comm = inc.major_deadline("communication")
        self.assertEqual(comm.due, T0 + dt.timedelta(minutes=17))
        self.assertFalse(comm.done or comm.missed)
        inc.communication_issued()
        self.assertTrue(inc.major_deadline("communication").done)
        self.clock.advance(minutes=16)
        self.assertGreaterEqual(self.eng.tick(), 1)
        groups = inc.major_deadline("groups")
        self.assertTrue(groups.missed)
        self.assertIn("major_deadline_missed", [e.type for e in self.events])
        inc.engage_groups("web-platform", "database")
        self.assertEqual(inc.major_phase, "post")

    def test_reject_and_attach(self):
        a = self.eng.open("incident", summary="Slow mail", impact=2, urgency=2)
        a.propose_major("maybe")
        a.reject_major("mim.lead")
        self.assertEqual(a.major_state, "rejected")
        parent = self.eng.open("incident", summary="Mail down", service="mail", impact=1,
                               urgency=1)
        parent.propose_major("everyone")
        parent.decide_major(True, "mim.lead")
        child = self.eng.open("incident", summary="No mail", service="mail")
        parent.attach(child)
        self.assertIn(parent, list(child.linked("parent")))
        with self.assertRaises(itsm.AlreadyExists):
            parent.attach(child.id)

    def test_major_calls_out_of_order_raise_state_error(self):
        inc = self.eng.open("incident", summary="x", impact=1, urgency=1)
        with self.assertRaises(itsm.StateError):
            inc.accept_major("mim.lead")                 # not proposed
        with self.assertRaises(itsm.StateError):
            inc.communication_issued()
        with self.assertRaises(itsm.StateError):
            inc.major_deadline("groups")
        with self.assertRaises(itsm.InvalidArgument):
            inc.major_deadline("lunch")

    def test_bad_major_policy_is_invalid(self):
        with itsm.Policy() as pol:
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_major(propose_at_priority=9)
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_ladder([])


if __name__ == "__main__":
    unittest.main()
