# SPDX-License-Identifier: Apache-2.0
"""Change enablement (approval.h, change.h): approvals, risk assessment and
the change schedule, every call of the binding."""
import datetime as dt
import unittest

from _support import UTC, Clock, itsm

DAY = dt.timedelta(days=1)


def cab_policy() -> "itsm.Policy":
    pol = itsm.Policy()
    pol.set_approver_group("cab", ["ann", "bob", "cat"])
    pol.clear_approval_rules()
    pol.add_approval_rule("standard_change", "change", change_types=["standard"], state="assessed")
    pol.add_approval_rule("emergency_change", "change", [
        itsm.ApprovalLevel("ecab", approvers=("eve",)),
        itsm.ApprovalLevel("window_exception", approvers=("cio",), exception=True)],
        change_types=["emergency"], state="assessed")
    pol.add_approval_rule("high_risk_change", "change", [
        itsm.ApprovalLevel("change_manager", approvers=("carl",)),
        itsm.ApprovalLevel("cab", group="cab", rule="quorum", quorum=2)],
        risks=["high"], state="assessed")
    pol.add_approval_rule("change", "change", [itsm.ApprovalLevel("change_manager", approvers=("carl", "cleo"))],
                          state="assessed")
    pol.set_calendar("weekend", hours={"sat": ("00:00", "24:00"), "sun": ("00:00", "24:00")})
    pol.set_maintenance_window("payroll", "weekend")
    pol.set_blackout("year_end", (dt.datetime(2024, 12, 15, tzinfo=UTC), dt.datetime(2025, 1, 5, tzinfo=UTC)))
    pol.set_blackout("office_hours", "business", services=["payments"])
    return pol


LOW = {"users": "few", "backout": "tested", "experience": "often", "outage": "none", "reach": "one"}
HIGH = {"users": "organisation", "backout": "none", "experience": "never", "outage": "in_window", "reach": "one"}


class ChangeTestCase(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        with cab_policy() as pol:
            self.assertEqual(pol.check(), [])
            self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="pia")

    def tearDown(self):
        self.eng.close()

    def assessed(self, id, answers=LOW, **fields):
        kw = dict(summary="Upgrade", change_type="normal", service="mail", ci="relay01")
        kw.update(fields)
        chg = self.eng.open("change", id=id, **kw)
        chg.fire("assess")
        for q, a in answers.items():
            chg.answer_risk(q, a)
        return chg

    def authorized(self, id, **fields):
        chg = self.assessed(id, **fields)
        chg.approve("carl")
        chg.fire("authorize", assignee="ivan")
        return chg


class NamesTest(unittest.TestCase):
    def test_the_bindings_tables_are_the_librarys_names(self):
        from itsm import _ffi
        for name, code in _ffi.APPROVAL_MODES.items():
            self.assertEqual(_ffi.text(_ffi.itsm_approval_mode_name(code)), name)
        for code, name in _ffi.APPROVAL_STATUS.items():
            self.assertEqual(_ffi.text(_ffi.itsm_approval_status_name(code)), name)
        for code, name in _ffi.VERDICTS.items():
            self.assertEqual(_ffi.text(_ffi.itsm_approval_verdict_name(code)), name)
        self.assertIsNone(_ffi.itsm_approval_mode_name(9))


