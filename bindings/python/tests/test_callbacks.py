# SPDX-License-Identifier: Apache-2.0
"""Host callbacks written in Python: store, clock, sink, allocator.

An exception raised in a callback never crosses the C frames: the
trampoline keeps it, returns the library's user-error code, and the binding
re-raises the original exception, traceback intact, after the C call."""
import datetime as dt
import traceback
import unittest

from _support import T0, UTC, Clock, itsm, record_state


class StoreDown(RuntimeError):
    pass


class FlakyStore(itsm.stores.MemoryStore):
    """A MemoryStore whose append raises while `down` is set."""

    def __init__(self):
        super().__init__()
        self.down = False
        self.raised = None
        self.appends = 0

    def append(self, events):
        self.appends += 1
        if self.down:
            self.raised = StoreDown("the database went away")
            raise self.raised
        super().append(events)


def frames(exc):
    return [f.name for f in traceback.extract_tb(exc.__traceback__)]


def raised(testcase, cls, fn):
    """The exception fn raises, traceback kept (assertRaises drops it)."""
    try:
        fn()
    except cls as e:
        return e
    testcase.fail(f"{cls.__name__} not raised")


class StoreCallbackTest(unittest.TestCase):
    def setUp(self):
        self.store = FlakyStore()
        self.eng = itsm.Engine(store=self.store, clock=Clock())
        self.rec = self.eng.open("incident", summary="VPN drops", impact=2, urgency=2)
        self.rec.fire("assign", assignment_group="network")
        self.rec.add_note("first look")

    def tearDown(self):
        self.eng.close()

    def test_raising_store_leaves_record_unchanged_and_surfaces_original(self):
        steps = [
            lambda: self.rec.update(summary="VPN drops every hour", impact=1),
            lambda: self.rec.fire("start", assignee="nina"),
            lambda: self.rec.add_note("still looking"),
            lambda: self.rec.link(self.eng.find("INC-000002")),
            lambda: self.eng.open("incident", summary="another"),
        ]
        self.eng.open("incident", summary="link target")
        stored = list(self.store.events)
        before = record_state(self.rec)
        self.store.down = True
        for step in steps:
            exc = raised(self, StoreDown, step)
            # The very exception the store raised, with its own frame.
            self.assertIs(exc, self.store.raised)
            self.assertIn("append", frames(exc))
            self.assertEqual(record_state(self.rec), before)
            self.assertEqual(self.store.events, stored)
        self.assertEqual(len(self.eng), 2)
        # Once the store is back, the same change goes through.
        self.store.down = False
        self.rec.update(summary="VPN drops every hour")
        self.assertEqual(self.rec.revision, before[1] + 1)

    def test_original_exception_keeps_the_callers_frames_too(self):
        self.store.down = True
        try:
            self.rec.update(summary="x")
        except StoreDown as e:
            names = frames(e)
        # caller -> binding -> (C) -> trampoline -> store.append
        self.assertEqual(names[0], "test_original_exception_keeps_the_callers_frames_too")
        self.assertIn("update", names)
        self.assertEqual(names[-1], "append")

    def test_base_exceptions_do_not_cross_c_frames_either(self):
        class Abort(BaseException):
            pass

        class Store:
            def append(self, events):
                raise Abort()
        with itsm.Engine(store=Store()) as eng:
            with self.assertRaises(Abort):
                eng.open("incident")
            self.assertEqual(len(eng), 0)

    def test_store_receives_events(self):
        got = []

        class Store:
            def append(self, events):
                got.append(events)
        with itsm.Engine(store=Store(), clock=Clock(), actor="zoe") as eng:
            a = eng.open("incident", summary="a")
            b = eng.open("problem")
            a.link(b)
        # the first append carries the version's document before the open
        self.assertEqual([len(batch) for batch in got], [2, 1, 2])
        self.assertEqual([e.type for e in got[0]], ["policy", "open"])
        link_a, link_b = got[2]
        self.assertEqual((link_a.type, link_a.record_id, link_a.revision), ("link", "INC-000001", 2))
        self.assertEqual((link_b.record_id, link_b.record_kind), ("PRB-000001", "problem"))
        self.assertEqual(link_a.time, T0)
        self.assertEqual(link_a.actor, "zoe")
        self.assertEqual(link_a.data["link"], {"kind": "related", "target": "PRB-000001",
                                               "target_kind": "problem"})

    def test_scan_raising_surfaces_from_load(self):
        class Store(itsm.stores.MemoryStore):
            def scan(self):
                yield from self.events[:2]   # the version's document and the first open
                raise StoreDown("scan broke")
        store = Store()
        with itsm.Engine(store=store) as a:
            a.open("incident")
            a.open("incident")
        with itsm.Engine(store=store) as b:
            exc = raised(self, StoreDown, b.load)
            self.assertIn("scan", frames(exc))
            self.assertEqual(len(b), 1)   # the event before the failure was replayed

    def test_load_without_scan(self):
        class AppendOnly:
            def append(self, events):
                pass
        with itsm.Engine(store=AppendOnly()) as eng:
            with self.assertRaises(itsm.InvalidArgument) as cm:
                eng.load()
            self.assertIn("no scan", str(cm.exception))

    def test_store_must_have_append(self):
        with self.assertRaises(TypeError):
            itsm.Engine(store=object())


