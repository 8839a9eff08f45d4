# SPDX-License-Identifier: Apache-2.0
"""Answering a handover while allocations fail: every allocation of
acknowledge and reject is failed in turn, by an allocator that returns
NULL and by one that raises. An exception means nothing changed and
nothing was stored; a return means everything was delivered (stored,
ownership moved, the caller's packet says who, when and why)."""
import unittest

from _support import Clock, itsm

REASON = "the fault list is missing; please add the switch logs"


class RaisingAllocator(itsm.FailingAllocator):
    """Fails allocation ``fail_at`` by raising instead of returning None."""

    def _fail(self):
        if super()._fail():
            raise MemoryError("allocation refused by the test")
        return False


def proposed(alloc, kind):
    clock = Clock()
    store = itsm.stores.MemoryStore()
    eng = itsm.Engine(allocator=alloc, clock=clock, store=store)
    inc = eng.open("incident", summary="mail down", service="mail", impact=2)
    inc.fire("assign", assignment_group="desk")
    inc.fire("start", assignee="ann")
    pkt = inc.packet(kind, receiver="bob", receiver_group="network")
    pkt.propose()
    clock.advance(minutes=5)
    return eng, store, inc, pkt, clock


class AnswerUnderAllocationFailureTest(unittest.TestCase):
    def answer_with_failing_allocation(self, make_alloc, kind, reject, n):
        alloc = make_alloc()
        eng, store, inc, pkt, clock = proposed(alloc, kind)
        before = (pkt.to_json(), pkt.state, inc.assignee, inc.revision, len(store))

        def answer():
            if reject:
                pkt.reject("bob", REASON)
            else:
                pkt.acknowledge("bob")

        alloc.fail_at = alloc.calls + n
        try:
            answer()
            raised = False
        except MemoryError:
            raised = True
        alloc.fail_at = 0
        failed = alloc.failed
        if raised:
            self.assertTrue(failed)
            self.assertEqual((pkt.to_json(), pkt.state, inc.assignee, inc.revision, len(store)),
                             before, f"allocation {n}: a failed answer changed something")
            self.assertIsNone(pkt.decided_by)
            self.assertIsNone(pkt.reason)
            self.assertEqual(eng.handover(1).state, "proposed")
            answer()                                    # the retry goes through
        want = "rejected" if reject else "acknowledged"
        self.assertEqual(pkt.state, want, f"allocation {n}")
        self.assertEqual(eng.handover(1).state, want)
        self.assertEqual(pkt.decided_by, "bob", f"allocation {n}: success without 'by'")
        self.assertEqual(pkt.decided_at, clock.now)
        self.assertEqual(pkt.reason, REASON if reject else None, f"allocation {n}")
        self.assertEqual(len(store), before[4] + 1)
        self.assertIn('"type":"handover_%s"' % ("reject" if reject else "acknowledge"),
                      store.events[-1])
        moved = kind == "shift" and not reject
        self.assertEqual(inc.assignee, "bob" if moved else "ann")
        pkt.close()
        eng.close()
        self.assertEqual(alloc.live, set(), f"allocation {n}: leak")
        return failed

    def every_allocation(self, make_alloc):
        for kind in ("shift", "to_problem"):
            for reject in (False, True):
                n = 1
                while self.answer_with_failing_allocation(make_alloc, kind, reject, n):
                    n += 1
                    self.assertLess(n, 500)
                self.assertGreater(n, 3, f"{kind} reject={reject}")

    def test_every_allocation_returning_none(self):
        self.every_allocation(itsm.FailingAllocator)

    def test_every_allocation_raising(self):
        self.every_allocation(RaisingAllocator)


if __name__ == "__main__":
    unittest.main()
