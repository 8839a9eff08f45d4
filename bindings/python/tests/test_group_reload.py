# SPDX-License-Identifier: Apache-2.0
"""What Python holds across a reload: a rollback or a failed commit brings
the engine back to its last commit from the store and frees its C objects.
Records follow by id (README); the engine's own handover packets must
follow by number too, never read the freed copies."""
import datetime as dt
import unittest

from _support import Clock, itsm

from itsm.stores import GROUP_ABORT, GROUP_COMMIT, MemoryStore


class CommitFails(MemoryStore):
    """A store whose group commit fails when told to, keeping none of the
    group (sys/store.h)."""
    fail_commit = False

    def group(self, op):
        if op == GROUP_COMMIT and self.fail_commit:
            super().group(GROUP_ABORT)
            raise itsm.StoreError("disk full at commit")
        super().group(op)


T1 = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)


class GroupReloadTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.store = CommitFails()
        self.eng = itsm.Engine(store=self.store, clock=self.clock, actor="sd.maria")
        self.inc = self.eng.open("incident", summary="Mail is down", caller="bob",
                                 service="mail", impact=2, urgency=2)
        self.inc.fire("assign", assignment_group="messaging")
        first = self.inc.packet("shift")
        first.receiver = "night.desk"
        first.propose()

    def tearDown(self):
        self.eng.close()

    def propose_in_group(self):
        self.eng.begin()
        self.clock.advance(minutes=5)
        pkt = self.inc.packet("shift")
        pkt.receiver = "late.desk"
        pkt.propose()
        held = list(self.eng.handovers)
        self.assertEqual([h.seq for h in held], [1, 2])
        return held

    def check_after_reload(self, held):
        kept, dropped = held
        # The packet from before the group is the engine's packet 1 again.
        self.assertEqual(kept.seq, 1)
        self.assertEqual(kept.record_id, "INC-000001")
        self.assertEqual(kept.receiver, "night.desk")
        self.assertEqual(kept.state, "proposed")
        # The one proposed in the dropped group is gone: StateError, never
        # the freed packet's bytes.
        for read in (lambda: dropped.record_id, lambda: dropped.seq, dropped.to_json,
                     lambda: dropped.receiver):
            with self.assertRaises(itsm.StateError) as cm:
                read()
            self.assertIn("handover 2 is gone", str(cm.exception))
        self.assertEqual([h.seq for h in self.eng.handovers], [1])
        # The handover can still be answered through the wrapper kept.
        kept.acknowledge("night.desk")
        self.assertEqual(self.eng.handover(1).state, "acknowledged")

    def test_a_rollback_leaves_held_engine_packets_usable_or_gone(self):
        held = self.propose_in_group()
        self.eng.rollback()
        self.check_after_reload(held)

    def test_a_failed_commit_leaves_held_engine_packets_usable_or_gone(self):
        held = self.propose_in_group()
        self.store.fail_commit = True
        with self.assertRaises(itsm.StoreError):
            self.eng.commit()
        self.store.fail_commit = False
        self.check_after_reload(held)

    def test_a_packet_proposed_again_after_a_rollback_is_found_by_its_number(self):
        held = self.propose_in_group()
        self.eng.rollback()
        again = self.inc.packet("shift")
        again.receiver = "third.desk"
        again.propose()
        # Number 2 is given again, and the wrapper of number 2 reads it.
        self.assertEqual(held[1].seq, 2)
        self.assertEqual(held[1].receiver, "third.desk")

    def test_a_record_opened_in_a_dropped_group_refuses_changes(self):
        self.eng.begin()
        gone = self.eng.open("incident", summary="opened in the group")
        self.eng.rollback()
        self.assertNotIn("INC-000002", self.eng)
        before = self.inc.revision
        # StateError naming the record, as in the PHP binding (it was the C
        # library's bare InvalidArgument for the NULL record).
        for change in (lambda: gone.update(summary="x"), lambda: gone.fire("assign"),
                       lambda: gone.add_note("n"), lambda: self.inc.link(gone), lambda: gone.link(self.inc),
                       lambda: gone.set_sla(None), lambda: gone.escalate("restart"), lambda: gone.packet("shift"),
                       lambda: gone.decide_knowledge(), lambda: gone.open_problem()):
            with self.assertRaisesRegex(itsm.StateError,
                                        "record INC-000002 is gone: it was opened in a group that was not kept"):
                change()
        self.assertEqual(list(self.inc.links), [])
        self.assertEqual(self.inc.revision, before)

    def test_a_record_opened_in_a_dropped_group_refuses_every_read(self):
        self.eng.begin()
        gone = self.eng.open("incident", summary="opened in the group", impact=1, urgency=1)
        self.store.fail_commit = True
        with self.assertRaises(itsm.StoreError):
            self.eng.commit()
        for read in (lambda: gone.timer(), lambda: gone.timer("response", T1), lambda: gone.timers):
            with self.assertRaisesRegex(itsm.StateError, "record INC-000002 is gone"):
                read()
        # So does every read that needs the record, not only the timers.
        for read in (lambda: gone.agreement("gold"), lambda: gone.history(), lambda: gone.diagnose(),
                     lambda: gone.condition("open"), lambda: gone.approval, lambda: gone.approval_levels,
                     lambda: gone.risk, lambda: gone.planned, lambda: gone.collisions(),
                     lambda: gone.major_deadline("communication"), lambda: gone.oncall,
                     lambda: gone.problem_proposal, lambda: gone.review, lambda: gone.review_timeline(),
                     lambda: gone.survey_answer):
            with self.assertRaisesRegex(itsm.StateError, "record INC-000002 is gone"):
                read()
        # And so do the reads the C library answers for a NULL record with an
        # empty value (they read as empty, or as no approvals, no actions on
        # offer, before): StateError, as the PHP binding throws for them.
        for read in (lambda: gone.id, lambda: gone.kind, lambda: gone.state, lambda: gone.is_open,
                     lambda: gone.revision, lambda: gone.chain_head, lambda: gone.summary,
                     lambda: gone.get("summary"), lambda: gone["priority"], gone.fields, gone.allowed,
                     lambda: gone.approval_decisions, lambda: gone.risk_answers, lambda: len(gone.timeline),
                     lambda: list(gone.links), lambda: gone.agreement_history, lambda: gone.tasks,
                     lambda: gone.alert_count, lambda: gone.policy):
            with self.assertRaisesRegex(itsm.StateError,
                                        "record INC-000002 is gone: it was opened in a group that was not kept"):
                read()
        self.assertIn("INC-000002 (gone", repr(gone))
        self.assertEqual(self.inc.timer().status, "running")


