# SPDX-License-Identifier: Apache-2.0
"""One SQLite schema for the C store and the Python binding's store
(docs/store-schema.md): the same statements, and a database written by one
opens, loads and takes new events in the other, both ways; the Python
store migrates the files of itsm 0.1 as the C store does.

Run by ctest (tests/stores.cmake) with ITSM_LIBRARY (libitsm) and
ITSM_SQLITE_HOST (examples/sqlite_host, a host over libitsm-sqlite)."""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python", "tests"))

import itsm  # noqa: E402
from itsm import stores  # noqa: E402
from _support import Clock, busy_engine, snapshot  # noqa: E402

HOST = os.environ.get("ITSM_SQLITE_HOST", "")


def c_dump(path):
    """(id, kind, state, revision) of every record, as the C host loads them."""
    out = subprocess.run([HOST, path, "--verify"], check=True, capture_output=True, text=True).stdout
    return [(m[1], m[2], m[3], int(m[4]))
            for m in re.finditer(r"^(\S+) (\S+) (\S+) rev=(\d+)$", out, re.M)]


def py_records(eng):
    return [(r.id, r.kind, r.state, r.revision) for r in eng]


class SchemaShared(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "itsm.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_statements_are_the_c_store_s(self):
        with open(os.path.join(ROOT, "stores", "sqlite", "sqlite_schema.c"), encoding="utf-8") as f:
            c = f.read()

        def literal(name):
            body = re.search(r"static const char %s\[\] =\s*((?:\"[^\"]*\"\s*)+);" % name, c).group(1)
            return "".join(re.findall(r"\"([^\"]*)\"", body))
        self.assertEqual(literal("create_schema_table"), stores._CREATE_SCHEMA_TABLE)
        self.assertEqual(literal("create_events_table"), stores._CREATE_EVENTS_TABLE)
        self.assertIn("#define ITSM_SQLITE_SCHEMA_VERSION %d" % stores.SCHEMA_VERSION,
                      open(os.path.join(ROOT, "include", "itsm", "stores", "sqlite.h")).read())

    @unittest.skipUnless(HOST, "ITSM_SQLITE_HOST is not set (run through ctest)")
    def test_a_file_written_by_the_c_store_opens_in_python(self):
        subprocess.run([HOST, self.path, "--incidents", "3", "--stop-after", "7", "--quiet"], check=True)
        before = c_dump(self.path)
        self.assertEqual(len(before), 3)
        with stores.SQLiteStore(self.path) as st, itsm.Engine(store=st, load=True) as eng:
            self.assertEqual(st.schema_found, stores.SCHEMA_VERSION)
            self.assertEqual(py_records(eng), before)
            eng.find("INC-0001").add_note("written by Python")
        after = c_dump(self.path)
        self.assertEqual(after[0][3], before[0][3] + 1)
        self.assertEqual(after[1:], before[1:])

    @unittest.skipUnless(HOST, "ITSM_SQLITE_HOST is not set (run through ctest)")
    def test_a_file_written_by_python_opens_in_the_c_store(self):
        clock = Clock()
        with stores.SQLiteStore(self.path) as st, itsm.Engine(store=st, clock=clock) as eng:
            busy_engine(eng, clock)
            mine = py_records(eng)
            snap = snapshot(eng)
        self.assertEqual(c_dump(self.path), mine)
        # the C host carries on in the same file (its own records)...
        subprocess.run([HOST, self.path, "--incidents", "2", "--quiet"], check=True)
        # ...and Python loads both, its own unchanged
        with stores.SQLiteStore(self.path) as st, itsm.Engine(store=st, load=True) as eng:
            self.assertEqual(snapshot(eng)[:len(snap)], snap)
            self.assertEqual([r.id for r in eng][len(mine):], ["INC-0001", "INC-0002"])

    @unittest.skipUnless(HOST, "ITSM_SQLITE_HOST is not set (run through ctest)")
    def test_a_file_the_c_store_kept_in_the_binary_form_opens_in_python(self):
        subprocess.run([HOST, self.path, "--incidents", "3", "--stop-after", "7", "--binary", "--quiet"],
                       check=True)
        before = c_dump(self.path)
        with stores.SQLiteStore(self.path) as st, itsm.Engine(store=st, load=True) as eng:
            self.assertTrue(all(isinstance(e, bytes) for e in st.events()))
            self.assertEqual(py_records(eng), before)
            eng.find("INC-0001").add_note("written by Python, as JSON")
        after = c_dump(self.path)
        self.assertEqual(after[0][3], before[0][3] + 1)
        conn = sqlite3.connect(self.path)
        forms = dict(conn.execute("SELECT typeof(json), count(*) FROM itsm_events GROUP BY 1"))
        conn.close()
        self.assertEqual(forms["text"], 1)

    def test_python_opens_a_file_of_schema_version_2(self):
        with open(os.path.join(ROOT, "tests", "data", "stores", "v2.sql"), encoding="utf-8") as f:
            script = f.read()
        conn = sqlite3.connect(self.path)
        conn.executescript(script)
        rows = [r[0] for r in conn.execute("SELECT json FROM itsm_events ORDER BY seq")]
        conn.close()
        with itsm.Engine() as straight:
            straight.replay(rows)
            want = snapshot(straight)
        with stores.SQLiteStore(self.path) as st, itsm.Engine(store=st, load=True) as eng:
            self.assertEqual(st.schema_found, 2)
            self.assertEqual(snapshot(eng), want)
            self.assertEqual(list(st.events()), rows)
        conn = sqlite3.connect(self.path)
        self.assertEqual([r[0] for r in conn.execute("SELECT version FROM itsm_schema ORDER BY version")], [2, 3])
        conn.close()

    def test_python_opens_the_files_of_itsm_0_1(self):
        for fixture in ("v1_c_example.sql", "v1_python.sql"):
            with self.subTest(fixture):
                path = os.path.join(self.tmp.name, fixture + ".db")
                conn = sqlite3.connect(path)
                with open(os.path.join(ROOT, "tests", "data", "stores", fixture), encoding="utf-8") as f:
                    conn.executescript(f.read())
                rows = [r[0] for r in conn.execute("SELECT json FROM itsm_events ORDER BY seq")]
                conn.close()
                with itsm.Engine() as straight:
                    straight.replay(rows)
                    want = snapshot(straight)
                with stores.SQLiteStore(path) as st, itsm.Engine(store=st, load=True) as eng:
                    self.assertEqual(st.schema_found, 1)
                    self.assertEqual(snapshot(eng), want)
                    self.assertEqual(list(st.events()), rows)
                conn = sqlite3.connect(path)
                self.assertEqual([r[0] for r in conn.execute("SELECT version FROM itsm_schema")], [1, 2, 3])
                conn.close()

    def test_a_newer_version_is_refused(self):
        stores.SQLiteStore(self.path).close()
        conn = sqlite3.connect(self.path)
        conn.execute("INSERT INTO itsm_schema VALUES (4, '2031-01-01T00:00:00Z', 'from the future')")
        conn.commit()
        conn.close()
        with self.assertRaisesRegex(stores.SchemaError, "schema version 4, written by a newer itsm"):
            stores.SQLiteStore(self.path)


if __name__ == "__main__":
    unittest.main()
