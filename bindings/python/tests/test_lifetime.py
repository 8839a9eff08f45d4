# SPDX-License-Identifier: Apache-2.0
"""Object lifetimes: engines freed before their records, records outliving
their Python wrappers, callbacks after close(), deterministic freeing."""
import gc
import unittest
import weakref

from _support import Clock, itsm


class Counting(itsm.stores.MemoryStore):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def append(self, events):
        self.calls += 1
        super().append(events)

    def scan(self):
        self.calls += 1
        return super().scan()


class LifetimeTest(unittest.TestCase):
    def test_engine_closed_before_its_records(self):
        eng = itsm.Engine()
        inc = eng.open("incident", summary="s")
        prb = eng.open("problem")
        inc.link(prb)
        timeline, links = inc.timeline, inc.links
        eng.close()
        self.assertTrue(eng.closed)
        calls = [lambda: inc.id, lambda: inc.state, lambda: inc.summary, lambda: inc.revision,
                 lambda: inc.fields(), lambda: inc.update(summary="x"), lambda: inc.fire("assign"),
                 lambda: inc.add_note("n"), lambda: inc.link(prb), lambda: len(timeline),
                 lambda: list(links), lambda: inc["summary"], lambda: list(inc.linked()),
                 lambda: eng.find(prb.id if False else "PRB-000001"), lambda: len(eng),
                 lambda: list(eng), lambda: eng.open("incident"), lambda: eng.replay("{}"),
                 lambda: eng.load(), lambda: eng.now(), lambda: eng.policy,
                 lambda: setattr(eng, "actor", "x")]
        for call in calls:
            with self.assertRaises(itsm.StateError) as cm:
                call()
            self.assertEqual(str(cm.exception), "engine is closed")
        self.assertIn("closed", repr(inc))
        self.assertIn("closed", repr(eng))
        eng.close()   # twice is harmless

    def test_with_closes(self):
        with itsm.Engine() as eng:
            rec = eng.open("incident")
        self.assertTrue(eng.closed)
        with self.assertRaises(itsm.StateError):
            rec.state

    def test_records_keep_their_engine_alive(self):
        rec = itsm.Engine(clock=Clock()).open("incident", summary="orphan?")
        gc.collect()
        eng_ref = weakref.ref(rec.engine)
        self.assertEqual(rec.summary, "orphan?")
        rec.update(summary="still here")
        self.assertEqual(rec.engine.find(rec.id).summary, "still here")
        del rec
        gc.collect()
        self.assertIsNone(eng_ref())   # freed once the last record went

    def test_records_outlive_their_wrappers(self):
        with itsm.Engine() as eng:
            rec = eng.open("incident", summary="kept by C")
            rid = rec.id
            wref = weakref.ref(rec)
            del rec
            gc.collect()
            self.assertIsNone(wref())
            again = eng.find(rid)
            self.assertEqual(again.summary, "kept by C")
            self.assertIs(eng.find(rid), again)    # one wrapper while it lives
            self.assertEqual([r.id for r in eng], [rid])

    def test_gc_frees_an_unclosed_engine(self):
        alloc = itsm.FailingAllocator()
        store = Counting()
        eng = itsm.Engine(allocator=alloc, store=store, clock=Clock(), sink=lambda evs: None)
        eng.open("incident").add_note("n")
        store_ref = weakref.ref(store)
        del store
        self.assertIsNotNone(store_ref())  # the engine keeps its store alive
        del eng
        gc.collect()
        self.assertEqual(alloc.live, set())
        self.assertIsNone(store_ref())     # ...and lets it go when freed

    def test_close_releases_callbacks(self):
        store, clock, seen = Counting(), Clock(), []
        eng = itsm.Engine(store=store, clock=clock, sink=seen.extend)
        rec = eng.open("incident")
        counts = (store.calls, clock.calls, len(seen))
        clock_ref = weakref.ref(clock)
        eng.close()
        # No callback can run after close: every entry point is refused
        # before reaching C.
        for call in (lambda: rec.update(summary="x"), eng.load, eng.now,
                     lambda: eng.open("incident")):
            with self.assertRaises(itsm.StateError):
                call()
        self.assertEqual((store.calls, clock.calls, len(seen)), counts)
        # The C function pointers and the Python objects they call are gone
        # with the C engine (the store stays reachable as eng.store).
        self.assertEqual(eng._keep, [])
        del clock
        gc.collect()
        self.assertIsNone(clock_ref())
        self.assertIs(eng.store, store)

    def test_trampolines_refuse_after_close(self):
        """Even a stray call through a kept C pointer does not reach Python."""
        store, clock, seen = Counting(), Clock(), []
        eng = itsm.Engine(store=store, clock=clock, sink=seen.extend)
        append, scan, read, _group, table, clock_fn, sink_fn = eng._keep   # no group(): a NULL slot
        eng.close()
        self.assertEqual(append(None, None, 0), itsm._ffi.EUSER)
        self.assertEqual(scan(None, itsm._ffi.EMIT_FN(), None), itsm._ffi.EUSER)
        self.assertEqual(read(None, b"INC-000001", itsm._ffi.EMIT_FN(), None), itsm._ffi.EUSER)
        self.assertEqual(clock_fn(None), itsm._ffi.TIME_NONE)
        sink_fn(None, None, 0)
        self.assertEqual((store.calls, clock.calls, seen), (0, 0, []))

    def test_policy_is_copied(self):
        p = itsm.Policy()
        p.set_priority(3, 3, 1)
        eng = itsm.Engine(policy=p)
        p.close()
        with self.assertRaises(itsm.StateError):
            p.to_json()
        p.close()
        self.assertEqual(eng.open("incident", impact=3, urgency=3).priority, 1)
        copy = eng.policy
        eng.close()
        self.assertEqual(copy.priority(3, 3), 1)   # independent of the engine
        copy.close()

    def test_policy_from_a_custom_allocator_engine_survives_it(self):
        alloc = itsm.FailingAllocator()
        eng = itsm.Engine(allocator=alloc)
        policy = eng.policy
        eng.close()
        self.assertEqual(alloc.live, set())
        self.assertEqual(policy.check(), [])
        policy.close()


if __name__ == "__main__":
    unittest.main()
