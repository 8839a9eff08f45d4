# SPDX-License-Identifier: Apache-2.0
"""Python stores: restart and replay restore every record; shared stores
detect conflicts."""
import os
import sqlite3
import tempfile
import threading
import unittest

from _support import Clock, busy_engine, itsm, record_state, snapshot

from itsm.stores import MemoryStore, SQLiteStore


class SQLiteStoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "itsm.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_restart_and_load_restore_every_record(self):
        clock = Clock()
        with SQLiteStore(self.path) as store, itsm.Engine(store=store, clock=clock) as eng:
            busy_engine(eng, clock)
            before = snapshot(eng)
            nevents = len(store)
        self.assertEqual(len(before), 5)
        self.assertGreater(nevents, 15)

        # A new store object on the same file: nothing shared but the file.
        with SQLiteStore(self.path) as store, itsm.Engine(store=store, load=True) as eng:
            self.assertEqual(snapshot(eng), before)
            # Loading twice is harmless: known revisions are skipped.
            eng.load()
            self.assertEqual(snapshot(eng), before)
            # The restored engine carries on where the first one stopped,
            # generated ids included.
            inc = eng.find("INC-000001")
            self.assertEqual(inc.state, "in_progress")
            inc.add_note("after the restart")
            self.assertEqual(eng.open("incident").id, "INC-000002")
            self.assertEqual(len(store), nevents + 2)

    def test_replay_from_the_rows_restores_every_record(self):
        clock = Clock()
        with SQLiteStore(self.path) as store, itsm.Engine(store=store, clock=clock) as eng:
            busy_engine(eng, clock)
            before = snapshot(eng)
        # Replay the JSON read straight from the table, into a memory-only engine.
        conn = sqlite3.connect(self.path)
        rows = [r[0] for r in conn.execute("SELECT json FROM itsm_events ORDER BY seq")]
        ids = [r[0] for r in conn.execute(
            "SELECT DISTINCT record FROM itsm_events WHERE kind <> 'policy' ORDER BY record")]
        conn.close()
        with itsm.Engine() as eng:
            eng.replay(rows)
            self.assertEqual(snapshot(eng), before)
            self.assertEqual(sorted(r.id for r in eng), ids)

    def test_store_columns(self):
        with SQLiteStore(self.path) as store, itsm.Engine(store=store, clock=Clock(),
                                                         actor="kim") as eng:
            rec = eng.open("incident", summary="x")
            rec.fire("cancel")
            self.assertEqual(store.record_ids(), [rec.id])
            self.assertEqual(len(list(store.events(rec.id))), 2)
        conn = sqlite3.connect(self.path)
        rows = conn.execute("SELECT record, rev, type, kind, datetime(at, 'unixepoch'), actor "
                            "FROM itsm_events ORDER BY seq").fetchall()
        conn.close()
        # the version's document first, in the same append as the open
        policy_id = rows[0][0]
        self.assertTrue(policy_id.startswith("~policy.") and policy_id.endswith("/INC-000001/1"))
        self.assertEqual(rows, [(policy_id, 1, "policy", "policy", "2024-03-04 09:00:00", "kim"),
                                ("INC-000001", 1, "open", "incident", "2024-03-04 09:00:00", "kim"),
                                ("INC-000001", 2, "transition", "incident",
                                 "2024-03-04 09:00:00", "kim")])

    def test_two_engines_share_one_file(self):
        with SQLiteStore(self.path) as s1, SQLiteStore(self.path) as s2, \
                itsm.Engine(store=s1) as a, itsm.Engine(store=s2) as b:
            a.open("incident", id="INC-x", summary="shared")
            b.load()
            a.find("INC-x").update(impact=2)
            before = record_state(b.find("INC-x"))
            with self.assertRaises(itsm.Conflict):
                b.find("INC-x").update(urgency=1)
            self.assertEqual(record_state(b.find("INC-x")), before)
            # Opening an id another engine took is a conflict too.
            a.open("incident", id="INC-y")
            with self.assertRaises(itsm.Conflict):
                b.open("incident", id="INC-y")
            b.load()
            b.find("INC-x").update(urgency=1)
            self.assertEqual(b.find("INC-x").priority, 2)
            a.load()
            self.assertEqual(snapshot(a), snapshot(b))

    def test_failed_append_keeps_nothing(self):
        class Failing(SQLiteStore):
            fail = False

            def append(self, events):
                if self.fail:
                    raise OSError("disk on fire")
                super().append(events)
        with Failing(self.path) as store, itsm.Engine(store=store) as eng:
            a = eng.open("incident")
            b = eng.open("incident")
            n = len(store)
            store.fail = True
            with self.assertRaises(OSError):
                a.link(b)
            self.assertEqual(len(store), n)
            self.assertEqual(len(a.links), 0)

    def test_concurrent_threads(self):
        with SQLiteStore(self.path) as store, itsm.Engine(store=store) as eng:
            rec = eng.open("incident")

            def work():
                for _ in range(25):
                    rec.add_note("busy")
            threads = [threading.Thread(target=work) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(rec.revision, 101)
            self.assertEqual(len(store), 102)   # and the version's document before the open


class MemoryStoreTest(unittest.TestCase):
    def test_restart_and_load(self):
        store = MemoryStore()
        clock = Clock()
        with itsm.Engine(store=store, clock=clock) as eng:
            busy_engine(eng, clock)
            before = snapshot(eng)
        with itsm.Engine(store=MemoryStore(store.events), load=True) as eng:
            self.assertEqual(snapshot(eng), before)

    def test_protocol(self):
        self.assertIsInstance(MemoryStore(), itsm.stores.Store)
        with SQLiteStore() as s:
            self.assertIsInstance(s, itsm.stores.Store)


if __name__ == "__main__":
    unittest.main()
