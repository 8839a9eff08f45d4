# SPDX-License-Identifier: Apache-2.0
"""What a sink reads of an event beyond its head (the fields it changes,
its policy version, its chain link), an event's binary form, a record's
own policy version's policy, and the engine's size hint."""
import json
import unittest

from _support import Clock, itsm
from test_versions import p2_within


class EventDetailsTest(unittest.TestCase):
    def test_an_event_names_the_fields_it_changes(self):
        seen = []
        with itsm.Engine(clock=Clock(), sink=seen.extend) as eng:
            inc = eng.open("incident", summary="Mail down", impact=2, urgency=1)
            inc.assignment_group = "desk"
            inc.add_note("checked the relay")
            opening, update, note = seen[-3:]
            # The derived priority and the stamp count as changes of the opening.
            self.assertTrue({"summary", "impact", "urgency", "priority", "opened_at"} <= opening.fields)
            self.assertEqual(update.fields, frozenset({"assignment_group"}))
            self.assertNotIn("assignee", update.fields)
            self.assertEqual(note.fields, frozenset())
            self.assertFalse(any(e.custom_fields for e in seen))

    def test_a_custom_field_change_is_flagged(self):
        seen = []
        with itsm.Policy() as pol:
            pol.add_field("vendor_ticket", "symbol")
            with itsm.Engine(policy=pol, clock=Clock(), sink=seen.extend) as eng:
                inc = eng.open("incident", summary="x")
                inc.update(vendor_ticket="V-1")
                self.assertTrue(seen[-1].custom_fields)
                self.assertEqual(seen[-1].fields, frozenset())

    def test_an_event_carries_its_policy_version_and_chain_link(self):
        seen = []
        store = itsm.stores.MemoryStore()
        with itsm.Engine(clock=Clock(), store=store, sink=seen.extend) as eng:
            inc = eng.open("incident", summary="x")
            inc.add_note("n")
            last = json.loads(store.events[-1])
            self.assertEqual(seen[-1].chain, last["hash"])
            self.assertEqual(seen[-1].chain, inc.chain_head)
            self.assertEqual(seen[-1].policy_version, eng.policy_version)
        # Memory only: no chain.
        seen.clear()
        with itsm.Engine(clock=Clock(), sink=seen.extend) as eng:
            eng.open("incident", summary="x")
            self.assertIsNone(seen[-1].chain)

    def test_the_binary_form_converts_both_ways_and_replays(self):
        store = itsm.stores.MemoryStore()
        with itsm.Engine(clock=Clock(), store=store) as eng:
            eng.open("incident", summary="Mail down", impact=1, urgency=2).add_note("n")
        blobs = [itsm.Event.json_to_binary(j) for j in store.events]
        self.assertTrue(all(b[:1] == b"\xe5" for b in blobs))
        self.assertEqual([itsm.Event.binary_to_json(b) for b in blobs], list(store.events))
        with itsm.Engine(clock=Clock()) as again:
            again.replay(blobs)
            inc = again.find("INC-000001")
            self.assertEqual((inc.priority, inc.revision), (2, 2))
        with self.assertRaises(itsm.ParseError):
            itsm.Event.json_to_binary('{"type":')
        with self.assertRaises(itsm.ParseError):
            itsm.Event.binary_to_json(b"\xe5\x00")
        with self.assertRaises(itsm.ParseError):
            itsm.Event.binary_to_json(blobs[0][:-3])   # cut short
        with self.assertRaises(TypeError):
            itsm.Event.binary_to_json("text")  # type: ignore[arg-type]

    def test_a_record_reads_the_policy_of_its_own_version(self):
        with itsm.Engine(clock=Clock()) as eng, p2_within(4, "four") as b:
            old = eng.open("incident", summary="x")
            eng.adopt_policy(b)
            new = eng.open("incident", summary="y")
            with old.policy as p_old, new.policy as p_new:
                self.assertEqual(p_new.hash(), b.hash())
                self.assertNotEqual(p_old.hash(), p_new.hash())
                self.assertEqual(p_old.hash()[:16], old.policy_version)

    def test_reserve_is_a_hint_and_refuses_bad_counts(self):
        with itsm.Engine(clock=Clock()) as eng:
            eng.reserve(records=10_000, symbols=20_000)
            eng.reserve()
            self.assertEqual(eng.open("incident", summary="x").id, "INC-000001")
            with self.assertRaises(itsm.InvalidArgument):
                eng.reserve(records=-1)
            with self.assertRaises(itsm.LimitExceeded):
                eng.reserve(symbols=2 ** 31 + 1)
            self.assertEqual(len(eng), 1)


if __name__ == "__main__":
    unittest.main()