class ClockCallbackTest(unittest.TestCase):
    def test_injected_clock_stamps_every_change(self):
        clock = Clock()
        with itsm.Engine(clock=clock) as eng:
            rec = eng.open("incident", assignment_group="desk", assignee="sam")
            self.assertEqual(rec.opened_at, T0)
            self.assertEqual(rec.opened_at.tzinfo, UTC)
            clock.advance(minutes=7)
            rec.fire("start")
            self.assertEqual(rec.responded_at, T0 + dt.timedelta(minutes=7))
            self.assertEqual(eng.now(), clock.now)

    def test_clock_may_give_aware_datetimes_of_any_zone_or_epoch_seconds(self):
        cet = dt.timezone(dt.timedelta(hours=1))
        for value, want in ((dt.datetime(2024, 3, 4, 10, 0, 30, 999999, tzinfo=cet),
                             T0 + dt.timedelta(seconds=30)),
                            (1709542800, T0),
                            (1709542800.75, T0)):     # a float: fractions dropped
            with itsm.Engine(clock=lambda: value) as eng:
                self.assertEqual(eng.open("incident").opened_at, want)

    def test_time_time_is_a_clock(self):
        import time
        with itsm.Engine(clock=time.time) as eng:
            opened = eng.open("incident").opened_at
            assert opened is not None
            now = dt.datetime.now(UTC)
            self.assertLessEqual(abs((now - opened).total_seconds()), 5)

    def test_naive_clock_time_is_refused_with_a_type_error(self):
        with itsm.Engine(clock=lambda: dt.datetime(2024, 3, 4, 9, 0)) as eng:
            with self.assertRaises(TypeError) as cm:
                eng.open("incident")
            self.assertIn("naive datetime", str(cm.exception))
            self.assertEqual(len(eng), 0)

    def test_raising_clock(self):
        state = {"fail": False}

        class ClockStopped(Exception):
            pass

        def clock():
            if state["fail"]:
                raise ClockStopped("no time today")
            return T0
        with itsm.Engine(clock=clock) as eng:
            rec = eng.open("incident")
            before = record_state(rec)
            state["fail"] = True
            with self.assertRaises(ClockStopped):
                rec.update(summary="x")
            with self.assertRaises(ClockStopped):
                eng.open("incident")
            with self.assertRaises(ClockStopped):
                eng.now()
            self.assertEqual(record_state(rec), before)
            self.assertEqual(len(eng), 1)
            state["fail"] = False
            rec.update(summary="x")

    def test_clock_out_of_range_or_wrong_type(self):
        with itsm.Engine(clock=lambda: dt.datetime(1960, 1, 1, tzinfo=UTC)) as eng:
            with self.assertRaises(itsm.InvalidArgument) as cm:
                eng.open("incident")
            self.assertIn("outside 1970..9999", str(cm.exception))
        with itsm.Engine(clock=lambda: "noon") as eng:
            with self.assertRaises(TypeError):
                eng.open("incident")


