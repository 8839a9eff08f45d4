# SPDX-License-Identifier: Apache-2.0
"""The README's quick example runs as printed and prints what its comments
say (mypy checks its types; this runs it), and a second run carries on
from the database the first one left."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

from _support import PKG_ROOT


class ReadmeExampleTest(unittest.TestCase):
    def test_the_quick_example_runs_as_printed(self):
        with open(os.path.join(PKG_ROOT, "README.md"), encoding="utf-8") as f:
            m = re.search(r"## Quick example\s+```python\n(.*?)```", f.read(), re.S)
        self.assertIsNotNone(m)
        code = m.group(1)
        env = dict(os.environ, PYTHONPATH=PKG_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        with tempfile.TemporaryDirectory(prefix="itsm-py-readme.") as tmp:
            script = os.path.join(tmp, "example.py")
            with open(script, "w", encoding="utf-8") as f:
                f.write(code)
            runs = []
            for _ in range(2):
                r = subprocess.run([sys.executable, script], cwd=tmp, env=env, capture_output=True,
                                   text=True, timeout=120)
                self.assertEqual(r.returncode, 0, r.stderr)
                runs.append(r.stdout.splitlines())
            self.assertTrue(os.path.exists(os.path.join(tmp, "desk.db")))
        first, second = runs
        # The comments of the example: the first line and the guard's message.
        self.assertIn("# INC-000001 new 1", code)
        self.assertEqual(first[0], "INC-000001 new 1")
        guard = re.search(r"print\(e\)\s+# (.*)", code).group(1)
        self.assertEqual(first[-1], guard)
        self.assertRegex(first[1], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00 customer sd\.maria "
                                   r"Web tier restarted$")
        # load=True: the second run finds the first incident in desk.db.
        self.assertEqual(second[0], "INC-000002 new 1")
        self.assertEqual(second[-1], guard)


if __name__ == "__main__":
    unittest.main()