class ApprovalTest(ChangeTestCase):
    def test_levels_quorum_delegation_and_separation_of_duties(self):
        chg = self.assessed("CHG1", HIGH)
        a = chg.approval
        self.assertEqual((a.status, a.rule, a.levels, a.current), ("pending", "high_risk_change", 2, 1))
        self.assertIsNone(a.lead_time)
        with self.assertRaisesRegex(itsm.InvalidArgument, "pia is the requester"):
            chg.approve("pia")
        with self.assertRaisesRegex(itsm.StateError, "waits for level 1 'change_manager'"):
            chg.approve("ann", level="cab")
        self.clock.advance(hours=1)
        chg.approve("carl", comment="fine")
        chg.delegate_approval("ann", "zed", level="cab", comment="away")
        chg.reject_approval("bob", comment="not now")
        with self.assertRaisesRegex(itsm.GuardFailed, "1 of 2 approvals|0 of 2 approvals"):
            chg.fire("authorize", assignee="ivan")
        chg.approve("zed")
        chg.approve("cat")
        levels = chg.approval_levels
        self.assertEqual([lv.name for lv in levels], ["change_manager", "cab"])
        self.assertEqual((levels[1].status, levels[1].approvals, levels[1].rejections, levels[1].needed,
                          levels[1].voters), ("approved", 2, 1, 2, 3))
        decisions = chg.approval_decisions
        self.assertEqual([d.verdict for d in decisions], ["approve", "delegate", "reject", "approve", "approve"])
        self.assertEqual(decisions[1].to, "zed")
        self.assertEqual(decisions[0].comment, "fine")
        self.assertEqual(decisions[0].at, self.clock.now)
        a = chg.approval
        self.assertTrue(a.approved)
        self.assertEqual(a.lead_time, dt.timedelta(hours=1))
        chg.fire("authorize", assignee="ivan")
        self.assertEqual(chg.state, "authorized")

    def test_a_standard_change_needs_no_approval(self):
        chg = self.assessed("STD1", change_type="standard")
        self.assertEqual(chg.approval.status, "none")
        self.assertTrue(chg.approval.approved)
        with self.assertRaises(itsm.NotFound):
            chg.approve("carl")

    def test_policy_rules_and_groups(self):
        with itsm.Policy() as pol:
            self.assertEqual(pol.approval_rule_count, 5)
            with self.assertRaisesRegex(itsm.InvalidArgument, "'all' needs named approvers"):
                pol.add_approval_rule("x", "change", [itsm.ApprovalLevel("l", rule="all")])
            with self.assertRaises(itsm.InvalidArgument):
                pol.add_approval_rule("x", "change", [itsm.ApprovalLevel("l", rule="most")])
            with self.assertRaises(itsm.InvalidArgument):
                pol.add_approval_rule("x", "change", separation=["boss"])
            with self.assertRaises(itsm.AlreadyExists):
                pol.add_approval_rule("change", "change")
            pol.set_approver_group("g", ["a", "b"])
            pol.set_approver_group("g", [])
            self.assertIn('"approvals"', pol.to_json())
            pol.clear_approval_rules()
            self.assertEqual(pol.approval_rule_count, 0)


class RiskTest(ChangeTestCase):
    def test_answers_level_and_questionnaire(self):
        chg = self.eng.open("change", id="CHG1", summary="x", change_type="normal")
        self.assertEqual(chg.risk, itsm.Risk(None, 0, 0, 5))
        chg.answer_risk("users", "organisation")
        self.assertFalse(chg.risk.assessed)
        for q, a in HIGH.items():
            chg.answer_risk(q, a)
        r = chg.risk
        self.assertEqual((r.level, r.score, r.answered), ("high", 12, 5))
        self.assertEqual([a.question for a in chg.risk_answers], list(HIGH))
        self.assertEqual(chg.risk_answers[0].by, "pia")
        with self.assertRaisesRegex(itsm.NotFound, r"answers: tested, untested, none"):
            chg.answer_risk("backout", "maybe")
        with itsm.Policy() as pol:
            self.assertEqual(pol.risk_question_count, 5)
            pol.clear_risk_questions()
            pol.set_risk_question("reboot", {"no": 0, "yes": 3}, text="Does it need a reboot?")
            pol.set_risk_levels([("small", 1), ("big", None)])
            pol.set_risk_kinds(["change", "service_request"])
            self.assertEqual(pol.risk_question_count, 1)
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_risk_levels([("none", None)])
            self.assertIn('"kinds":["service_request","change"]', pol.to_json())


