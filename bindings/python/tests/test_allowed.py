# SPDX-License-Identifier: Apache-2.0
"""Record.allowed(): the events that can fire from a record's state, each
with what its guard still misses; GuardFailed names every missing term and
carries them as data."""
from __future__ import annotations

import unittest

from _support import Clock, itsm

# The default incident lifecycle (docs/lifecycles.md): what each state offers.
INCIDENT = {
    "new": {"assign": "assigned", "start": "in_progress", "cancel": "canceled",
            "parent_resolved": "resolved"},
    "assigned": {"start": "in_progress", "cancel": "canceled", "parent_resolved": "resolved"},
    "in_progress": {"hold": "on_hold", "resolve": "resolved", "cancel": "canceled",
                    "parent_resolved": "resolved"},
    "resolved": {"reopen": "in_progress", "confirm": "closed", "auto_close": "closed",
                 "cancel": "canceled"},
    "closed": {},
}


class AllowedTest(unittest.TestCase):
    def setUp(self) -> None:
        self.eng = itsm.Engine(clock=Clock(), actor="ann")

    def tearDown(self) -> None:
        self.eng.close()

    def offered(self, rec: itsm.Record) -> dict[str, str]:
        return {a.event: a.to_state for a in rec.allowed()}

    def test_each_state_offers_its_transitions_with_what_is_missing(self) -> None:
        inc = self.eng.open("incident", summary="Mail is down")
        self.assertEqual(self.offered(inc), INCIDENT["new"])
        start = next(a for a in inc.allowed() if a.event == "start")
        self.assertFalse(start.ready)
        self.assertEqual([n.field for n in start.missing], ["assignment_group", "assignee"])
        self.assertTrue(next(a for a in inc.allowed() if a.event == "cancel").ready)

        inc.fire("assign", assignment_group="desk")
        self.assertEqual(self.offered(inc), INCIDENT["assigned"])
        inc.fire("start", assignee="ann")
        self.assertEqual(self.offered(inc), INCIDENT["in_progress"])
        resolve = next(a for a in inc.allowed() if a.event == "resolve")
        self.assertEqual([n.term for n in resolve.missing], ["resolution_code", "resolution_notes"])
        inc.fire("resolve", resolution_code="fixed", resolution_notes="restarted")
        self.assertEqual(self.offered(inc), INCIDENT["resolved"])
        auto = next(a for a in inc.allowed() if a.event == "auto_close")
        self.assertEqual({n.term for n in auto.missing}, {"category"})   # resolving decided knowledge
        inc.fire("confirm", category="email", knowledge_decision="not_needed")
        self.assertEqual(self.offered(inc), INCIDENT["closed"])

    def test_a_failed_guard_names_every_missing_field_and_carries_them(self) -> None:
        inc = self.eng.open("incident")
        inc.fire("start", assignment_group="desk", assignee="ann")
        with self.assertRaises(itsm.GuardFailed) as cm:
            inc.fire("resolve")
        self.assertEqual(str(cm.exception), "transition 'resolve' from 'in_progress' needs fields "
                                            "'resolution_code', 'resolution_notes'")
        self.assertEqual([(n.kind, n.field) for n in cm.exception.missing],
                         [("field", "resolution_code"), ("field", "resolution_notes")])
        with self.assertRaises(itsm.GuardFailed) as cm:
            inc.fire("resolve", resolution_code="fixed")
        self.assertEqual([n.field for n in cm.exception.missing], ["resolution_notes"])

    def test_any_of_value_and_link_needs(self) -> None:
        prb = self.eng.open("problem")
        prb.fire("assess", assignee="ann", category="mail")
        prb.fire("analyse")
        identify = next(a for a in prb.allowed() if a.event == "identify")
        anyof = next(n for n in identify.missing if n.kind == "any_of")
        self.assertEqual(anyof.term, "workaround|no_workaround")
        self.assertEqual(anyof.fields, ("workaround", "no_workaround"))
        prb.fire("identify", cause="a leak", no_workaround=True)
        with self.assertRaises(itsm.GuardFailed) as cm:
            prb.fire("request_change")
        (link,) = cm.exception.missing
        self.assertEqual((link.kind, link.link_kind, link.field, link.fields), ("link", "change", None, ()))
        chg = self.eng.open("change")
        schedule = next(a for a in chg.allowed() if a.event == "schedule")
        value, window = schedule.missing
        self.assertEqual((value.kind, value.field, value.value), ("value", "change_type", "standard"))
        self.assertEqual((window.kind, window.field, window.value, window.term, window.fields),
                         ("term", "window", "allowed", "window:allowed", ()))


if __name__ == "__main__":
    unittest.main()
