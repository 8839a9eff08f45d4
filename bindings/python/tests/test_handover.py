# SPDX-License-Identifier: Apache-2.0
"""Handover packets (handover.h): content, completeness, the two-party
handover, the quality log, JSON and lifetimes."""
import datetime as dt
import gc
import json
import unittest
import weakref

from _support import UTC, T0, Clock, itsm


class HandoverTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.eng = itsm.Engine(clock=self.clock, actor="sd.maria")
        self.inc = self.eng.open("incident", summary="Payroll down", description="HTTP 503",
                                 caller="j.smith", service="payroll", category="application",
                                 impact=2, urgency=2)
        self.inc.fire("assign", assignment_group="service-desk")
        self.inc.add_note("restarted the web tier")

    def tearDown(self):
        self.eng.close()

    def test_prefilled_content_and_setters(self):
        with self.inc.packet("desk_to_major") as pkt:
            self.assertIsInstance(pkt, itsm.Packet)
            self.assertTrue(pkt.owned)
            self.assertEqual((pkt.kind, pkt.state, pkt.seq), ("desk_to_major", "draft", 0))
            self.assertEqual((pkt.record_id, pkt.record_kind), (self.inc.id, "incident"))
            self.assertEqual(pkt.record, self.inc)
            self.assertEqual(pkt.created_at, T0)
            self.assertEqual(pkt.object, "Payroll down")
            self.assertEqual(pkt.sender, "sd.maria")
            self.assertEqual(pkt.sender_group, "service-desk")
            self.assertEqual([e.text for e in pkt.actions], ["restarted the web tier"])
            self.assertEqual(pkt.actions[0].who, "sd.maria")
            self.assertEqual(pkt.actions[-1].at, T0)
            pkt.extent_is = "all Finance users"
            pkt.receiver = "mim.lead"
            pkt.contact_verified = True
            pkt.next_update = T0 + dt.timedelta(minutes=30)
            pkt.hypotheses.add("connection pool exhausted")
            pkt.open_actions.add("check the DB", who="dba.lee", at=T0 + dt.timedelta(hours=1))
            pkt.engaged_groups = ["web-platform", "database"]
            self.assertEqual(len(pkt.engaged_groups), 2)
            before = list(pkt.actions)
            pkt.actions = [("failed over", "sd.maria"), itsm.PacketEntry("paged the DBA", None, T0)]
            self.assertEqual([(e.text, e.who, e.at) for e in pkt.actions],
                             [("failed over", "sd.maria", None), ("paged the DBA", None, T0)])
            pkt.actions = before
            self.assertEqual(list(pkt.actions), before)
            with self.assertRaises(itsm.InvalidArgument):   # plain text only: all or nothing
                pkt.engaged_groups = ["network", ("storage", "sd.maria")]
            self.assertEqual([e.text for e in pkt.engaged_groups], ["web-platform", "database"])
            self.assertEqual(pkt.open_actions[0],
                             itsm.PacketEntry("check the DB", "dba.lee", T0 + dt.timedelta(hours=1)))
            self.assertEqual(pkt.texts()["receiver"], "mim.lead")
            self.assertTrue(pkt.contact_verified)
            self.assertEqual(pkt.next_update, T0 + dt.timedelta(minutes=30))
            pkt.what_is_not = None
            self.assertIsNone(pkt.what_is_not)
            c = pkt.completeness()
            self.assertEqual(c, itsm.Completeness(100, ()))
            self.assertTrue(c.complete)

    def test_failing_packet_calls(self):
        with self.assertRaises(itsm.InvalidArgument):
            self.inc.packet("sideways")
        with self.inc.packet("shift") as pkt:
            with self.assertRaises(itsm.InvalidArgument):
                pkt.open_actions.add("no owner")           # open actions need an owner
            with self.assertRaises(itsm.InvalidArgument):
                pkt.hypotheses.add("x", who="someone")     # plain text lists take no who
            pkt.propose()
            with self.assertRaises(itsm.StateError):
                pkt.status = "changed"                      # the receiver gets what was sent
            with self.assertRaises(itsm.StateError):
                pkt.propose()
            self.assertTrue(pkt.errmsg or True)
        with self.assertRaises(itsm.StateError):
            pkt.object                                      # closed

    def test_desk_to_major_is_never_kicked_back_and_gaps_go_to_the_quality_log(self):
        pkt = self.inc.packet("desk_to_major", receiver="mim.lead")
        before = pkt.completeness()
        self.assertLess(before.score, 100)
        self.assertIn("contact_verified", before.missing)
        self.clock.advance(minutes=1)
        pkt.propose()
        self.assertEqual((pkt.state, pkt.seq, pkt.proposed_at), ("proposed", 1, self.clock.now))
        self.assertEqual(self.inc.assignee, None)          # nothing moves silently
        with self.assertRaises(itsm.StateError):
            pkt.reject("mim.lead", "incomplete")
        with self.assertRaises(itsm.InvalidArgument):
            pkt.acknowledge("someone.else")                 # not the named receiver
        self.clock.advance(minutes=1)
        pkt.acknowledge("mim.lead")
        self.assertEqual((pkt.state, pkt.decided_by, pkt.decided_at),
                         ("acknowledged", "mim.lead", self.clock.now))
        self.assertEqual(self.inc.assignee, "mim.lead")
        log = self.eng.quality_log
        self.assertEqual(len(log), 1)
        self.assertEqual((log[0].record_id, log[0].sender_group, log[0].seq),
                         (self.inc.id, "service-desk", 1))
        self.assertEqual(set(log[0].missing), set(before.missing))
        rep = self.eng.handover_report(T0, T0 + dt.timedelta(days=1))
        self.assertEqual(rep["groups"][0]["group"], "service-desk")
        self.assertEqual(rep["groups"][0]["poor"], 1)
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.handover_report_json(T0 + dt.timedelta(days=1), T0)
        pkt.close()

    def test_engine_copies_and_shift_reject(self):
        pkt = self.inc.packet("shift", receiver="bob")
        pkt.propose()
        self.assertEqual(len(self.eng.handovers), 1)
        mine = self.eng.handovers[0]
        self.assertFalse(mine.owned)
        self.assertEqual(mine, pkt)
        self.assertEqual(self.eng.handover(1).seq, 1)
        with self.assertRaises(itsm.NotFound):
            self.eng.handover(7)
        mine.reject("bob", "no next update time")
        self.assertEqual(mine.state, "rejected")
        # the sender builds a better one
        better = self.inc.packet("shift", receiver="bob", next_update=T0 + dt.timedelta(hours=1))
        better.propose()
        better.acknowledge("bob")
        self.assertEqual(self.inc.assignee, "bob")
        self.assertEqual([p.state for p in self.eng.handovers], ["rejected", "acknowledged"])
        pkt.close()
        better.close()

    def test_to_operations_gate(self):
        # service transition hands a change going live to operations (seed 004)
        chg = self.eng.open("change", summary="Payroll v2 go-live", change_type="normal")
        with self.inc.packet("to_operations", receiver="svc.manager") as wrong:
            wrong.add_deliverable("runbook", owner="proj.dev", approver="ops.lead")
            with self.assertRaises(itsm.InvalidArgument):
                wrong.propose()                              # an incident goes live nowhere
        pkt = chg.packet("to_operations", receiver="svc.manager")
        pkt.add_deliverable("runbook", owner="proj.dev", approver="ops.lead")
        pkt.add_deliverable("training", owner="proj.pm", approver="desk.lead", required=False)
        with self.assertRaises(itsm.AlreadyExists):
            pkt.add_deliverable("runbook", owner="x", approver="y")
        with self.assertRaises(itsm.InvalidArgument):
            pkt.approve("runbook", by="proj.dev")            # not the appointed approver
        with self.assertRaises(itsm.NotFound):
            pkt.set_deliverable_status("nothing", "delivered")
        pkt.propose()
        with self.assertRaises(itsm.StateError):
            pkt.acknowledge("svc.manager")                   # the gate is shut
        self.assertFalse(pkt.gate_open)
        pkt.close()
        good = chg.packet("to_operations", receiver="svc.manager")
        good.add_deliverable("runbook", owner="proj.dev", approver="ops.lead")
        good.set_deliverable_status("runbook", "delivered", by="proj.dev")
        good.approve("runbook", by="ops.lead")
        self.assertEqual(good.deliverables[0].status, "approved")
        self.assertEqual(good.deliverables[0].approved_by, "ops.lead")
        good.propose()
        good.acknowledge("svc.manager")
        self.assertTrue(good.gate_open)
        good.close()

    def test_json_round_trip_copy_and_equality(self):
        with self.inc.packet("to_problem") as pkt:
            pkt.hypotheses.extend(["pool", "dns"])
            doc = pkt.to_json()
            self.assertEqual(doc, pkt.to_json())
            self.assertEqual(pkt.data["kind"], "to_problem")
            with itsm.Packet.from_json(doc) as again, pkt.copy() as dup:
                self.assertEqual(again, pkt)
                self.assertEqual(dup, pkt)
                again.status = "different"
                self.assertNotEqual(again, pkt)
                self.assertEqual(again.state, "draft")
                with self.assertRaises(itsm.InvalidArgument):
                    again.propose()                  # no engine: say which
                again.propose(self.eng)
                self.assertEqual(again.seq, 1)
        with self.assertRaises(itsm.ParseError) as cm:
            itsm.Packet.from_json('{"kind": ')
        self.assertIsNotNone(cm.exception.line)

    def test_checklist_section(self):
        with itsm.Policy() as pol:
            pol.set_handover_checklist("shift", ["status", "next_update"])
            self.assertEqual(pol.handover_checklist("shift"), ["status", "next_update"])
            with self.assertRaises(itsm.NotFound):
                pol.set_handover_checklist("shift", "status telepathy")
            with self.inc.packet("shift") as pkt:
                c = pkt.completeness(pol)
                self.assertEqual(c, itsm.Completeness(50, ("next_update",)))


