# SPDX-License-Identifier: Apache-2.0
"""The service desk to major incident example runs and restores its records."""
import os
import subprocess
import sys
import tempfile
import unittest

from _support import PKG_ROOT

EXAMPLE = os.path.join(PKG_ROOT, "examples", "major_incident.py")


class ExampleTest(unittest.TestCase):
    def test_major_incident_story(self):
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "desk.db")
            r = subprocess.run([sys.executable, EXAMPLE, db], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            out = r.stdout
            for fragment in ("impact 1 x urgency 1 -> P1", "accepted as a major incident",
                             "customer update sent", "[ETA 10:17, next update 09:47]",
                             "confirmed by the caller: closed", "all 4 records restored exactly",
                             "INC-000001  incident  closed",
                             "major_proposed at 09:06", "handover #1 sent", "not kicked back",
                             "comms and groups due 09:23", "major_deadline_missed at 09:23",
                             "groups deadline 09:23 missed=True", "problem verdict: to_problem",
                             "major_review", "1 quality-log entry",
                             "service-desk: 1 of 1 poor"):
                self.assertIn(fragment, out)
            self.assertTrue(os.path.exists(db))
            # A second run refuses to reuse the database.
            r = subprocess.run([sys.executable, EXAMPLE, db], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