class SinkCallbackTest(unittest.TestCase):
    def test_sink_gets_event_objects_after_apply(self):
        seen = []
        with itsm.Engine(clock=Clock(), sink=seen.extend, actor="amy") as eng:
            rec = eng.open("incident", summary="s", assignment_group="g")
            rec.fire("assign")
            ev = seen[-1]
            self.assertIsInstance(ev, itsm.Event)
            self.assertEqual((ev.type, ev.record_id, ev.record_kind, ev.revision, ev.actor),
                             ("transition", rec.id, "incident", 2, "amy"))
            self.assertEqual((ev.name, ev.from_state, ev.to_state), ("assign", "new", "assigned"))
            self.assertEqual(ev.time, T0)
            self.assertEqual(ev.data["to"], "assigned")
            # The event's JSON replays into another engine.
            with itsm.Engine() as other:
                other.replay(e.json for e in seen)
                self.assertEqual(other.find(rec.id).state, "assigned")

    def test_raising_sink(self):
        class Pager(Exception):
            pass

        def sink(events):
            raise Pager("pager offline")
        with itsm.Engine(sink=sink) as eng:
            exc = raised(self, Pager, lambda: eng.open("incident", id="INC-1"))
            self.assertIn("sink", frames(exc))
            # The sink runs after the change is stored and applied: the
            # change stands, the exception tells the host the sink failed.
            self.assertEqual(eng.find("INC-1").revision, 1)

    def test_engine_call_from_inside_a_sink_is_refused(self):
        holder = {}

        def sink(events):
            holder["eng"].open("incident")
        with itsm.Engine(sink=sink) as eng:
            holder["eng"] = eng
            with self.assertRaises(itsm.StateError) as cm:
                eng.open("incident")
            self.assertIn("inside its own callback", str(cm.exception))
            self.assertEqual(len(eng), 1)

    def test_close_from_inside_a_callback_is_refused(self):
        holder = {}

        def sink(events):
            holder["eng"].close()
        eng = itsm.Engine(sink=sink)
        holder["eng"] = eng
        with self.assertRaises(itsm.StateError) as cm:
            eng.open("incident")
        self.assertIn("cannot be closed from inside", str(cm.exception))
        self.assertFalse(eng.closed)
        self.assertEqual(len(eng), 1)
        eng.close()


class AllocatorCallbackTest(unittest.TestCase):
    def test_allocation_failure_loop(self):
        """Fail allocation N for N = 1, 2, ... until the call succeeds: every
        result is success or MemoryError, the engine is unchanged after each
        failure, and nothing leaks."""
        n = 0
        while True:
            n += 1
            alloc = itsm.FailingAllocator()
            eng = itsm.Engine(allocator=alloc, clock=Clock())
            rec = eng.open("incident", summary="s", assignment_group="g")
            other = eng.open("problem")
            before = (record_state(rec), record_state(other), len(eng))
            alloc.fail_at = alloc.calls + n
            try:
                rec.fire("assign", description="a longer text to copy", caller="new-symbol")
                rec.add_note("note")
                rec.link(other)
                eng.open("incident", summary="third")
                done = not alloc.failed
            except MemoryError as e:
                self.assertIsInstance(e, itsm.OutOfMemory)
                done = False
            eng.close()
            self.assertEqual(alloc.live, set(), f"leak after failing allocation {n}")
            if done:
                break
            self.assertLess(n, 500)
        self.assertGreater(n, 3)

    def test_failure_leaves_state_unchanged(self):
        for n in range(1, 8):
            alloc = itsm.FailingAllocator()
            with itsm.Engine(allocator=alloc) as eng:
                rec = eng.open("incident", summary="s")
                before = record_state(rec)
                alloc.fail_at = alloc.calls + n
                try:
                    rec.update(description="text", caller="someone", category="c")
                except MemoryError:
                    self.assertEqual(record_state(rec), before)
            self.assertEqual(alloc.live, set())

    def test_engine_creation_out_of_memory(self):
        with self.assertRaises(itsm.OutOfMemory):
            itsm.Engine(allocator=itsm.FailingAllocator(fail_at=1))

    def test_raising_allocator(self):
        class Quota(Exception):
            pass

        class Alloc(itsm.Allocator):
            armed = False

            def malloc(self, size):
                if self.armed:
                    raise Quota("over quota")
                return super().malloc(size)
        alloc = Alloc()
        with itsm.Engine(allocator=alloc) as eng:
            rec = eng.open("incident")
            alloc.armed = True
            with self.assertRaises(Quota):
                rec.update(description="needs memory")
            alloc.armed = False
            self.assertIsNone(rec.description)


if __name__ == "__main__":
    unittest.main()
