# SPDX-License-Identifier: Apache-2.0
"""The post-incident review (review.h): causes, actions with owners and
due dates, overdue actions fired by the tick, completion, the timeline
excerpt, the guard on the major's problem and the engine's counts; every
call of the binding."""
import datetime as dt
import json
import unittest

from _support import T0, Clock, itsm, record_events

DAY = dt.timedelta(days=1)


class ReviewTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.store = itsm.stores.MemoryStore()
        self.eng = itsm.Engine(clock=self.clock, actor="mim_max", store=self.store)

    def tearDown(self):
        self.eng.close()

    def major(self):
        inc = self.eng.open("incident", summary="payments down", impact=1, urgency=1, service="payments")
        inc.accept_major("mim_max")
        return inc

    def test_a_review_is_events_on_the_major_that_replay(self):
        inc = self.major()
        self.assertIsNone(inc.review)
        inc.open_review()
        inc.add_review_cause("A full disk stopped the database")
        inc.add_review_action("alarm", "Alert on disk space", T0 + 7 * DAY)
        inc.add_review_action("runbook", "Write the restart runbook", T0 + 14 * DAY, owner="ops_olga")
        inc.assign_review_action("alarm", "ops_bob")
        self.clock.advance(days=1)
        inc.complete_review_action("alarm", "alert at 80%")
        inc.complete_review()
        r = inc.review
        self.assertTrue(r.complete)
        self.assertEqual((r.opened_by, r.completed_at), ("mim_max", T0 + DAY))
        self.assertEqual([c.text for c in r.causes], ["A full disk stopped the database"])
        alarm, runbook = r.actions
        self.assertEqual((alarm.id, alarm.owner, alarm.done, alarm.note, alarm.done_at),
                         ("alarm", "ops_bob", True, "alert at 80%", T0 + DAY))
        self.assertEqual((runbook.owner, runbook.due, runbook.done), ("ops_olga", T0 + 14 * DAY, False))
        self.assertEqual((r.open_actions, r.unowned_actions, r.overdue_actions), (1, 0, 0))
        types = [json.loads(e)["type"] for e in record_events(self.store.events) if '"review' in e]
        self.assertEqual(types, ["review_opened", "review_cause_added", "review_action_added",
                                 "review_action_added", "review_action_assigned", "review_action_done",
                                 "review_completed"])
        again = itsm.Engine(clock=self.clock, store=itsm.stores.MemoryStore(self.store.events), load=True)
        with again:
            self.assertEqual(again[inc.id].review, r)

    def test_an_action_open_past_its_due_time_fires_once(self):
        inc = self.major()
        inc.open_review()
        inc.add_review_action("alarm", "Alert on disk space", T0 + 2 * DAY, owner="ops_bob")
        self.eng.tick(T0 + 2 * DAY)
        self.assertFalse(inc.review.actions[0].overdue)
        self.eng.tick(T0 + 3 * DAY)
        self.eng.tick(T0 + 4 * DAY)
        self.assertTrue(inc.review.actions[0].overdue)
        overdue = [json.loads(e) for e in self.store.events if '"review_action_overdue"' in e]
        self.assertEqual(len(overdue), 1)
        self.assertEqual(overdue[0]["action"], {"id": "alarm", "owner": "ops_bob",
                                                "due": (T0 + 2 * DAY).strftime("%Y-%m-%dT%H:%M:%SZ")})
        self.assertEqual(self.eng.review_actions(), itsm.ReviewActionCounts(open=1, overdue=1, unowned=0))

    def test_refusals_raise_and_change_nothing(self):
        inc = self.major()
        plain = self.eng.open("incident", summary="one printer")
        with self.assertRaises(itsm.InvalidArgument):
            plain.open_review()
        with self.assertRaises(itsm.NotFound):
            inc.add_review_cause("no review yet")
        inc.open_review()
        with self.assertRaises(itsm.AlreadyExists):
            inc.open_review()
        inc.add_review_action("alarm", "Alert on disk space", T0 + DAY)
        n = len(self.store.events)
        with self.assertRaises(itsm.InvalidArgument):
            inc.add_review_action("late", "Too late", T0)
        with self.assertRaises(itsm.NotFound):
            inc.assign_review_action("nope", "ops_bob")
        with self.assertRaises(itsm.StateError) as e:
            inc.complete_review_action("alarm")
        self.assertIn("has no owner", str(e.exception))
        with self.assertRaises(itsm.StateError) as e:
            inc.complete_review()
        self.assertIn("no contributing cause", str(e.exception))
        inc_cause = len(self.store.events)
        self.assertEqual(inc_cause, n)
        inc.add_review_cause("A full disk")
        with self.assertRaises(itsm.StateError) as e:
            inc.complete_review()
        self.assertIn("action 'alarm' (Alert on disk space) has no owner", str(e.exception))
        self.assertEqual(self.eng.review_actions(), itsm.ReviewActionCounts(open=1, overdue=0, unowned=1))

    def test_the_majors_problem_waits_for_owners(self):
        inc = self.major()
        inc.open_review()
        inc.add_review_action("alarm", "Alert on disk space", T0 + 7 * DAY)
        prb = inc.open_problem()
        with self.assertRaises(itsm.GuardFailed) as e:
            prb.fire("close_without_fix", resolution_code="risk_accepted", close_justification="not worth it")
        self.assertIn("action 'alarm' (Alert on disk space) of the review of", str(e.exception))
        inc.assign_review_action("alarm", "ops_bob")
        prb.fire("close_without_fix", resolution_code="risk_accepted", close_justification="not worth it")
        self.assertEqual(prb.state, "closed")

    def test_the_timeline_excerpt_keeps_the_key_moments(self):
        inc = self.major()
        inc.update(description="more detail")
        inc.add_note("looking at the database")
        inc.open_review()
        full = [e.type for e in inc.history()]
        excerpt = [e.type for e in inc.review_timeline()]
        self.assertIn("update", full)
        self.assertNotIn("update", excerpt)
        self.assertNotIn("note", excerpt)
        self.assertEqual(excerpt[0], "open")
        self.assertIn("major_decided", excerpt)
        self.assertEqual(excerpt[-1], "review_opened")


if __name__ == "__main__":
    unittest.main()