class PacketLifetimeTest(unittest.TestCase):
    def test_owned_packet_outlives_its_engine(self):
        eng = itsm.Engine(actor="a")
        inc = eng.open("incident", summary="x")
        pkt = inc.packet("shift")
        eng.close()
        self.assertEqual(pkt.object, "x")                 # the packet copied what it needs
        self.assertIn('"x"', pkt.to_json())
        with self.assertRaises(itsm.StateError):
            pkt.propose()                                   # the engine is closed
        pkt.close()
        pkt.close()

    def test_engine_packets_die_with_the_engine(self):
        eng = itsm.Engine(actor="a")
        inc = eng.open("incident", summary="x")
        with inc.packet("shift") as pkt:
            pkt.propose()
        borrowed = eng.handovers[0]
        ref = weakref.ref(eng)
        del eng, inc
        gc.collect()
        self.assertIsNotNone(ref())                         # the packet keeps it alive
        self.assertEqual(borrowed.state, "proposed")
        ref().close()
        with self.assertRaises(itsm.StateError):
            borrowed.state
        borrowed.close()                                    # harmless

    def test_packet_from_a_python_allocator_engine_is_freed_after_close(self):
        alloc = itsm.Allocator()
        eng = itsm.Engine(allocator=alloc)
        pkt = eng.open("incident", summary="x").packet("shift")
        eng.close()
        del eng
        gc.collect()
        self.assertEqual(pkt.object, "x")
        del pkt                                             # freed through the allocator
        gc.collect()


if __name__ == "__main__":
    unittest.main()
