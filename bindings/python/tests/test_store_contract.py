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

from _support import PKG_ROOT, Clock, busy_engine, is_policy, itsm, record_events, snapshot

from itsm.stores import GROUP_ABORT, GROUP_BEGIN, GROUP_COMMIT, MemoryStore, SQLiteStore

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
        scanned = list(self.handle("scan").scan())
        self.assertTrue(is_policy(scanned[0]))   # the document of the version the events name
        self.assertEqual(scanned[1:], seen)

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
            self.assertEqual(len(b.store), 2)   # a's open and its version's document, nothing of b's

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
                    # only whole lines are acknowledgements: a writer killed
                    # while it printed may leave a part of its last one
                    if not line.endswith("\n"):
                        break
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
            self.assertEqual(b.store.catch_up(b), 3)   # the version's document, the open, the note
            b.find("INC-P").add_note("b one")
            b.find("INC-P").add_note("b two")
            self.assertEqual(a.store.catch_up(a), 2)
            self.assertEqual(a.find("INC-P").revision, 4)
            self.assertEqual(b.store.catch_up(b), 0)

    def test_catch_up_compares_the_events_it_has(self):
        self.wipe("same")
        self.wipe("other")
        with self.engine(self.handle("same")) as a, self.engine(self.handle("other")) as b:
            a.open("incident", id="INC-S", summary="s").add_note("from a")
            b.open("incident", id="INC-S", summary="s").add_note("from b")
            before = snapshot(a)
            a.load()   # the same events again: skipped
            self.assertEqual(snapshot(a), before)
            with self.assertRaises(itsm.TamperedStore) as cm:
                self.handle("other").catch_up(a)
            self.assertIn("record INC-S revision 2 comes again with other content", str(cm.exception))
            self.assertEqual(snapshot(a), before)

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

    # ---- groups ----------------------------------------------------------------
    def test_group_commit_keeps_every_append_at_once(self):
        self.wipe("group")
        with self.engine(self.handle("group")) as a:
            a.open("incident", id="INC-G0")
            other = self.handle("group")
            a.store.group(GROUP_BEGIN)
            x = a.open("incident", id="INC-G1")
            y = a.open("incident", id="INC-G2")
            for _ in range(3):
                x.add_note("in the group")
            x.link(y)
            self.assertEqual(len(a.store), 9)   # with the version's document, before INC-G0
            self.assertEqual(len(other), 2)
            a.store.group(GROUP_COMMIT)
            self.assertEqual(len(other), 9)
            self.assertEqual(snapshot(a), self.loaded("group"))

    def test_group_abort_keeps_none_of_it(self):
        self.wipe("abort")
        with self.engine(self.handle("abort")) as a:
            a.open("incident", id="INC-A0")
            before = self.loaded("abort")
            a.store.group(GROUP_BEGIN)
            a.open("incident", id="INC-A1").add_note("never kept")
            a.find("INC-A0").add_note("never kept either")
            a.store.group(GROUP_ABORT)
            self.assertEqual(self.loaded("abort"), before)
        with self.engine(self.handle("abort")) as b:
            b.find("INC-A0").add_note("after the abort")
            self.assertEqual(len(b.store), 3)   # the version's document, INC-A0's open and note

    def test_refused_append_leaves_the_group_open(self):
        self.wipe("refused")
        with self.engine(self.handle("refused")) as a, self.engine(self.handle("refused")) as b:
            a.open("incident", id="INC-R")
            b.store.catch_up(b)
            a.find("INC-R").add_note("a first")
            b.store.group(GROUP_BEGIN)
            with self.assertRaises(itsm.Conflict):
                b.find("INC-R").add_note("b stale")
            b.open("incident", id="INC-R2")
            b.store.group(GROUP_COMMIT)
            self.assertEqual(len(a.store), 4)   # the version's document, a's two, b's open
            a.store.catch_up(a)
            self.assertEqual(a.find("INC-R").revision, 2)
            self.assertEqual(a.find("INC-R2").revision, 1)

    def test_kill_in_a_group_keeps_nothing_of_it(self):
        self.wipe("killgroup")
        if not self.persistent:
            a = self.engine(self.handle("killgroup"))
            a.open("incident", id="INC-K")
            a.store.group(GROUP_BEGIN)
            a.find("INC-K").add_note("lost with the writer")
            a.store.close()       # the handle goes without a commit
            with self.engine(self.handle("killgroup")) as b:
                self.assertEqual(b.find("INC-K").revision, 1)
            return
        with subprocess.Popen([sys.executable, "-c", self.group_writer_script()],
                              stdout=subprocess.PIPE, text=True) as child:
            for n, _ in enumerate(child.stdout):
                if n == 20:
                    child.send_signal(signal.SIGKILL)
        self.assertEqual(child.returncode, -signal.SIGKILL, "the writer ended by itself")
        # the writer stamped its events with the wall clock: so does this engine
        with itsm.Engine(store=self.handle("killgroup"), load=True) as b:
            self.assertEqual(b.find("INC-K").revision, 1)
            self.assertEqual(len(b.store), 2)   # INC-K's open and its version's document
            b.find("INC-K").add_note("after the kill")

    # ---- the engine's group commit -----------------------------------------------
    def test_engine_group_is_one_write_with_the_same_events(self):
        self.wipe("eg-plain")
        self.wipe("eg-group")
        plain: list = []
        grouped: list = []
        ca, cb = Clock(), Clock()
        with itsm.Engine(store=self.handle("eg-plain"), clock=ca, sink=lambda evs: plain.extend(
                e.json for e in evs)) as a, itsm.Engine(store=self.handle("eg-group"), clock=cb,
                                                        sink=lambda evs: grouped.extend(e.json for e in evs)) as b:
            busy_engine(a, ca)
            other = self.handle("eg-group")
            with b.group():
                busy_engine(b, cb)
                self.assertEqual(b.group_events, len(plain))
                self.assertEqual(grouped, [])
                self.assertEqual(len(other), 0)
                self.assertEqual(snapshot(b), snapshot(a))
            self.assertEqual(b.group_events, 0)
            self.assertEqual(grouped, plain)
            scanned = list(other.scan())
            self.assertTrue(is_policy(scanned[0]))
            self.assertEqual(scanned[1:], plain)

    def test_engine_rollback_goes_back_to_the_last_commit(self):
        self.wipe("eg-rollback")
        heard: list = []
        with itsm.Engine(store=self.handle("eg-rollback"), clock=Clock(), sink=heard.extend) as a:
            r0 = a.open("incident", id="INC-B0")
            r0.add_note("committed")
            before, n = snapshot(a), len(heard)
            a.begin()
            r1 = a.open("incident", id="INC-B1")
            r0.add_note("rolled back")
            a.rollback()
            self.assertEqual(snapshot(a), before)
            self.assertEqual(snapshot(a), self.loaded("eg-rollback"))
            self.assertEqual(len(heard), n)
            self.assertEqual(r0.revision, 2)        # the Record object follows its record
            with self.assertRaises(itsm.StateError):    # opened in the group: gone
                r1.id
            r0.add_note("after the rollback")
            with self.assertRaises(ValueError), a.group():
                a.open("incident", id="INC-B2")
                raise ValueError("the block raised: rolled back")
            self.assertEqual([r.id for r in a], ["INC-B0"])
            self.assertEqual(snapshot(a), self.loaded("eg-rollback"))

    def test_engine_group_not_kept_reloads_the_last_commit(self):
        self.wipe("eg-failed")
        inner = self.handle("eg-failed")

        class FailingCommit:
            def append(self, events):
                inner.append(events)

            def scan(self):
                return inner.scan()

            def group(self, op):
                if op == GROUP_COMMIT:
                    inner.group(GROUP_ABORT)
                    raise itsm.StoreError("the disk is full")
                inner.group(op)
        heard: list = []
        with itsm.Engine(store=FailingCommit(), clock=Clock(), sink=heard.extend) as eng:
            eng.open("incident", id="INC-F0")
            before = snapshot(eng)
            eng.begin()
            eng.open("incident", id="INC-F1")
            eng.find("INC-F0").add_note("lost")
            with self.assertRaisesRegex(itsm.StoreError, "reloaded from the store"):
                eng.commit()
            self.assertEqual(snapshot(eng), before)
            self.assertEqual(len(heard), 1)
            self.assertEqual(len(inner), 2)   # the open before the group and its version's document
            eng.find("INC-F0").add_note("carries on")


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

    def group_writer_script(self):
        return f"""
import sys
sys.path.insert(0, {PKG_ROOT!r})
import itsm
from itsm.stores import SQLiteStore, GROUP_BEGIN
store = SQLiteStore({self.path('killgroup')!r})
eng = itsm.Engine(store=store)
rec = eng.open("incident", id="INC-K")
store.group(GROUP_BEGIN)
while True:
    rec.add_note("in a group that never commits")
    print("n", flush=True)
"""

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
