# SPDX-License-Identifier: Apache-2.0
"""Threads: ctypes lets go of the GIL during every C call, so the
binding's per-engine lock is what keeps two threads out of one engine at
once. Several threads hammer one engine (and some engines of their own);
every call must land whole. scripts/tsan.sh runs this module against a
ThreadSanitizer build of the library, which sees every access the library
makes."""
import threading
import unittest

from _support import Clock, itsm

THREADS = 4
ROUNDS = 40


class ThreadTest(unittest.TestCase):
    def test_one_engine_many_threads(self):
        store = itsm.stores.MemoryStore()
        errors = []
        with itsm.Engine(store=store, clock=Clock()) as eng:
            shared = eng.open("incident", summary="shared", impact=2, urgency=2)

            def work(i):
                try:
                    for k in range(ROUNDS):
                        rec = eng.open("incident", summary=f"t{i} r{k}", impact=3, urgency=3)
                        rec.fire("assign", assignment_group=f"g{i}")
                        rec.fire("start", assignee=f"u{i}")
                        shared.add_note(f"thread {i} round {k}")
                        eng.tick()
                        _ = [r.state for r in eng]
                except BaseException as e:   # noqa: B902 - reported below
                    errors.append(e)

            threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(len(eng), 1 + THREADS * ROUNDS)
            self.assertEqual(shared.revision, 1 + THREADS * ROUNDS)
            self.assertEqual(len(shared.timeline), THREADS * ROUNDS)
            for rec in eng:
                if rec is not shared and rec.id != shared.id:
                    self.assertEqual((rec.state, rec.revision), ("in_progress", 3))
            # the store holds exactly what the engine did
            with itsm.Engine(store=itsm.stores.MemoryStore(store.events)) as again:
                again.load()
                self.assertEqual(sorted((r.id, r.revision) for r in again),
                                 sorted((r.id, r.revision) for r in eng))

    def test_an_engine_per_thread(self):
        errors = []

        def work(i):
            try:
                with itsm.Engine(clock=Clock()) as eng:
                    for k in range(ROUNDS):
                        rec = eng.open("incident", summary=f"{i}/{k}", impact=1 + k % 3, urgency=2)
                        rec.fire("assign", assignment_group="desk")
                    if len(eng) != ROUNDS:
                        raise AssertionError(f"thread {i}: {len(eng)} records")
            except BaseException as e:   # noqa: B902
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
