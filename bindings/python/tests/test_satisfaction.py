# SPDX-License-Identifier: Apache-2.0
"""Customer satisfaction (satisfaction.h): survey answers on closed,
sampled records, the policy's scale and the report's rows, every call of
the binding."""
import datetime as dt
import json
import unittest

from _support import T0, Clock, itsm

DAY = dt.timedelta(days=1)


def surveyed_policy(permille=1000):
    pol = itsm.Policy()
    pol.set_closure(auto_close_after=dt.timedelta(days=3), survey_permille=permille)
    return pol


class SatisfactionTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.store = itsm.stores.MemoryStore()
        with surveyed_policy() as pol:
            self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="desk_ann", store=self.store)

    def tearDown(self):
        self.eng.close()

    def closed(self, service="mail", group="desk"):
        inc = self.eng.open("incident", summary="mail down", service=service, impact=3, urgency=3)
        inc.fire("start", assignment_group=group, assignee="ann")
        inc.fire("resolve", resolution_code="fixed", resolution_notes="restarted", category="email",
                 knowledge_decision="not_needed")
        inc.fire("confirm")
        return inc

    def test_an_answer_is_an_event_on_the_closed_record(self):
        inc = self.closed()
        self.assertIsNone(inc.survey_answer)
        self.clock.advance(days=1)
        inc.answer_survey(4, "quick and friendly")
        a = inc.survey_answer
        self.assertEqual((a.score, a.comment, a.by, a.at), (4, "quick and friendly", "desk_ann", T0 + DAY))
        doc = json.loads(self.store.events[-1])
        self.assertEqual(doc["type"], "survey_answered")
        self.assertEqual(doc["survey"], {"score": 4, "comment": "quick and friendly"})
        # the answer replays, byte for byte
        with surveyed_policy() as pol:
            again = itsm.Engine(policy=pol, clock=self.clock,
                                store=itsm.stores.MemoryStore(self.store.events), load=True)
        with again:
            self.assertEqual(again[inc.id].survey_answer, a)

    def test_every_refusal_raises_and_changes_nothing(self):
        inc = self.closed()
        open_inc = self.eng.open("incident", summary="open")
        prb = self.eng.open("problem", summary="p")
        n = len(self.store.events)
        with self.assertRaises(itsm.InvalidArgument):
            prb.answer_survey(3)
        with self.assertRaises(itsm.InvalidArgument):
            inc.answer_survey(6)
        with self.assertRaises(itsm.InvalidArgument):
            inc.answer_survey("5")      # type: ignore[arg-type]
        with self.assertRaises(itsm.StateError):
            open_inc.answer_survey(3)
        self.assertEqual(len(self.store.events), n)
        inc.answer_survey(5)
        with self.assertRaises(itsm.AlreadyExists):
            inc.answer_survey(1)
        self.assertEqual(inc.survey_answer.score, 5)
        self.assertIsNone(inc.survey_answer.comment)

    def test_outside_the_sample_is_a_state_error(self):
        with surveyed_policy(0) as pol, itsm.Engine(policy=pol, clock=self.clock) as eng:
            inc = eng.open("incident", summary="x", impact=3, urgency=3)
            inc.fire("start", assignment_group="desk", assignee="ann")
            inc.fire("resolve", resolution_code="fixed", resolution_notes="n", category="email",
                     knowledge_decision="not_needed")
            inc.fire("confirm")
            with self.assertRaises(itsm.StateError):
                inc.answer_survey(3)

    def test_the_scale_is_policy(self):
        with itsm.Policy() as pol:
            self.assertEqual(pol.survey_scale, (1, 5))
            pol.set_survey_scale(0, 10)
            self.assertEqual(pol.survey_scale, (0, 10))
            self.assertEqual(json.loads(pol.to_json())["satisfaction"], {"min": 0, "max": 10})
            for lo, hi in ((3, 3), (-1, 5), (0, 11), (5, 1)):
                with self.assertRaises(itsm.InvalidArgument):
                    pol.set_survey_scale(lo, hi)
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_survey_scale(True, 5)    # type: ignore[arg-type]
            self.assertEqual(pol.survey_scale, (0, 10))

    def test_the_report_gives_response_rate_and_scores(self):
        a = self.closed("mail", "desk")
        b = self.closed("mail", "network")
        self.closed("payroll", "desk")
        a.answer_survey(5)
        b.answer_survey(2, "slow")
        with self.eng.report() as rep:
            rows = rep.satisfaction
            self.assertEqual(rows[0].by, "all")
            self.assertEqual((rows[0].sent, rows[0].answered), (3, 2))
            self.assertAlmostEqual(rows[0].response_rate, 2 / 3)
            self.assertAlmostEqual(rows[0].mean_score, 3.5)
            self.assertEqual(rows[0].scale, (1, 5))
            self.assertEqual(rows[0].distribution, {1: 0, 2: 1, 3: 0, 4: 0, 5: 1})
            groups = {r.name: r for r in rows if r.by == "group"}
            self.assertEqual((groups["desk"].sent, groups["desk"].answered), (2, 1))
            services = {r.name: r for r in rows if r.by == "service"}
            self.assertEqual(services["payroll"].answered, 0)
            weeks = [r for r in rows if r.by == "week"]
            self.assertEqual(len(weeks), 1)
            self.assertEqual(weeks[0].week.weekday(), 0)
            self.assertEqual(rep.data["satisfaction"]["rows"][0]["sent"], 3)
            self.assertIn("satisfaction,all,response_rate", rep.to_csv())


if __name__ == "__main__":
    unittest.main()
