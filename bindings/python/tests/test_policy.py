# SPDX-License-Identifier: Apache-2.0
"""Policy: default, documents, checks, the priority matrix, custom lifecycles."""
import json
import unittest

from _support import itsm


class PolicyTest(unittest.TestCase):
    def test_roles_map_meanings_to_names(self):
        with itsm.Policy.default() as p:
            self.assertEqual(p.role("problem", "known_error"), "known_error")
            self.assertIsNone(p.role("service_request", "auto_close"))
            p.set_role("problem", "fix_applied", "fixed")
            self.assertEqual(p.role("problem", "fix_applied"), "fixed")
            p.set_role("problem", "resolve", "mend")
            self.assertTrue(any("role 'resolve' names event 'mend'" in f for f in p.check()))
            p.set_role("problem", "resolve", None)
            self.assertEqual(p.check(), [])
            self.assertIn('"roles":{"fix_applied":"fixed"}', p.to_json())
            with self.assertRaises(itsm.InvalidArgument):
                p.set_role("change", "resolve", "x")
            with self.assertRaises(itsm.InvalidArgument):
                p.role("problem", "no_such_role")

    def test_custom_fields_work_like_built_in_ones(self):
        with itsm.Policy.default() as p:
            p.add_field("tier", "enum", values=["gold", "silver"], kinds=["incident"],
                        required=["incident"])
            p.add_field("seats", "int", range=(1, 500))
            p.add_field("due", "time")
            self.assertEqual(list(p.custom_fields), ["tier", "seats", "due"])
            self.assertEqual(p.custom_fields["tier"].type, "enum")
            self.assertEqual(p.field_values("tier"), ["gold", "silver"])
            with self.assertRaises(itsm.ItsmError):
                p.add_field("tier", "text")
            doc = p.to_json()
        self.assertEqual(json.loads(doc)["fields"][1], {"name": "seats", "type": "int", "min": 1, "max": 500})
        with itsm.Engine(policy=doc) as eng:
            with self.assertRaises(itsm.ItsmError) as cm:
                eng.open("incident", summary="no tier")
            self.assertIn("tier", str(cm.exception))
            r = eng.open("incident", summary="Mail down", tier="gold", seats=40)
            self.assertEqual(r.get("tier"), "gold")
            self.assertEqual(r["seats"], 40)
            self.assertIsNone(r.get("due"))
            r.update(due=1893553445, seats=41)
            self.assertEqual(r.fields()["seats"], 41)
            self.assertEqual(r.get("due").year, 2030)
            with self.assertRaises(itsm.ItsmError):
                r.update(seats=501)
            with self.assertRaises(itsm.ItsmError):
                r.update(tier="bronze")
            self.assertEqual(r["seats"], 41)
            with self.assertRaises(itsm.InvalidArgument):
                r.update(tiers="gold")

    def test_a_custom_int_given_0_is_set(self):
        with itsm.Policy.default() as p:
            p.add_field("credits", "int", range=(-5, 5))
            doc = p.to_json()
        with itsm.Engine(policy=doc) as eng:
            unset = eng.open("incident", summary="Printer")
            zero = eng.open("incident", summary="Mail down", credits=0)
            self.assertIsNone(unset.get("credits"))
            self.assertNotIn("credits", unset.fields())
            self.assertTrue(unset.condition("credits == null"))
            self.assertEqual(zero.get("credits"), 0)
            self.assertEqual(zero.fields()["credits"], 0)
            self.assertTrue(zero.condition("credits == 0"))

    def test_custom_fields_drive_routes_sla_rules_and_report_groups(self):
        with itsm.Policy.default() as p:
            p.add_field("tier", "enum", values=["gold", "silver"])
            p.set_sla("gold", response=[600] * 5, resolution=[3600] * 5)
            p.add_sla_rule("tier == 'gold'", "gold")
            p.add_route_when("tier == 'gold'", "gold_desk")
            with self.assertRaises(itsm.ItsmError) as cm:
                p.add_route_when("tier == 'bronze'", "desk")
            self.assertIn("one of the field's values", str(cm.exception))
            doc = p.to_json()
        self.assertEqual(json.loads(doc)["service_levels"]["rules"], [{"when": "tier == 'gold'", "sla": "gold"}])
        with itsm.Engine(policy=doc) as eng:
            g = eng.open("incident", summary="Mail down", tier="gold")
            s = eng.open("incident", summary="Printer", tier="silver")
            eng.open("incident", summary="Disk")
            self.assertEqual(g.get("assignment_group"), "gold_desk")
            self.assertEqual(g.sla, "gold")
            self.assertIsNone(s.get("assignment_group"))
            with eng.report(group_by="tier", filter="priority == null") as rep:
                self.assertEqual(rep.group_by, "tier")
                self.assertEqual(rep.filter, "priority == null")
                self.assertEqual([(x.value, x.count) for x in rep.groups],
                                 [(None, 1), ("gold", 1), ("silver", 1)])
                self.assertEqual(rep.data["groups"]["field"], "tier")
            with self.assertRaises(itsm.NotFound):
                eng.report(group_by="colour")

    def test_default_round_trip(self):
        with itsm.Policy.default() as p:
            self.assertEqual(p.check(), [])
            doc = p.to_json()
        self.assertEqual(json.loads(doc)["itsm_policy"], 1)
        with itsm.Policy.from_json(doc) as q:
            self.assertEqual(q.to_json(), doc)
        with itsm.Policy.from_json(doc.encode()) as q:
            self.assertEqual(q.to_json(), doc)

    def test_priority_matrix(self):
        p = itsm.Policy()
        self.assertEqual(p.priority_matrix, ((1, 2, 3), (2, 3, 4), (3, 4, 5)))
        self.assertEqual(p.priority(1, 3), 3)
        self.assertIsNone(p.priority(0, 9))
        p.priority_matrix = [[1, 1, 2], [1, 2, 3], [2, 3, 5]]
        self.assertEqual(p.priority(2, 1), 1)
        with self.assertRaises(itsm.InvalidArgument):
            p.set_priority(1, 1, 9)
        with itsm.Engine(policy=p) as eng:
            self.assertEqual(eng.open("incident", impact=2, urgency=1).priority, 1)
            self.assertEqual(eng.policy.priority_matrix, p.priority_matrix)

    def test_reassignment_rule(self):
        p = itsm.Policy()
        self.assertEqual(p.reassignment_rule, "group")
        self.assertEqual(json.loads(p.to_json())["counters"], {"reassignment": "group"})
        with self.assertRaises(itsm.InvalidArgument):
            p.reassignment_rule = "assignee"
        with self.assertRaises(TypeError):
            p.reassignment_rule = 1
        self.assertEqual(itsm._ffi.itsm_policy_set_reassignment_rule(p._p(), 7), itsm._ffi.EINVAL)
        self.assertEqual(p.reassignment_rule, "group")
        for rule, counts in (("group", [0, 0, 1]), ("group_or_assignee", [0, 1, 2]),
                             ("group_change", [0, 0, 1])):
            p.reassignment_rule = rule
            self.assertEqual(p.reassignment_rule, rule)
            doc = p.to_json()
            self.assertEqual(json.loads(doc)["counters"], {"reassignment": rule})
            with itsm.Policy.from_json(doc) as q:
                self.assertEqual((q.reassignment_rule, q.to_json()), (rule, doc))
                self.assertEqual(q.copy().reassignment_rule, rule)
            with itsm.Engine(policy=p) as eng:
                self.assertEqual(eng.policy.reassignment_rule, rule)
                inc = eng.open("incident", assignment_group="desk", assignee="bob")
                seen = [inc.reassignments]
                inc.update(assignee="carol")                             # same group
                seen.append(inc.reassignments)
                inc.update(assignment_group="network", assignee="dave")  # both: once
                seen.append(inc.reassignments)
                self.assertEqual(seen, counts)

    def test_custom_lifecycle(self):
        p = itsm.Policy()
        p.clear_lifecycle("knowledge")
        p.add_state("knowledge", "draft", initial=True)
        p.add_state("knowledge", "live")
        p.add_state("knowledge", "gone", closed=True)
        p.add_event("knowledge", "publish")
        p.add_event("knowledge", "retire")
        p.add_transition("knowledge", "draft", "publish", "live", guard="summary")
        p.add_transition("knowledge", "*", "retire", "gone", stamp="closed_at")
        self.assertEqual(p.check(), [])
        with itsm.Engine(policy=p.to_json()) as eng:
            kb = eng.open("knowledge")
            with self.assertRaises(itsm.GuardFailed):
                kb.fire("publish")
            kb.fire("publish", summary="How to reset a password")
            kb.fire("retire")
            self.assertEqual((kb.state, kb.is_open), ("gone", False))
            self.assertIsNotNone(kb.closed_at)

    def test_builder_errors_carry_the_policy_message(self):
        p = itsm.Policy()
        with self.assertRaises(itsm.AlreadyExists):
            p.add_state("incident", "new")
        with self.assertRaises(itsm.NotFound) as cm:
            p.add_transition("incident", "new", "teleport", "closed")
        self.assertIn("teleport", str(cm.exception))
        with self.assertRaises(itsm.InvalidArgument):
            p.add_state("incident", "Bad Name")

    def test_check_lists_findings(self):
        p = itsm.Policy.empty()
        p.add_state("incident", "a", initial=True)
        p.add_state("incident", "b")
        p.add_event("incident", "unused")
        findings = p.check()
        self.assertGreaterEqual(len(findings), 2)
        self.assertTrue(all(f.startswith("incident") for f in findings), findings)

    def test_from_json_without_check(self):
        doc = itsm.Policy().to_json().replace('{"name":"assigned"}',
                                              '{"name":"assigned"},{"name":"limbo"}')
        p = itsm.Policy.from_json(doc, check=False)
        self.assertEqual(len(p.check()), 1)
        with self.assertRaises(itsm.PolicyError):
            itsm.Engine(policy=p)

    def test_copy(self):
        import copy
        p = itsm.Policy()
        q = copy.copy(p)
        q.set_priority(1, 1, 5)
        self.assertEqual((p.priority(1, 1), q.priority(1, 1)), (1, 5))


if __name__ == "__main__":
    unittest.main()
