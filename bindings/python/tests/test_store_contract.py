# SPDX-License-Identifier: Apache-2.0
"""The store contract (include/itsm/sys/store.h) against the binding's
stores: the cases of tests/stores/contract_cases.txt, the list the C stores
run through tests/stores/contract.c.  Each suite checks that it runs
exactly that list."""
import os
import signal
import subprocess
import sys
import tempfile
import unittest

from _support import PKG_ROOT, Clock, busy_engine, itsm, snapshot

from itsm.stores import MemoryStore, SQLiteStore

CASES_FILE = os.path.join(PKG_ROOT, os.pardir, os.pardir, "tests", "stores", "contract_cases.txt")


def listed_cases() -> list:
    with open(CASES_FILE, encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


class Contract:
    """The cases; a subclass names the store: ``handle(where)`` gives a new
    handle on the named store (handles on one name share its events),
    ``wipe(where)`` empties it; ``persistent`` stores are killed for real."""
    persistent = False

    def handle(self, where):
        raise NotImplementedError

    def wipe(self, where):
        raise NotImplementedError

    def engine(self, store, **kw):
        return itsm.Engine(store=store, clock=Clock(), load=True, **kw)

    def loaded(self, where):
        """A snapshot of a fresh engine loaded from the named store."""
        with self.engine(self.handle(where)) as e:
            return snapshot(e)

    # ---- the list -------------------------------------------------------------
    def test_runs_exactly_the_listed_cases(self):
        ours = sorted(n[len("test_"):] for n in dir(self)
                      if n.startswith("test_") and n != "test_runs_exactly_the_listed_cases")
        self.assertEqual(ours, sorted(listed_cases()))

    # ---- the cases ------------------------------------------------------------
    def test_append_keeps_a_whole_batch_or_nothing(self):
        for stale in ("INC-X", "INC-Y"):
            self.wipe("batch")
            with self.engine(self.handle("batch")) as a, self.engine(self.handle("batch")) as b:
                x = a.open("incident", id="INC-X", summary="x")
                y = a.open("incident", id="INC-Y", summary="y")
                b.store.catch_up(b)
                b.find(stale).add_note("moved on by b")
                before, n = snapshot(a), len(a.store)
                with self.assertRaises(itsm.Conflict):
                    x.link(y)
                self.assertEqual(snapshot(a), before)
                self.assertEqual(len(a.store), n)
                self.assertEqual(self.loaded("batch"), snapshot(b))
                a.store.catch_up(a)
                a.find("INC-X").link(a.find("INC-Y"))
                self.assertEqual(len(a.store), n + 2)

    def test_scan_gives_every_event_in_append_order(self):
        self.wipe("scan")
        seen = []
        clock = Clock()
        with itsm.Engine(store=self.handle("scan"), clock=clock,
                         sink=lambda evs: seen.extend(e.json for e in evs)) as a:
            busy_engine(a, clock)
        self.assertGreater(len(seen), 15)
        self.assertEqual(list(self.handle("scan").scan()), seen)

    def test_stale_revision_is_a_conflict_and_changes_nothing(self):
        self.wipe("stale")
        with self.engine(self.handle("stale")) as a, self.engine(self.handle("stale")) as b:
            a.open("incident", id="INC-S", summary="s")
            b.store.catch_up(b)
            a.find("INC-S").update(category="hardware")
            before, n = snapshot(b), len(b.store)
            with self.assertRaises(itsm.Conflict):
                b.find("INC-S").update(category="network")
            self.assertEqual(snapshot(b), before)
            self.assertEqual(len(b.store), n)
            self.assertGreaterEqual(b.store.catch_up(b), 1)
            b.find("INC-S").update(category="network")
            a.store.catch_up(a)
            self.assertEqual(snapshot(a), snapshot(b))
            self.assertEqual(snapshot(a), self.loaded("stale"))
            self.assertEqual(a.find("INC-S").revision, 3)

    def test_open_of_a_taken_id_is_a_conflict(self):
        self.wipe("taken")
        with self.engine(self.handle("taken")) as a, self.engine(self.handle("taken")) as b:
            a.open("incident", id="INC-T", summary="t")
            with self.assertRaises(itsm.Conflict):
                b.open("incident", id="INC-T", summary="the same id")
            self.assertEqual(len(b), 0)
            self.assertEqual(len(b.store), 1)

    def test_append_after_a_gap_is_a_conflict(self):
        self.wipe("gap-full")
        self.wipe("gap-empty")
        with self.engine(self.handle("gap-full")) as a, self.engine(self.handle("gap-empty")) as b:
            r = a.open("incident", id="INC-G", summary="g")
            r.add_note("one")
            r.add_note("two")
            b.replay(list(a.store.scan()))
            self.assertEqual(b.find("INC-G").revision, 3)
            with self.assertRaises(itsm.Conflict):
                b.find("INC-G").add_note("three")
            self.assertEqual(b.find("INC-G").revision, 3)
            self.assertEqual(len(b.store), 0)

    def test_reload_rebuilds_every_record(self):
        self.wipe("reload")
        clock = Clock()
        with itsm.Engine(store=self.handle("reload"), clock=clock) as a:
            busy_engine(a, clock)
            before, n = snapshot(a), len(a.store)
        with self.engine(self.handle("reload")) as b:
            self.assertEqual(snapshot(b), before)
            b.load()
            self.assertEqual(snapshot(b), before)
            b.open("incident")
            self.assertEqual(len(b.store), n + 1)

    def test_kill_and_reload_keeps_every_acknowledged_event(self):
        if not self.persistent:
            self.wipe("kill")
            a = self.engine(self.handle("kill"))
            rec = a.open("incident", id="INC-K0")
            for _ in range(11):
                rec.add_note("x")
            rev = rec.revision
            del a, rec       # dropped mid-run, never closed
            with self.engine(self.handle("kill")) as b:
                self.assertEqual(b.find("INC-K0").revision, rev)
            return
        for wait in (1, 7, 40):
            self.wipe("kill")
            acks = []
            with subprocess.Popen([sys.executable, "-c", self.writer_script()],
                                  stdout=subprocess.PIPE, text=True) as child:
                for line in child.stdout:
                    acks.append(line.split())
                    if len(acks) == wait:
                        child.send_signal(signal.SIGKILL)
            self.assertEqual(child.returncode, -signal.SIGKILL, "the writer ended by itself")
            # the writer stamped its events with the wall clock: so does this
            # engine (a clock behind a record's last event is refused)
            with itsm.Engine(store=self.handle("kill"), load=True) as b:
                for rid, rev in acks:
                    self.assertGreaterEqual(b.find(rid).revision, int(rev),
                                            f"acknowledged {rid} revision {rev} is not in the store")
                b.find("INC-K0").add_note("after the kill")

    def test_catch_up_reads_what_others_appended(self):
        self.wipe("position")
        with self.engine(self.handle("position")) as a, self.engine(self.handle("position")) as b:
            r = a.open("incident", id="INC-P", summary="p")
            r.add_note("a alone")
            self.assertEqual(a.store.catch_up(a), 0)
            self.assertEqual(b.store.catch_up(b), 2)
            b.find("INC-P").add_note("b one")
            b.find("INC-P").add_note("b two")
            self.assertEqual(a.store.catch_up(a), 2)
            self.assertEqual(a.find("INC-P").revision, 4)
            self.assertEqual(b.store.catch_up(b), 0)

    def test_read_record_gives_one_record_in_revision_order(self):
        self.wipe("history")
        seen = []
        clock = Clock()
        with itsm.Engine(store=self.handle("history"), clock=clock,
                         sink=lambda evs: seen.extend(evs)) as a:
            busy_engine(a, clock)
            total = 0
            for rec in a:
                got = list(a.store.read_record(rec.id))
                self.assertEqual(got, [e.json for e in seen if e.record_id == rec.id])
                self.assertEqual(len(got), rec.revision)
                total += len(got)
            self.assertEqual(total, len(seen))
            self.assertEqual(list(a.store.read_record("INC-NOBODY")), [])


class MemoryStoreContract(Contract, unittest.TestCase):
    def setUp(self):
        self.stores = {}

    def handle(self, where):
        return self.stores.setdefault(where, MemoryStore()).share()

    def wipe(self, where):
        self.stores[where] = MemoryStore()


class SQLiteStoreContract(Contract, unittest.TestCase):
    persistent = True

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.handles = []

    def tearDown(self):
        for h in self.handles:
            h.close()
        self.tmp.cleanup()

    def path(self, where):
        return os.path.join(self.tmp.name, where + ".db")

    def handle(self, where):
        h = SQLiteStore(self.path(where))
        self.handles.append(h)
        return h

    def wipe(self, where):
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(self.path(where) + suffix)
            except FileNotFoundError:
                pass

    def writer_script(self):
        return f"""
import sys
sys.path.insert(0, {PKG_ROOT!r})
import itsm
from itsm.stores import SQLiteStore
eng = itsm.Engine(store=SQLiteStore({self.path('kill')!r}), load=True)
i = 0
while True:
    rid = "INC-K%d" % (i % 4)
    rec = eng.open("incident", id=rid) if i < 4 else eng.find(rid)
    if i >= 4:
        rec.add_note("still alive")
    print(rid, rec.revision, flush=True)
    i += 1
"""


if __name__ == "__main__":
    unittest.main()
