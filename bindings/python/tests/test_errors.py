# SPDX-License-Identifier: Apache-2.0
"""Every exception class, raised by a real failing call."""
import datetime as dt
import unittest

from _support import Clock, itsm, record_state

import itsm.errors as E


class ErrorClassesTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.eng = itsm.Engine(clock=self.clock)
        self.inc = self.eng.open("incident", summary="Printer on fire")

    def tearDown(self):
        self.eng.close()

    def assertError(self, cm, cls, code, name, fragment):
        e = cm.exception
        self.assertIs(type(e), cls)
        self.assertIsInstance(e, itsm.ItsmError)
        self.assertEqual(e.code, code)
        self.assertEqual(e.name, name)
        self.assertIn(fragment, str(e))
        self.assertEqual(e.message, str(e))

    def test_not_found(self):
        with self.assertRaises(itsm.NotFound) as cm:
            self.eng.find("INC-999999")
        self.assertError(cm, itsm.NotFound, -3, "ITSM_ENOTFOUND", "no record 'INC-999999'")
        self.assertIsInstance(cm.exception, LookupError)
        self.assertIsNone(self.eng.get("INC-999999"))
        self.assertNotIn("INC-999999", self.eng)

    def test_clock_behind_the_last_event(self):
        self.clock.advance(hours=1)
        self.inc.add_note("an hour in")
        self.clock.advance(seconds=-1)
        with self.assertRaises(itsm.ClockError) as cm:
            self.inc.add_note("from a clock a second slow")
        self.assertError(cm, itsm.ClockError, -14, "ITSM_ECLOCK", "before the record's last event at")

    def test_already_exists(self):
        self.eng.open("incident", id="INC-hand-1")
        with self.assertRaises(itsm.AlreadyExists) as cm:
            self.eng.open("incident", id="INC-hand-1")
        self.assertError(cm, itsm.AlreadyExists, -4, "ITSM_EEXISTS", "already exists")

    def test_already_exists_link_twice(self):
        prb = self.eng.open("problem")
        self.inc.link(prb)
        with self.assertRaises(itsm.AlreadyExists):
            self.inc.link(prb)

    def test_invalid_argument(self):
        with self.assertRaises(itsm.InvalidArgument) as cm:
            self.inc.update(impact=7)
        self.assertError(cm, itsm.InvalidArgument, -2, "ITSM_EINVAL", "'impact' must be 1..3")
        self.assertIsInstance(cm.exception, ValueError)

    def test_invalid_argument_engine_owned_field(self):
        with self.assertRaises(itsm.InvalidArgument) as cm:
            self.inc.update(opened_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        self.assertIn("maintained by the engine", str(cm.exception))
        with self.assertRaises(AttributeError):
            self.inc.opened_at = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)  # type: ignore[misc]

    def test_invalid_argument_bad_id_and_binding_checks(self):
        with self.assertRaises(itsm.InvalidArgument) as cm:
            self.eng.open("incident", id="has space")
        self.assertIn("record id", str(cm.exception))
        # Checked by the binding before C sees them: a NUL would cut the C
        # string short, an unknown field name is a typo.
        with self.assertRaises(itsm.InvalidArgument) as cm:
            self.inc.update(summary="cut\0here")
        self.assertIn("NUL", str(cm.exception))
        with self.assertRaises(itsm.InvalidArgument) as cm:
            self.inc.update(sumary="typo")
        self.assertIn("did you mean 'summary'", str(cm.exception))
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.open("ticket")

    def test_invalid_customer_update(self):
        with self.assertRaises(itsm.InvalidArgument) as cm:
            self.inc.add_note("working on it", kind="customer")
        self.assertIn("expected restoration", str(cm.exception))

    def test_transition_refused(self):
        with self.assertRaises(itsm.TransitionRefused) as cm:
            self.inc.fire("confirm")
        self.assertError(cm, itsm.TransitionRefused, -5, "ITSM_ETRANSITION", "no transition 'confirm'")
        self.assertNotIsInstance(cm.exception, itsm.GuardFailed)

    def test_guard_failed(self):
        with self.assertRaises(itsm.GuardFailed) as cm:
            self.inc.fire("assign")
        self.assertError(cm, itsm.GuardFailed, -6, "ITSM_EGUARD", "needs field 'assignment_group'")
        self.assertIsInstance(cm.exception, itsm.TransitionRefused)

    def test_conflict(self):
        store = itsm.stores.MemoryStore()
        with itsm.Engine(store=store) as a, itsm.Engine(store=store) as b:
            a.open("incident", id="INC-shared", summary="one")
            b.load()
            a.find("INC-shared").update(summary="a was first")
            before = record_state(b.find("INC-shared"))
            with self.assertRaises(itsm.Conflict) as cm:
                b.find("INC-shared").update(summary="b is late")
            self.assertError(cm, itsm.Conflict, -7, "ITSM_ECONFLICT", "another engine changed the record first")
            # The store's own exception is the cause.
            self.assertIsInstance(cm.exception.__cause__, itsm.Conflict)
            self.assertIn("holds revision 2", str(cm.exception.__cause__))
            self.assertEqual(record_state(b.find("INC-shared")), before)
            b.load()   # catch up, then retry
            b.find("INC-shared").update(summary="b retried")
            self.assertEqual(b.find("INC-shared").revision, 3)

    def test_store_error(self):
        class Broken:
            def append(self, events):
                raise itsm.StoreError("disk full")
        with itsm.Engine(store=Broken()) as eng:
            with self.assertRaises(itsm.StoreError) as cm:
                eng.open("incident")
            self.assertError(cm, itsm.StoreError, -8, "ITSM_ESTORE", "store append refused open event")
            self.assertEqual(str(cm.exception.__cause__), "disk full")
            self.assertEqual(len(eng), 0)

    def test_parse_error_replay(self):
        with self.assertRaises(itsm.ParseError) as cm:
            self.eng.replay('{"v": 1,\n  "type": }')
        e = cm.exception
        self.assertError(cm, itsm.ParseError, -9, "ITSM_EPARSE", "expected a value")
        self.assertEqual((e.line, e.column), (2, 11))
        self.assertEqual(e.offset, 19)   # bytes from the start, from 0
        self.assertIn("expected a value", e.text)

    def test_parse_error_policy(self):
        with self.assertRaises(itsm.ParseError) as cm:
            itsm.Policy.from_json('{"itsm_policy": 1,\n "lifecycles": {},\n "colour": "blue"}')
        self.assertEqual((cm.exception.line, cm.exception.column), (3, 12))
        self.assertIn("unknown member 'colour'", str(cm.exception))

    def test_limit_exceeded(self):
        with self.assertRaises(itsm.LimitExceeded) as cm:
            self.inc.update(description="x" * 70000)
        self.assertError(cm, itsm.LimitExceeded, -10, "ITSM_ELIMIT", "the limit is 65536")

    def test_limit_exceeded_parser_position(self):
        with itsm.Engine(limits=itsm.JsonLimits(max_depth=2)) as eng:
            with self.assertRaises(itsm.LimitExceeded) as cm:
                eng.replay('{"a": [[[1]]]}')
            self.assertEqual((cm.exception.line, cm.exception.column), (1, 8))

    def test_policy_error(self):
        p = itsm.Policy()
        p.add_state("incident", "limbo")
        with self.assertRaises(itsm.PolicyError) as cm:
            itsm.Engine(policy=p)
        e = cm.exception
        self.assertEqual((e.code, e.name), (-11, "ITSM_EPOLICY"))
        self.assertTrue(any("limbo" in f for f in e.findings), e.findings)

    def test_policy_error_from_json_lists_every_finding(self):
        doc = itsm.Policy().to_json().replace(
            '{"name":"assigned"}', '{"name":"assigned"},{"name":"limbo"},{"name":"void"}')
        with self.assertRaises(itsm.PolicyError) as cm:
            itsm.Policy.from_json(doc)
        self.assertIn("and 1 more", str(cm.exception))
        self.assertEqual(len(cm.exception.findings), 2)

    def test_state_error_closed_record(self):
        self.inc.fire("cancel")
        with self.assertRaises(itsm.StateError) as cm:
            self.inc.update(summary="too late")
        self.assertError(cm, itsm.StateError, -12, "ITSM_ESTATE", "it is canceled")

    def test_state_error_closed_engine(self):
        self.eng.close()
        with self.assertRaises(itsm.StateError) as cm:
            self.inc.update(summary="gone")
        self.assertEqual(str(cm.exception), "engine is closed")
        self.assertEqual(cm.exception.code, -12)

    def test_user_error(self):
        class Refusing:
            def append(self, events):
                raise itsm.UserError("the change board said no")
        with itsm.Engine(store=Refusing()) as eng:
            with self.assertRaises(itsm.UserError) as cm:
                eng.open("incident")
            self.assertEqual((cm.exception.code, cm.exception.name), (-13, "ITSM_EUSER"))
            self.assertEqual(str(cm.exception), "the change board said no")

    def test_out_of_memory(self):
        alloc = itsm.FailingAllocator()
        with itsm.Engine(allocator=alloc) as eng:
            rec = eng.open("incident", summary="x")
            before = record_state(rec)
            alloc.fail_at = alloc.calls + 1
            with self.assertRaises(MemoryError) as cm:
                rec.update(description="needs a copy")
            e = cm.exception
            self.assertIsInstance(e, itsm.OutOfMemory)
            self.assertIsInstance(e, itsm.ItsmError)
            self.assertEqual((e.code, e.name, str(e)), (-1, "ITSM_ENOMEM", "out of memory"))
            self.assertEqual(record_state(rec), before)

    def test_every_code_has_its_class(self):
        for code in range(-1, -16, -1):
            cls = E.error_class(code)
            self.assertIsNot(cls, itsm.ItsmError, code)
            self.assertEqual(cls.code, code)
            self.assertEqual(cls("x").name, itsm.errname(code))
        self.assertEqual(itsm.errstr(-6), "guard failed")


if __name__ == "__main__":
    unittest.main()
