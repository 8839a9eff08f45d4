# SPDX-License-Identifier: Apache-2.0
"""The engine and records: fields, timeline, links, iteration, replay."""
import datetime as dt
import unittest

from _support import T0, UTC, Clock, itsm


class EngineTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.events = []
        self.eng = itsm.Engine(clock=self.clock, sink=self.events.extend)

    def tearDown(self):
        self.eng.close()

    def test_every_field_is_a_typed_property(self):
        types = {"text": str, "symbol": str, "int": int, "bool": bool, "time": dt.datetime}
        rec = self.eng.open("incident")
        self.assertGreaterEqual(len(itsm.FIELDS), 32)
        for name, info in itsm.FIELDS.items():
            self.assertTrue(hasattr(itsm.Record, name), name)
            value = getattr(rec, name)
            if value is not None:
                self.assertIsInstance(value, types[info.type], name)
        values = {"summary": "Mail down", "description": "since 9", "caller": "bob",
                  "contact_verified": True, "service": "mail", "ci": "mx-1",
                  "category": "network", "subcategory": "dns", "impact": 2, "urgency": 1,
                  "assignment_group": "net", "assignee": "amy", "functional_level": 2,
                  "hierarchical_level": 3, "major": True, "hold_reason": "awaiting_customer",
                  "workaround": "use webmail", "no_workaround": False, "cause": "dns",
                  "resolution_code": "fixed", "resolution_notes": "ok",
                  "close_justification": "n/a", "knowledge_decision": "linked",
                  "change_type": "normal"}
        rec.update(**values)
        for name, value in values.items():
            self.assertEqual(getattr(rec, name), value, name)
        self.assertEqual(rec.priority, 2)     # derived from impact x urgency
        self.assertEqual(rec.reassignments, 0)
        self.assertEqual(rec.opened_at, T0)
        self.assertIsNone(rec.resolved_at)
        self.assertEqual(rec["caller"], "bob")
        self.assertEqual(rec.fields()["service"], "mail")

    def test_property_assignment_and_clearing(self):
        rec = self.eng.open("incident", summary="a")
        rec.summary = "b"
        rec.major = True
        self.assertEqual((rec.summary, rec.major, rec.revision), ("b", True, 3))
        rec.summary = None
        rec.major = False
        self.assertEqual((rec.summary, rec.major), (None, False))

    def test_open_with_id_kind_and_fields(self):
        rec = self.eng.open("service_request", id="REQ-7", summary="laptop", caller="ann")
        self.assertEqual((rec.id, rec.kind, rec.state, rec.revision, rec.is_open),
                         ("REQ-7", "service_request", "new", 1, True))
        self.assertEqual(self.eng.open().id, "INC-000001")
        self.assertEqual(self.eng.open(kind="change").id, "CHG-000001")

    def test_fire_stamps_and_counts(self):
        rec = self.eng.open("incident", assignment_group="a")
        rec.fire("assign")
        self.clock.advance(minutes=5)
        rec.fire("start", assignee="x")
        self.assertEqual(rec.responded_at, T0 + dt.timedelta(minutes=5))
        rec.update(assignment_group="b")
        self.assertEqual(rec.reassignments, 1)
        rec.fire("hold", hold_reason="awaiting_customer")
        rec.fire("resume")
        self.assertIsNone(rec.hold_reason)
        rec.fire("resolve", resolution_code="fixed", resolution_notes="done")
        rec.fire("reopen")
        self.assertEqual((rec.state, rec.reopens), ("in_progress", 1))

    def test_timeline(self):
        rec = self.eng.open("incident")
        self.eng.actor = "amy"
        rec.add_note("internal")
        eta = dt.datetime(2024, 3, 4, 12, 0, tzinfo=UTC)
        nxt = dt.datetime(2024, 3, 4, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        rec.add_note("restarted the server", kind="customer", expected_restoration=eta,
                     next_update=nxt)
        tl = rec.timeline
        self.assertEqual(len(tl), 2)
        work, customer = tl
        self.assertEqual(work, itsm.TimelineEntry("work", T0, "amy", "internal"))
        self.assertEqual(customer.kind, "customer")
        self.assertEqual(customer.expected_restoration, dt.datetime(2024, 3, 4, 12, 0, tzinfo=UTC))
        self.assertEqual(customer.next_update, dt.datetime(2024, 3, 4, 10, 0, tzinfo=UTC))
        self.assertEqual(tl[-1], customer)
        self.assertEqual(tl[0:1], [work])
        with self.assertRaises(IndexError):
            tl[2]
        with self.assertRaises(itsm.InvalidArgument):
            rec.add_note("x", kind="system")
        with self.assertRaises(itsm.InvalidArgument):
            rec.add_note("late", kind="customer", expected_restoration=eta,
                         next_update=T0 - dt.timedelta(hours=1))

    def test_links(self):
        major = self.eng.open("incident")
        child = self.eng.open("incident")
        prb = self.eng.open("problem")
        major.link(child, kind="child")
        major.link(prb.id)
        self.assertEqual(list(major.links), [itsm.Link("child", "incident", child.id),
                                             itsm.Link("related", "problem", prb.id)])
        self.assertEqual(list(child.links), [itsm.Link("parent", "incident", major.id)])
        self.assertEqual(list(major.linked("child")), [child])
        with self.assertRaises(itsm.InvalidArgument):
            major.link(major)
        with self.assertRaises(itsm.InvalidArgument):
            major.link(prb, kind="sibling")
        with itsm.Engine() as other:
            with self.assertRaises(itsm.InvalidArgument):
                major.link(other.open("incident"))

    def test_linked_refuses_an_unknown_link_kind_as_link_does(self):
        major = self.eng.open("incident")
        major.link(self.eng.open("incident"), kind="child")
        # A misspelt kind matched nothing and gave an empty list; it is
        # refused at the call, with link()'s message, before any iteration.
        for bad in ("childs", "Child", ""):
            with self.assertRaisesRegex(itsm.InvalidArgument,
                                        f"link kind must be one of related, parent, child, not '{bad}'"):
                major.linked(bad)
        self.assertEqual(list(major.linked("parent")), [])    # known, none linked: empty

    def test_records_refuses_an_unknown_kind_as_report_kinds_does(self):
        self.eng.open("incident")
        for bad in ("incidents", "Incident", "service-request"):
            with self.assertRaisesRegex(itsm.InvalidArgument, f"unknown record kind '{bad}' \\(one of: incident"):
                self.eng.records(kind=bad)
            with self.assertRaisesRegex(itsm.InvalidArgument, f"unknown record kind '{bad}'"):
                self.eng.report(kinds=[bad])
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.records(kind=99)       # type: ignore[arg-type]  # no kind has that value
        self.assertEqual(list(self.eng.records(kind="change")), [])    # known, none open: empty

    def test_iteration_and_queries(self):
        a = self.eng.open("incident")
        b = self.eng.open("problem")
        c = self.eng.open("incident")
        c.fire("cancel")
        self.assertEqual(list(self.eng), [a, b, c])
        self.assertEqual(len(self.eng), 3)
        self.assertIn(b.id, self.eng)
        self.assertIs(self.eng[b.id], b)
        self.assertEqual(list(self.eng.records("incident")), [a, c])
        self.assertEqual(list(self.eng.records(is_open=False)), [c])
        self.assertEqual(list(self.eng.records(state="new")), [a, b])
        self.assertEqual(list(self.eng.records(kind="problem")), [b])
        # Records opened while iterating are seen.
        seen = []
        for r in self.eng:
            seen.append(r.id)
            if len(seen) == 1:
                self.eng.open("knowledge")
        self.assertEqual(len(seen), 4)

    def test_actor_and_events(self):
        self.assertIsNone(self.eng.actor)
        self.eng.actor = "bob"
        rec = self.eng.open("incident")
        self.eng.set_actor(None)
        rec.add_note("anonymous")
        self.assertEqual([e.actor for e in self.events], ["bob", None])
        self.assertEqual([e.revision for e in self.events], [1, 2])
        self.assertEqual(rec.timeline[0].author, None)
        with self.assertRaises(itsm.LimitExceeded):
            self.eng.actor = "x" * 300
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.actor = ""
        self.assertIsNone(self.eng.actor)

    def test_replay_is_idempotent_and_rebuilds(self):
        rec = self.eng.open("incident", summary="s")
        rec.fire("cancel")
        docs = [e.json for e in self.events]
        with itsm.Engine() as other:
            other.replay(docs)
            other.replay(docs[0])
            other.replay(d.encode() for d in docs)
            copy = other.find(rec.id)
            self.assertEqual((copy.state, copy.revision, copy.fields()),
                             (rec.state, rec.revision, rec.fields()))
            with self.assertRaises(itsm.NotFound):
                other.replay(docs[1].replace(rec.id, "INC-404"))

    def test_replay_gap_is_a_conflict(self):
        rec = self.eng.open("incident")
        rec.add_note("one")
        rec.add_note("two")
        with itsm.Engine() as other:
            other.replay(self.events[0].json)
            with self.assertRaises(itsm.Conflict):
                other.replay(self.events[2].json)

    def test_time_arguments(self):
        rec = self.eng.open("incident")
        with self.assertRaises(TypeError):
            rec.add_note("x", kind="customer", expected_restoration="tomorrow",
                         next_update=T0)
        with self.assertRaises(TypeError):
            rec.update(impact="high")
        with self.assertRaises(TypeError):
            rec.update(summary=42)

    def test_repr(self):
        rec = self.eng.open("incident")
        self.assertEqual(repr(rec), "<itsm.Record INC-000001 incident new rev=1>")
        self.assertEqual(repr(self.eng), "<itsm.Engine records=1>")

    def test_records_are_not_constructed_directly(self):
        with self.assertRaises(TypeError):
            itsm.Record()

    def test_engine_now_uses_the_clock(self):
        self.assertEqual(self.eng.now(), T0)
        with itsm.Engine() as eng:   # the system clock
            now = eng.now()
            self.assertEqual(now.tzinfo, UTC)
            self.assertLess(abs((now - dt.datetime.now(UTC)).total_seconds()), 5)


if __name__ == "__main__":
    unittest.main()
