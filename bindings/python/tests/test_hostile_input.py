# SPDX-License-Identifier: Apache-2.0
"""Inputs a careless or hostile caller passes: the wrong Python type is a
TypeError, text that is not UTF-8 or holds a NUL is InvalidArgument, and
nothing else (AttributeError, OverflowError, UnicodeEncodeError, a crash)
comes out of the binding (README "Errors")."""
import unittest

from _support import Clock, itsm, record_state

from itsm.stores import MemoryStore


class DocumentInputTest(unittest.TestCase):
    """The calls that take a document or condition with its length."""

    def setUp(self):
        self.eng = itsm.Engine(store=MemoryStore(), clock=Clock())
        self.inc = self.eng.open("incident", summary="s", impact=2, urgency=2)
        self.pol = itsm.Policy()

    def tearDown(self):
        self.eng.close()

    def calls(self):
        return {
            "Engine.replay": self.eng.replay,
            "Policy.from_json": itsm.Policy.from_json,
            "Packet.from_json": itsm.Packet.from_json,
            "Record.condition": self.inc.condition,
            "Policy.check_condition": self.pol.check_condition,
        }

    def test_a_non_text_document_is_a_type_error(self):
        # bytes(5) would be five NUL bytes, bytes(2**70) an OverflowError.
        for name, call in self.calls().items():
            for value in (None, 5, -1, 2**70, 1.5, object(), ["{}"] if name != "Engine.replay" else [5]):
                with self.subTest(call=name, value=value), self.assertRaises(TypeError):
                    call(value)

    def test_a_lone_surrogate_is_invalid_argument_as_for_every_text(self):
        for name, call in self.calls().items():
            with self.subTest(call=name), self.assertRaises(itsm.InvalidArgument) as cm:
                call("{\"a\": \"\ud800\"}")
            self.assertIn("UTF-8", str(cm.exception))
        with self.assertRaises(itsm.InvalidArgument):
            self.inc.update(summary="\udcff")

    def test_bytes_that_are_not_utf8_are_a_parse_error_with_a_position(self):
        with self.assertRaises(itsm.ParseError) as cm:
            itsm.Policy.from_json(b'{"x": "\xff"}')
        self.assertEqual(cm.exception.line, 1)
        with self.assertRaises(itsm.ParseError):
            self.eng.replay(bytearray(b"\xff\xfe"))

    def test_a_nul_inside_a_condition_is_not_cut_short(self):
        # The condition goes with its length: the text after a NUL is seen.
        with self.assertRaises(itsm.ParseError):
            self.inc.condition("priority == 3\0 and garbage")
        self.assertTrue(self.inc.condition("priority == 3"))


class NoTimeSentinelTest(unittest.TestCase):
    """1969-12-31T23:59:59Z is -1, the library's "no time": given as a
    time it must be refused as out of range, never read as "none"."""

    def test_one_second_before_1970_is_refused_not_taken_as_no_time(self):
        import datetime as dt
        eng = itsm.Engine(store=MemoryStore(), clock=Clock())
        inc = eng.open("incident", summary="s", service="mail", impact=2, urgency=2)
        later = Clock().now + dt.timedelta(hours=2)
        pkt = inc.packet("shift")
        pkt.next_update = later
        for t in (dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc), -1, -0.5):
            with self.subTest(t=t):
                with self.assertRaises(itsm.InvalidArgument) as cm:
                    pkt.next_update = t
                self.assertIn("outside 1970..9999", str(cm.exception))
                self.assertEqual(pkt.next_update, later, "the promised update stays")
                with self.assertRaises(itsm.InvalidArgument):
                    pkt.actions.add("restarted", "sd.maria", t)
                with self.assertRaises(itsm.InvalidArgument):
                    eng.report(now=t)     # not "the engine's clock"
                with self.assertRaises(itsm.InvalidArgument) as cm:
                    inc.add_note("eta", kind="customer", expected_restoration=later, next_update=t)
                self.assertIn("outside", str(cm.exception))
        self.assertEqual(list(pkt.actions), [])
        self.assertEqual(len(inc.timeline), 0)
        eng.close()


