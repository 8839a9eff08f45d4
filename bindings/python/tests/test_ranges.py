# SPDX-License-Identifier: Apache-2.0
"""Integers, kind selections and answers on their way into C: a value its
C type cannot hold is refused (InvalidArgument naming it), never wrapped
modulo 2**32 by ctypes into one the library accepts; an answer or a flag
is a bool."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm

BIG = 2 ** 32            # wraps to 0 in an int / unsigned
DAY = (("09:00", "17:00"),) * 5 + (None, None)


def finished(eng):
    inc = eng.open("incident", summary="batch fails", service="payroll", category="batch",
                   impact=3, urgency=3)
    inc.fire("assign", assignment_group="apps")
    inc.fire("start", assignee="ann")
    inc.fire("resolve", resolution_code="workaround", resolution_notes="reran it")
    return inc


class IntegerRangeTest(unittest.TestCase):
    def test_policy_integers_beyond_their_c_type_are_refused_and_change_nothing(self):
        with itsm.Policy() as pol:
            pol.set_calendar("office", hours=DAY)
            before = pol.to_json()
            refused = {
                "set_priority impact": lambda: pol.set_priority(BIG + 1, 1, 4),
                "set_priority priority": lambda: pol.set_priority(1, 1, BIG + 2),
                "recurrence_count": lambda: pol.set_problem_rules(recurrence_count=2 ** 40),
                "recurrence_count + 5": lambda: pol.set_problem_rules(recurrence_count=BIG + 5),
                "recurrence_window": lambda: pol.set_problem_rules(recurrence_window=2 ** 64),
                "utc_offset": lambda: pol.set_calendar("x", hours=DAY, utc_offset=BIG + 3600),
                "span start": lambda: pol.set_calendar("y", hours=[(BIG + 9 * 3600, 17 * 3600)] * 5
                                                       + [None, None]),
                "span HH:MM": lambda: pol.set_calendar("z", hours=[("1193047:00", "17:00")] * 5
                                                       + [None, None]),
                "weekday key": lambda: pol.set_calendar("w", hours={BIG: ("09:00", "17:00")}),
                "warnings": lambda: pol.set_warnings([BIG + 500]),
                "negative warning": lambda: pol.set_warnings([-1]),
                "propose_at_priority": lambda: pol.set_major(propose_at_priority=BIG + 1),
                "broadcast_max_priority": lambda: pol.set_cadence([None] * 5, broadcast_max_priority=BIG + 2),
                "survey_permille": lambda: pol.set_closure(survey_permille=BIG + 100),
                "agreement priority": lambda: pol.set_agreement("a", stop="state == 'resolved'",
                                                                targets=[(BIG + 1, 3600, None)]),
                "agreement target": lambda: pol.set_agreement("a", stop="state == 'resolved'",
                                                              targets=[(0, BIG + 60, None)]),
                "agreement warning": lambda: pol.set_agreement("a", stop="state == 'resolved'",
                                                               targets=[(0, 3600, None)],
                                                               warnings=[BIG / 1000 + 0.5]),
                "risk score": lambda: pol.set_risk_question("q", {"yes": BIG + 5, "no": 0}),
                "risk bound": lambda: pol.set_risk_levels([("low", BIG + 1), ("high", None)]),
                "quorum": lambda: pol.add_approval_rule(
                    "r", "change", [itsm.ApprovalLevel("cab", approvers=("a", "b"), rule="quorum",
                                                       quorum=BIG + 1)]),
                "field range": lambda: pol.add_field("n", "int", range=(0, 2 ** 64)),
                "kind": lambda: pol.set_role(BIG + 1, "resolve", "resolved"),
                "handover kind": lambda: pol.set_handover_checklist(BIG + 1, ["a"]),
            }
            for what, call in refused.items():
                with self.subTest(what), self.assertRaises(itsm.InvalidArgument) as cm:
                    call()
                if what.startswith(("set_priority", "recurrence_count", "utc_offset", "warnings")):
                    self.assertRegex(str(cm.exception), r"\d{10,} is outside")
            self.assertEqual(pol.to_json(), before)
            self.assertEqual(pol.problem_rules.recurrence_count, 3)
            self.assertEqual(pol.priority_matrix[0][0], 1)

    def test_non_integers_are_type_errors(self):
        with itsm.Policy() as pol:
            for call in (lambda: pol.set_priority(1.5, 1, 2),          # type: ignore[arg-type]
                         lambda: pol.set_priority(True, 1, 2),
                         lambda: pol.set_warnings(["500"]),             # type: ignore[list-item]
                         lambda: pol.set_problem_rules(recurrence_count="3")):   # type: ignore[arg-type]
                with self.assertRaises(TypeError):
                    call()

    def test_a_priority_lookup_beyond_an_int_is_out_of_range(self):
        with itsm.Policy() as pol:
            self.assertIsNone(pol.priority(BIG + 1, 1))
            self.assertEqual(pol.priority(1, 1), 1)

    def test_engine_integers_beyond_their_c_type_are_refused(self):
        c = Clock()
        with itsm.Engine(clock=c, actor="desk") as eng:
            inc = eng.open("incident", summary="vpn down", category="network", impact=2, urgency=2)
            with inc.packet("shift", sender_group="desk") as pkt:
                pkt.propose()
            n = len(eng)
            with self.assertRaises(itsm.InvalidArgument):
                eng.open(BIG + 1, summary="wraps to an incident")
            self.assertEqual(len(eng), n)
            with self.assertRaises(itsm.InvalidArgument):
                eng.handover(BIG + 1)               # would find packet 1
            rev = inc.revision
            with self.assertRaises(itsm.InvalidArgument):
                inc.escalate("tried", level=BIG + 1)
            self.assertEqual(inc.revision, rev)
            # a negative limit would reach C as a capacity of 2**64 - 1 over a one-entry buffer
            for call in (lambda: inc.diagnose(limit=-1), lambda: eng.aging(limit=-1),
                         lambda: eng.search_knowledge("vpn", limit=-1), lambda: inc.collisions(limit=-1)):
                with self.assertRaises(itsm.InvalidArgument):
                    call()

    def test_a_negative_json_limit_is_refused_not_unbounded(self):
        with self.assertRaises(itsm.InvalidArgument):
            itsm.Policy.from_json(itsm.Policy().to_json(), limits=itsm.JsonLimits(max_depth=-1))


class KindSelectionTest(unittest.TestCase):
    def setUp(self):
        self.eng = itsm.Engine(clock=Clock(), actor="desk")
        self.eng.open("incident", summary="a", category="net")
        self.eng.open("change", summary="c", category="db")

    def tearDown(self):
        self.eng.close()

    def test_integer_kinds_out_of_range_are_refused_by_value(self):
        # 1 << 32 is 0 in the C unsigned: every kind; -1 and 2**70 were raw errors
        for k in (32, 99, 0, 6, -1, 2 ** 70):
            with self.subTest(k), self.assertRaises(itsm.InvalidArgument) as cm:
                self.eng.report(kinds=[k])
            self.assertIn(str(k), str(cm.exception))
        with self.eng.report(kinds=[1]) as rep:
            self.assertEqual(rep.total, 1)

    def test_an_empty_selection_is_refused(self):
        with self.assertRaisesRegex(itsm.InvalidArgument, "kinds is empty"):
            self.eng.report(kinds=[])
        with self.eng.report(kinds=None) as rep:
            self.assertEqual(rep.total, 2)
        with itsm.Policy() as pol:
            with self.assertRaisesRegex(itsm.InvalidArgument, "kinds is empty"):
                pol.add_field("tier", "text", kinds=[])
            self.assertEqual(pol.custom_fields, {})

    def test_policy_kind_masks_refuse_what_is_no_kind(self):
        with itsm.Policy() as pol:
            before = pol.to_json()
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_risk_kinds([BIG + 4])       # wraps to the change bit
            with self.assertRaises(itsm.InvalidArgument):
                pol.add_field("tier", "text", kinds=[32, "incident"])
            self.assertEqual(pol.to_json(), before)


class AnswerTest(unittest.TestCase):
    def test_decide_problem_takes_bool_answers_only(self):
        c = Clock()
        with itsm.Engine(clock=c, actor="desk") as eng:
            inc = finished(eng)
            for v in ("no", 2, 0):
                with self.subTest(v), self.assertRaises(TypeError):
                    inc.decide_problem(root_cause_needed=v)     # type: ignore[arg-type]
            with self.assertRaises(TypeError):
                inc.decide_problem(root_cause_needed=False, cause_known="yes")  # type: ignore[arg-type]
            no = inc.decide_problem(root_cause_needed=False)
            yes = inc.decide_problem(root_cause_needed=True)
            self.assertNotEqual(no.reason_codes, yes.reason_codes)

    def test_flags_take_bools_only(self):
        with itsm.Policy() as pol:
            before = pol.to_json()
            for call in (lambda: pol.set_problem_rules(major_review="no"),     # type: ignore[arg-type]
                         lambda: pol.set_closure(knowledge_candidate="no"),    # type: ignore[arg-type]
                         lambda: pol.set_ladder(["lead"], climb_on_breach=0)):  # type: ignore[arg-type]
                with self.assertRaises(TypeError):
                    call()
            self.assertEqual(pol.to_json(), before)
        c = Clock()
        with itsm.Engine(clock=c, actor="desk") as eng:
            inc = eng.open("incident", summary="all down", impact=1, urgency=1)
            if inc.major_state != "proposed":
                inc.propose_major("everything is down")
            with self.assertRaises(TypeError):
                inc.decide_major("no", "mim")                       # type: ignore[arg-type]
            self.assertEqual(inc.major_state, "proposed")


if __name__ == "__main__":
    unittest.main()