class GroupReloadTimeTest(unittest.TestCase):
    def test_the_clock_may_not_go_back_after_a_rollback_either(self):
        clock = Clock()
        with itsm.Engine(store=MemoryStore(), clock=clock) as eng:
            inc = eng.open("incident", summary="x")
            eng.begin()
            clock.advance(hours=1)
            inc.update(summary="y")
            eng.rollback()
            # Back at the last commit: a time between the two is fine again.
            clock.now -= dt.timedelta(minutes=30)
            inc.update(summary="z")
            self.assertEqual(inc.summary, "z")
            self.assertEqual(inc.revision, 2)


if __name__ == "__main__":
    unittest.main()


class ReloadLeakTest(unittest.TestCase):
    """Every block the library takes through the engine's allocator comes
    back: across reloads, refused calls, and objects Python drops without
    close() (README "Lifetimes")."""

    def session(self, alloc, close):
        import gc
        clock = Clock()
        eng = itsm.Engine(store=CommitFails(), clock=clock, allocator=alloc, actor="a")
        inc = eng.open("incident", summary="s", service="mail", impact=1, urgency=1)
        inc.fire("assign", assignment_group="messaging")
        pkt = inc.packet("shift")
        pkt.receiver = "x"
        pkt.actions = ["restarted", ("paged the DBA", "a")]
        pkt.propose()
        for _ in range(2):
            eng.begin()
            clock.advance(minutes=5)
            eng.open("incident", summary="in the group").add_note("n")
            p2 = inc.packet("shift")
            p2.receiver = "y"
            p2.propose()
            held = list(eng.handovers)
            eng.rollback()
            self.assertRaises(itsm.StateError, lambda: held[-1].seq)
        self.assertRaises(itsm.TransitionRefused, inc.fire, "resolve")
        self.assertRaises(itsm.ParseError, eng.replay, "{bad")
        self.assertRaises(itsm.InvalidArgument, inc.update, summary="\ud800")
        rep = eng.report(now=clock.now)
        rep.to_json()
        copy = eng.handover(1).copy()
        inc.history()
        inc.timers
        del pkt, p2, held, rep, copy, inc
        if close:
            eng.close()
        del eng
        gc.collect()

    def test_nothing_is_left_after_close_or_the_collector(self):
        for close in (True, False):
            alloc = itsm.FailingAllocator()
            self.session(alloc, close)
            self.assertGreater(alloc.calls, 0)
            self.assertEqual(alloc.live, set(), f"close={close}")