class ScanGarbageTest(unittest.TestCase):
    def test_a_scan_yielding_no_text_surfaces_as_a_type_error_and_loads_nothing(self):
        class Odd:
            def __init__(self, docs):
                self.docs = docs

            def append(self, events):
                pass

            def scan(self):
                return iter(self.docs)

        for docs in ([5], [None], [{"v": 1}]):
            with self.subTest(docs=docs):
                eng = itsm.Engine(store=Odd(docs), clock=Clock())
                with self.assertRaises(TypeError):
                    eng.load()
                self.assertEqual(len(eng), 0)
                eng.close()


class WrongObjectTest(unittest.TestCase):
    def setUp(self):
        self.eng = itsm.Engine(store=MemoryStore(), clock=Clock())
        self.inc = self.eng.open("incident", summary="s", impact=2, urgency=2)

    def tearDown(self):
        self.eng.close()

    def test_a_packet_given_something_else_for_its_engine_or_policy(self):
        pkt = self.inc.packet("shift")
        pkt.receiver = "x"
        for bad in ("engine", 3, self.inc):
            with self.subTest(bad=bad):
                with self.assertRaises(TypeError):
                    pkt.propose(bad)
                with self.assertRaises(TypeError):
                    pkt.acknowledge("x", engine=bad)
                with self.assertRaises(TypeError):
                    pkt.completeness(bad)
        self.assertEqual(pkt.state, "draft")
        self.assertEqual(len(self.eng.handovers), 0)

    def test_propose_major_of_no_record_is_a_type_error(self):
        before = record_state(self.inc)
        for bad in (None, 3, object()):
            with self.subTest(bad=bad), self.assertRaises(TypeError):
                self.eng.propose_major(bad, "big")
        self.assertEqual(record_state(self.inc), before)

    def test_risk_definitions_of_the_wrong_shape_are_type_errors(self):
        pol = itsm.Policy()
        before = pol.to_json()
        with self.assertRaises(TypeError):
            pol.set_risk_levels("low")
        with self.assertRaises(TypeError):
            pol.set_risk_levels([("low", 3, "extra")])
        with self.assertRaises(TypeError):
            pol.set_risk_question("impact", None)
        with self.assertRaises(TypeError):
            pol.set_risk_question("impact", [("low", 1)])
        self.assertEqual(pol.to_json(), before)
        # A generator of pairs is a sequence enough.
        pol.set_risk_levels(pair for pair in [("low", 3), ("high", None)])
        self.assertNotEqual(pol.to_json(), before)


class FailingStoreKeepsEverythingTest(unittest.TestCase):
    """A store that raises: both records of a link, the packet and the
    engine's handovers, and a due timer stay as they were."""

    class Down(MemoryStore):
        down = False

        def append(self, events):
            if self.down:
                raise OSError("disk full")
            super().append(events)

    def setUp(self):
        self.clock = Clock()
        self.store = self.Down()
        self.eng = itsm.Engine(store=self.store, clock=self.clock, actor="sd.maria")
        self.a = self.eng.open("incident", summary="a", service="mail", impact=1, urgency=1)
        self.b = self.eng.open("incident", summary="b", service="mail", impact=3, urgency=3)
        self.a.fire("assign", assignment_group="messaging")

    def tearDown(self):
        self.eng.close()

    def test_a_failed_link_changes_neither_record(self):
        a0, b0 = record_state(self.a), record_state(self.b)
        self.store.down = True
        with self.assertRaises(OSError):
            self.a.link(self.b, "child")
        self.assertEqual((record_state(self.a), record_state(self.b)), (a0, b0))

    def test_a_failed_propose_leaves_the_packet_a_draft_and_no_handover(self):
        pkt = self.a.packet("shift")
        pkt.receiver = "night.desk"
        a0 = record_state(self.a)
        self.store.down = True
        with self.assertRaises(OSError):
            pkt.propose()
        self.assertEqual(pkt.state, "draft")
        self.assertEqual(len(self.eng.handovers), 0)
        self.assertEqual(record_state(self.a), a0)
        self.store.down = False
        pkt.propose()
        self.assertEqual([h.seq for h in self.eng.handovers], [1])

    def test_a_failed_tick_keeps_the_timer_due_and_fires_it_later(self):
        self.clock.advance(days=3)
        self.assertIsNotNone(self.eng.next_deadline)
        a0 = record_state(self.a)
        self.store.down = True
        with self.assertRaises(OSError):
            self.eng.tick()
        self.assertEqual(record_state(self.a), a0)
        self.store.down = False
        self.assertGreater(self.eng.tick(), 0)
        self.assertGreater(self.a.revision, a0[1])


if __name__ == "__main__":
    unittest.main()
