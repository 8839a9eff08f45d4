# SPDX-License-Identifier: Apache-2.0
"""Tamper evidence from Python: stored events carry their hash-chain link,
a store edited by hand raises TamperedStore at its first broken link, and
the audit document gives every record's head."""
import json
import unittest

from _support import Clock, itsm, record_events


def story(store):
    eng = itsm.Engine(store=store, clock=Clock())
    inc = eng.open("incident", summary="Mail down", impact=2, urgency=2)
    inc.fire("assign", assignment_group="desk")
    inc.add_note("checked the relay")
    eng.open("problem", summary="relay leaks")
    return eng


class ChainTest(unittest.TestCase):
    def test_links_heads_and_the_audit(self):
        store = itsm.stores.MemoryStore()
        with story(store) as eng:
            self.assertTrue(all('"hash":"' in e for e in record_events(store.events)))
            inc = eng.find("INC-000001")
            last = json.loads([e for e in store.events if '"INC-000001"' in e][-1])
            self.assertEqual(inc.chain_head, last["hash"])
            audit = eng.audit()
            self.assertEqual(audit["records"], 2)
            self.assertEqual([h["record"] for h in audit["heads"]], ["INC-000001", "PRB-000001"])
            with itsm.Engine(store=itsm.stores.MemoryStore(store.events)) as again:
                again.load()
                self.assertEqual(again.audit_json(), eng.audit_json())

    def test_a_store_edited_by_hand_is_refused_at_the_first_broken_link(self):
        store = itsm.stores.MemoryStore()
        story(store).close()
        events = list(store.events)
        i = next(k for k, e in enumerate(events) if '"rev":2' in e and '"INC-000001"' in e)
        events[i] = events[i].replace('"assignment_group":"desk"', '"assignment_group":"evil"')
        with itsm.Engine(store=itsm.stores.MemoryStore(events)) as eng:
            with self.assertRaises(itsm.TamperedStore) as cm:
                eng.load()
            self.assertIn("record INC-000001 revision 2", str(cm.exception))
            self.assertEqual(len(eng), 0)   # nothing of a tampered store is trusted
            with self.assertRaises(itsm.NotFound):
                eng.find("INC-000001")

    def test_an_event_removed_by_hand_is_refused_where_the_sequence_breaks(self):
        store = itsm.stores.MemoryStore()
        story(store).close()
        events = [e for e in store.events if not ('"rev":2,' in e and '"INC-000001"' in e)]
        with itsm.Engine(store=itsm.stores.MemoryStore(events)) as eng:
            with self.assertRaises(itsm.TamperedStore) as cm:
                eng.load()
            self.assertIn("record INC-000001 revision 3 comes where revision 2 should", str(cm.exception))
            self.assertEqual(cm.exception.code, itsm.TamperedStore.code)
            self.assertEqual(len(eng), 0)

    def test_without_a_store_the_head_is_unknown(self):
        with itsm.Engine() as eng:
            self.assertIsNone(eng.open("incident").chain_head)


if __name__ == "__main__":
    unittest.main()
