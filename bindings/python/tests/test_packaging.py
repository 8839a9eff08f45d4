# SPDX-License-Identifier: Apache-2.0
"""pip install works offline; a wheel built with a library carries it; a
pure install finds an installed libitsm through the system lookup.  (The
whole user flow in fresh venvs is tests/check_venv_install.py.)"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

from _support import PKG_ROOT, itsm


@unittest.skipIf(importlib.util.find_spec("pip") is None, "pip is not available")
class PipInstallTest(unittest.TestCase):
    def test_offline_install_then_system_lookup(self):
        if not os.path.isabs(itsm.library_path):
            self.skipTest("library not loaded from a path")
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "site")
            env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
            env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
            r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                                "--no-build-isolation", "--no-index", "--target", target,
                                "-C", "library=none", PKG_ROOT], capture_output=True, text=True, env=env, timeout=300)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertTrue(os.path.isfile(os.path.join(target, "itsm", "engine.py")))
            self.assertTrue(os.path.isfile(os.path.join(target, "itsm", "py.typed")))
            self.assertFalse(os.path.exists(os.path.join(target, "itsm", "_lib")))
            self.assertTrue(any(d.startswith("itsm-") and d.endswith(".dist-info")
                                for d in os.listdir(target)))

            # "Install" the library: a lib directory the dynamic loader searches.
            libdir = os.path.join(tmp, "lib")
            os.makedirs(libdir)
            shutil.copy(os.path.realpath(itsm.library_path), os.path.join(libdir, "libitsm.so.0.2"))
            run_env = {k: v for k, v in os.environ.items()
                       if k not in ("ITSM_LIBRARY", "PYTHONPATH")}
            run_env["PYTHONPATH"] = target
            run_env["LD_LIBRARY_PATH"] = libdir
            code = ("import itsm; print(itsm.__file__); print(itsm.library_source); "
                    "print(itsm.library_path); e = itsm.Engine(); print(e.open('incident').id)")
            r = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=run_env,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            where, source, path, rid = r.stdout.split()
            self.assertTrue(where.startswith(target), where)
            self.assertEqual(source, "system")
            self.assertEqual(path, os.path.join(libdir, "libitsm.so.0.2"))
            self.assertEqual(rid, "INC-000001")


    def test_wheel_carries_the_library_it_was_built_against(self):
        if not os.path.isabs(itsm.library_path):
            self.skipTest("library not loaded from a path")
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
            env["ITSM_LIBRARY"] = itsm.library_path
            env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
            r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                                "--no-build-isolation", "--no-index", "-w", tmp, PKG_ROOT],
                               capture_output=True, text=True, env=env, timeout=300)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
            self.assertEqual(len(wheels), 1, wheels)
            self.assertNotIn("-any.whl", wheels[0])         # tagged for this platform
            with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as z:
                names = z.namelist()
                with open(os.path.realpath(itsm.library_path), "rb") as f:
                    self.assertEqual(z.read("itsm/_lib/libitsm.so.0.2"), f.read())
                wheel_meta = z.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
                meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
            self.assertIn("Root-Is-Purelib: false", wheel_meta)
            self.assertIn("License: Apache-2.0", meta)
            self.assertTrue(any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names)


if __name__ == "__main__":
    unittest.main()
