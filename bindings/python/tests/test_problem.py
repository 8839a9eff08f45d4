# SPDX-License-Identifier: Apache-2.0
"""Problem decisions and acting on them (problem.h), knowledge (knowledge.h)."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm


def finished(eng, clock, summary="Payroll batch fails", **fields):
    kw = dict(summary=summary, service="payroll", category="batch", impact=3, urgency=3)
    kw.update(fields)
    inc = eng.open("incident", **kw)
    inc.fire("assign", assignment_group="apps")
    inc.fire("start", assignee="ann")
    clock.advance(minutes=5)
    inc.fire("resolve", resolution_code="workaround", resolution_notes="reran the batch job")
    return inc


class ProblemRulesTest(unittest.TestCase):
    def test_rules_round_trip_and_validation(self):
        with itsm.Policy() as pol:
            self.assertEqual(pol.problem_rules, itsm.ProblemRules())
            pol.problem_rules = itsm.ProblemRules(2, dt.timedelta(days=7), False)
            self.assertEqual(pol.problem_rules.recurrence_count, 2)
            self.assertEqual(pol.problem_rules.recurrence_window, dt.timedelta(days=7))
            self.assertIn('"problem_rules"', pol.to_json())
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_problem_rules(recurrence_count=1)


class DecisionTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.eng = itsm.Engine(clock=self.clock, actor="desk")

    def tearDown(self):
        self.eng.close()

    def test_kepner_tregoe_both_yes_goes_to_problem_with_reasons(self):
        inc = finished(self.eng, self.clock)
        d = inc.decide_problem(root_cause_needed=True)
        self.assertIsInstance(d, itsm.Decision)
        self.assertEqual(d.verdict, "to_problem")
        self.assertTrue(d.problem_proposed)
        self.assertEqual(d.reason_codes[:2], ["cause_unknown", "root_cause_needed"])
        self.assertTrue(all(r.text for r in d.reasons))
        self.assertTrue(d)

    def test_close_and_to_change(self):
        inc = finished(self.eng, self.clock, service="mail", category="mailbox")
        d = inc.decide_problem(root_cause_needed=False)
        self.assertEqual(d.verdict, "close")
        self.assertIn("no_follow_up", d.reason_codes)
        self.assertFalse(d)
        d = inc.decide_problem(cause_known=True, fix_needs_change=True)
        self.assertEqual(d.verdict, "to_change")
        self.assertIn("fix_needs_change", d.reason_codes)

    def test_recurrence(self):
        for _ in range(3):
            last = finished(self.eng, self.clock)
        self.assertEqual(self.eng.recurrence("payroll", "batch"), 3)
        self.assertEqual(self.eng.recurrence("payroll", "batch", at=T0 - dt.timedelta(days=1)), 0)
        d = last.decide_problem(root_cause_needed=False)
        self.assertEqual(d.verdict, "to_problem")
        self.assertEqual(d.recurrence, 3)
        self.assertIn("recurrence", d.reason_codes)

    def test_failing_decisions(self):
        open_inc = self.eng.open("incident", summary="x")
        with self.assertRaises(itsm.StateError):
            open_inc.decide_problem(root_cause_needed=True)       # not finished
        inc = finished(self.eng, self.clock)
        with self.assertRaises(itsm.InvalidArgument):
            inc.decide_problem()      # cause unknown: only a person can answer question 2
        chg = self.eng.open("change", summary="c")
        with self.assertRaises(itsm.InvalidArgument):
            chg.decide_problem(root_cause_needed=True)

    def test_problem_to_change_to_fix_applied(self):
        inc = finished(self.eng, self.clock)
        prb = inc.open_problem(id="PRB-payroll-1", assignee="pm.ana")
        self.assertEqual(prb.id, "PRB-payroll-1")
        self.assertEqual((prb.kind, prb.summary, prb.service), ("problem", inc.summary, "payroll"))
        self.assertIn(prb, list(inc.linked("related")))
        with self.assertRaises(itsm.AlreadyExists):
            inc.open_problem(id="PRB-payroll-1")
        with self.assertRaises(itsm.StateError):
            prb.open_change()                          # not a known error yet
        prb.fire("assess", assignee="pm.ana")
        prb.fire("analyse")
        prb.fire("identify", cause="stale sessions", workaround="rerun the job")
        self.assertEqual(prb.state, "known_error")
        chg = prb.open_change(summary="Fix the session cleanup")
        self.assertEqual(chg.kind, "change")
        self.assertEqual(chg.change_type, "normal")
        with self.assertRaises(itsm.InvalidArgument):
            prb.close_problem("sideways", "x")
        with self.assertRaises(itsm.InvalidArgument):
            inc.close_problem("fix_applied", "x")     # not a problem
        prb.fire("request_change")      # the change is linked already
        inc.fire("reopen")
        inc.fire("hold", hold_reason="awaiting_change")
        prb.close_problem("fix_applied", "session cleanup deployed")
        self.assertEqual(prb.state, "resolved")
        self.assertEqual(inc.state, "in_progress")     # resumed in the same step
        self.assertIn(prb.id, inc.timeline[-1].text)


class KnowledgeTest(unittest.TestCase):
    def test_search_and_diagnose(self):
        clock = Clock()
        with itsm.Engine(clock=clock, actor="desk") as eng:
            kb = eng.open("knowledge", summary="Payroll batch fails after midnight",
                          service="payroll", category="batch",
                          resolution_notes="rerun the batch job from the console")
            kb.fire("submit")
            kb.fire("publish")
            self.assertEqual(kb.state, "published")
            m = eng.search_knowledge("payroll batch", service="payroll")
            self.assertIsInstance(m, itsm.Matches)
            self.assertEqual(m.total, 1)
            self.assertEqual(m[0].record, kb)
            self.assertEqual(m[0].source, "article")
            self.assertGreater(m[0].score, 0)
            self.assertEqual(eng.search_knowledge("payroll", service="mail").total, 0)
            inc = finished(eng, clock, summary="batch fails again")
            found = inc.diagnose()
            self.assertIn(kb, [x.record for x in found])
            self.assertNotIn(inc, [x.record for x in found])
            self.assertEqual(len(eng.search_knowledge("payroll batch", limit=0)), 0)
            self.assertEqual(inc.decide_knowledge(), "matched")
            inc.fire("confirm")
            self.assertEqual(inc.state, "closed")
            with self.assertRaises(itsm.StateError):
                inc.escalate("too late")
            with self.assertRaises(TypeError):
                eng.search_knowledge(42)


if __name__ == "__main__":
    unittest.main()
