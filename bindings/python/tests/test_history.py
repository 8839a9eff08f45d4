# SPDX-License-Identifier: Apache-2.0
"""Record.history(): every stored event of a record, in order, with who,
when and what changed (old -> new), read back through the store's
read_record; the notes alone when the store cannot read a record."""
from __future__ import annotations

import datetime as dt
import json
import unittest

from _support import T0, Clock, itsm, record_events

EVERY_TYPE = {
    "open", "update", "transition", "note", "link", "sla_warning", "sla_breach", "escalation_step",
    "functional_escalation", "update_overdue", "auto_close_blocked", "sla_assigned",
    "major_proposed", "major_decided", "major_communication_issued", "major_groups_engaged",
    "major_deadline_missed", "outage_declared", "outage_ended", "handover_propose",
    "handover_acknowledge", "handover_reject",
}


class StoreWithoutRead:
    """A store with append and scan only (as in itsm 0.1)."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def append(self, events: list[itsm.Event]) -> None:
        self.events += [e.json for e in events]

    def scan(self) -> list[str]:
        return list(self.events)


class HistoryTest(unittest.TestCase):
    def stores(self) -> list[object]:
        return [itsm.stores.MemoryStore(), itsm.stores.SQLiteStore()]

    def test_six_changes_are_six_entries_with_who_when_and_old_values(self) -> None:
        for store in self.stores():
            with self.subTest(store=type(store).__name__):
                clock = Clock()
                eng = itsm.Engine(store=store, clock=clock, actor="alice")
                inc = eng.open("incident", summary="Mail is down", impact=2, urgency=2)
                clock.advance(minutes=1)
                inc.update(impact=1, category="email")
                clock.advance(minutes=1)
                eng.actor = "bob"
                inc.fire("assign", assignment_group="messaging")
                clock.advance(minutes=1)
                inc.fire("start", assignee="carol")
                clock.advance(minutes=1)
                inc.add_note("restarted the relay")
                clock.advance(minutes=1)
                inc.update(assignment_group="network")

                self.assertEqual(len(inc.timeline), 1)        # the engine keeps the note only
                h = inc.history()
                self.assertTrue(h.complete)
                self.assertEqual([e.type for e in h],
                                 ["open", "update", "transition", "transition", "note", "update"])
                self.assertEqual([e.author for e in h], ["alice", "alice", "bob", "bob", "bob", "bob"])
                self.assertEqual([e.at for e in h], [T0 + dt.timedelta(minutes=i) for i in range(6)])
                self.assertEqual([e.revision for e in h], [1, 2, 3, 4, 5, 6])
                changes = {c.field: (c.old, c.new) for c in h[1].changes}
                self.assertEqual(changes, {"impact": ("2", "1"), "category": (None, "email"),
                                           "priority": ("3", "2")})
                self.assertEqual(h[2].text, "assign: new -> assigned")
                self.assertEqual((h[2].event, h[2].from_state, h[2].to_state), ("assign", "new", "assigned"))
                self.assertEqual(h[4].kind, "work")
                self.assertEqual(h[4].text, "restarted the relay")
                self.assertIsNone(h[2].kind)
                self.assertIn(itsm.FieldChange("assignment_group", "messaging", "network"), h[5].changes)
                self.assertEqual(h[5].data["set"]["assignment_group"], "network")
                eng.close()

    def test_every_event_type_shows_in_the_history(self) -> None:
        clock = Clock()
        store = itsm.stores.MemoryStore()
        eng = itsm.Engine(store=store, clock=clock, actor="desk")
        a = eng.open("incident", summary="Card payments fail", impact=2, urgency=1, service="payments")
        b = eng.open("incident", summary="Slow receipts", impact=3, urgency=3, service="payments")
        a.link(b)
        a.update(category="cards")
        a.add_note("card payments fail in every store")
        a.fire("start", assignment_group="Desk", assignee="ann")
        a.escalate("restarted the gateway", level=2, group="payments-l2")
        a.escalate_hierarchical("customers complain")
        a.set_sla("standard")
        a.propose_major("all stores")
        a.accept_major("mim")
        a.engage_groups("network")
        clock.advance(minutes=16)
        eng.tick()
        a.communication_issued()
        a.declare_outage(clock.now + dt.timedelta(hours=4), clock.now + dt.timedelta(hours=2))
        a.end_outage()
        a.packet("shift").propose().acknowledge("night-mim")
        a.packet("to_problem").propose().reject("pm", "no facts")
        clock.advance(days=2)
        eng.tick()
        b.fire("start", assignment_group="Desk", assignee="ann")
        b.fire("resolve", resolution_code="fixed", resolution_notes="restarted")
        clock.advance(days=4)
        eng.tick()

        seen = set()
        total = 0
        for rec in (a, b):
            h = rec.history()
            self.assertEqual(len(h), rec.revision)
            self.assertEqual([e.json for e in h],
                             [doc for doc in store.events if json.loads(doc)["record"] == rec.id])
            self.assertTrue(all(e.text for e in h))
            seen |= {e.type for e in h}
            total += len(h)
        self.assertEqual(total, len(record_events(store.events)))
        self.assertEqual(EVERY_TYPE - seen, set())
        eng.close()

    def test_without_read_record_the_history_is_the_notes(self) -> None:
        eng = itsm.Engine(store=StoreWithoutRead())
        inc = eng.open("incident", summary="x")
        inc.add_note("first")
        inc.update(summary="y")
        h = inc.history()
        self.assertFalse(h.complete)
        self.assertEqual([(e.type, e.text, e.revision, e.json) for e in h], [("note", "first", 0, None)])
        self.assertEqual(list(h), list(inc.timeline))
        eng.close()
        self.assertFalse(itsm.Engine().open("incident").history().complete)   # no store at all

    def test_an_exception_in_read_record_is_raised_after_the_call(self) -> None:
        class Failing(itsm.stores.MemoryStore):
            def read_record(self, record_id: str):   # type: ignore[override]
                raise OSError(f"disk gone while reading {record_id}")
        eng = itsm.Engine(store=Failing())
        inc = eng.open("incident")
        with self.assertRaises(OSError) as cm:
            inc.history()
        self.assertIn(inc.id, str(cm.exception))
        inc.update(summary="still works")
        eng.close()

    def test_a_store_that_gives_another_records_events_is_a_store_error(self) -> None:
        class Wrong(itsm.stores.MemoryStore):
            def read_record(self, record_id: str):   # type: ignore[override]
                return iter(record_events(self.events)[:1])
        eng = itsm.Engine(store=Wrong())
        eng.open("incident")
        inc = eng.open("incident")
        with self.assertRaises(itsm.StoreError) as cm:
            inc.history()
        self.assertIn("gave an event of INC-000001", str(cm.exception))
        eng.close()


if __name__ == "__main__":
    unittest.main()
