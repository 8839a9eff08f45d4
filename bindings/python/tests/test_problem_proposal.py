# SPDX-License-Identifier: Apache-2.0
"""Problem proposals (problem.h, the recurrence push): the engine proposes
a problem once per cluster; the host accepts or dismisses it; every call
of the binding."""
import datetime as dt
import json
import unittest

from _support import T0, Clock, itsm


class ProblemProposalTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.events = []
        self.store = itsm.stores.MemoryStore()
        self.eng = itsm.Engine(clock=self.clock, actor="desk_ann", store=self.store,
                               sink=self.events.extend)

    def tearDown(self):
        self.eng.close()

    def bounce(self, **kw):
        return self.eng.open("incident", summary="Mail bounces", service="email", category="bounce", **kw)

    def test_the_third_incident_proposes_once(self):
        a = self.bounce()
        self.bounce()
        self.assertIsNone(a.problem_proposal)
        self.assertEqual(self.eng.problem_proposals, [])
        self.clock.advance(hours=1)
        c = self.bounce(ci="relay01")
        self.assertEqual([e.type for e in self.events[-2:]], ["open", "problem_proposed"])
        doc = json.loads(self.store.events[-1])
        self.assertEqual(doc["proposal"]["incidents"], ["INC-000001", "INC-000002", "INC-000003"])
        p = c.problem_proposal
        self.assertEqual((p.record, p.status, p.service, p.category, p.ci), ("INC-000003", "pending", "email",
                                                                             "bounce", None))
        self.assertEqual(p.at, T0 + dt.timedelta(hours=1))
        self.assertEqual(p.window, dt.timedelta(days=30))
        self.assertEqual(p.incidents, ("INC-000001", "INC-000002", "INC-000003"))
        self.assertEqual(a.problem_proposal, p)
        self.bounce()
        self.assertEqual(len(self.eng.problem_proposals), 1)

    def test_accept_and_dismiss(self):
        for _ in range(3):
            self.bounce()
        for _ in range(3):
            last = self.bounce()
        first = self.eng["INC-000001"]
        prb = first.accept_problem_proposal("PRB-RELAY", summary="Partner bounces")
        self.assertEqual(prb.id, "PRB-RELAY")
        self.assertEqual(prb.kind, "problem")
        p = first.problem_proposal
        self.assertEqual((p.status, p.problem, p.decided_at), ("accepted", "PRB-RELAY", T0))
        self.assertIn(prb, list(first.linked("related")))
        with self.assertRaises(itsm.StateError):
            first.accept_problem_proposal()
        last.dismiss_problem_proposal("the partner's certificate")
        self.assertEqual(last.problem_proposal.reason, "the partner's certificate")
        self.assertEqual(last.problem_proposal.status, "dismissed")
        with self.assertRaises(itsm.StateError):
            last.dismiss_problem_proposal("again")
        with self.assertRaises(itsm.NotFound):
            self.eng.open("incident", summary="x").accept_problem_proposal()
        with self.assertRaises(itsm.InvalidArgument):
            prb.dismiss_problem_proposal("not an incident")
        with self.assertRaises(itsm.InvalidArgument):
            self.eng["INC-000004"].dismiss_problem_proposal("")
        with self.eng.report() as rep:
            f = rep.problem_proposals
            self.assertEqual((f.proposed, f.pending, f.accepted, f.dismissed, f.incidents), (2, 0, 1, 1, 6))
            self.assertEqual(rep.data["problem_proposals"]["accepted"], 1)
        # replay rebuilds them
        again = itsm.Engine(clock=self.clock, store=itsm.stores.MemoryStore(self.store.events), load=True)
        with again:
            self.assertEqual(again.problem_proposals, self.eng.problem_proposals)

    def test_the_rules_switch_the_push(self):
        with itsm.Policy() as pol:
            r = pol.problem_rules
            self.assertTrue(r.recurrence_push)
            self.assertFalse(r.recurrence_ci)
            pol.set_problem_rules(recurrence_push=False, recurrence_ci=True)
            self.assertEqual((pol.problem_rules.recurrence_push, pol.problem_rules.recurrence_ci), (False, True))
            rules = json.loads(pol.to_json())["problem_rules"]
            self.assertEqual((rules["recurrence_push"], rules["recurrence_ci"]), (False, True))
            pol.problem_rules = itsm.ProblemRules(recurrence_count=2)
            self.assertTrue(pol.problem_rules.recurrence_push)
            pol.set_problem_rules(recurrence_push=False)
            with itsm.Engine(policy=pol, clock=self.clock) as eng:
                for _ in range(3):
                    eng.open("incident", summary="x", service="email", category="bounce")
                self.assertEqual(eng.problem_proposals, [])


if __name__ == "__main__":
    unittest.main()