class ScheduleTest(ChangeTestCase):
    def test_blackouts_windows_and_the_exception(self):
        chg = self.authorized("CHG1", service="payroll")
        self.assertIsNone(chg.planned)
        with self.assertRaisesRegex(itsm.GuardFailed, "needs a planned window"):
            chg.fire("schedule")
        sat = dt.datetime(2024, 12, 21, 10, tzinfo=UTC)
        chg.plan(sat, sat + dt.timedelta(hours=2))
        self.assertEqual(chg.planned, (sat, sat + dt.timedelta(hours=2)))
        with self.assertRaisesRegex(itsm.GuardFailed, "falls in blackout 'year_end'"):
            chg.fire("schedule")
        wed = dt.datetime(2025, 1, 8, 10, tzinfo=UTC)
        chg.plan(wed, wed + dt.timedelta(hours=1))
        with self.assertRaisesRegex(itsm.GuardFailed, "outside the maintenance window of service 'payroll'"):
            chg.fire("schedule")
        em = self.assessed("E1", HIGH, change_type="emergency", service="payroll")
        em.approve("eve")
        em.fire("authorize", assignee="ivan")
        em.plan(wed, wed + dt.timedelta(hours=1))
        with self.assertRaisesRegex(itsm.GuardFailed, "once level 'window_exception'"):
            em.fire("schedule")
        em.approve("cio", level="window_exception")
        em.fire("schedule")
        self.assertTrue(em.on_schedule)
        chg.plan(None, None)
        self.assertIsNone(chg.planned)

    def test_collisions_and_the_forward_schedule(self):
        sat = dt.datetime(2024, 3, 9, 10, tzinfo=UTC)
        a = self.authorized("CHG-A")
        b = self.authorized("CHG-B")
        a.plan(sat, sat + dt.timedelta(hours=2))
        b.plan(sat + dt.timedelta(hours=1), sat + dt.timedelta(hours=3))
        a.fire("schedule")
        b.fire("schedule")
        self.assertEqual((a.schedule_findings, b.schedule_findings), (0, 1))
        c = b.collisions()
        self.assertEqual(len(c), 1)
        self.assertIs(c[0].record, a)
        self.assertEqual((c[0].on, c[0].value), ("ci", "relay01"))
        self.assertEqual((c[0].start, c[0].end), (sat + dt.timedelta(hours=1), sat + dt.timedelta(hours=2)))
        fsc = self.eng.change_schedule(sat - DAY, sat + DAY, ci="relay01")
        self.assertEqual([e.record.id for e in fsc], ["CHG-A", "CHG-B"])
        self.assertEqual(fsc[0].collisions, 1)
        self.assertEqual(self.eng.change_schedule(service="web"), [])
        d = self.eng.open("change", id="CHG-D", summary="later", change_type="normal")
        d.plan(sat + DAY, sat + DAY + dt.timedelta(hours=1))
        self.assertEqual([e.record.id for e in self.eng.change_schedule(planned=True)],
                         ["CHG-A", "CHG-B", "CHG-D"])
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.change_schedule(sat, sat)

    def test_schedule_policy(self):
        with itsm.Policy() as pol:
            pol.set_schedule_rules(["scheduled", "implementing"], ["emergency", "expedited"])
            pol.set_blackout("freeze", (dt.datetime(2024, 12, 20, tzinfo=UTC), dt.datetime(2024, 12, 27, tzinfo=UTC)))
            pol.set_maintenance_window("mail", "business")
            self.assertIn('"exception_types":["emergency","expedited"]', pol.to_json())
            pol.remove_blackout("freeze")
            pol.set_maintenance_window("mail", None)
            with self.assertRaises(itsm.NotFound):
                pol.remove_blackout("freeze")
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_schedule_rules([])


class GateTest(ChangeTestCase):
    def test_going_live_through_a_shut_gate_is_refused(self):
        chg = self.eng.open("change", id="CHG1", summary="New system", change_type="standard")
        chg.plan(self.clock.now + DAY, self.clock.now + DAY + dt.timedelta(hours=1))
        chg.fire("schedule")
        pkt = chg.packet("to_operations")
        with self.assertRaisesRegex(itsm.InvalidArgument, "needs at least one required deliverable"):
            pkt.propose(self.eng)
        pkt.add_deliverable("runbook", owner="pm", approver="ops")
        with self.assertRaisesRegex(itsm.InvalidArgument, "needs its receiver, the service manager"):
            pkt.propose(self.eng)
        pkt.receiver = "svc.manager"
        pkt.propose(self.eng)
        with self.assertRaisesRegex(itsm.GuardFailed, r"'runbook' \(pending, approver 'ops'\)"):
            chg.fire("implement", assignee="ivan")


if __name__ == "__main__":
    unittest.main()
