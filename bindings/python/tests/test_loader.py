# SPDX-License-Identifier: Apache-2.0
"""Finding the library: explicit path, build tree, system; version check."""
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

from _support import PKG_ROOT, itsm

from itsm import _loader


def run_python(code, cwd, env):
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("ITSM_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env.update(extra)
    return env


REPORT = "import itsm; print(itsm.library_source); print(itsm.library_path)"


class VersionCheckTest(unittest.TestCase):
    def test_compatible(self):
        major, minor, _ = _loader.BINDING_VERSION
        _loader.check_compatible((major, minor, 0))
        _loader.check_compatible((major, minor, 7))
        _loader.check_compatible((major, minor + 3, 0))

    def test_incompatible(self):
        major, minor, _ = _loader.BINDING_VERSION
        for found in ((major + 1, minor, 0), (major, minor - 1, 9) if minor else (major - 1, 9, 0)):
            with self.assertRaises(itsm.LibraryVersionError) as cm:
                _loader.check_compatible(found, "/x/libitsm.so")
            self.assertIsInstance(cm.exception, ImportError)
            self.assertIn("%d.%d.%d" % found, str(cm.exception))
            self.assertIn("written for itsm %d.%d" % (major, minor), str(cm.exception))

    def test_loaded_library_matches(self):
        n = itsm.library_version_number()
        self.assertEqual(itsm.library_version(), "%d.%d.%d" % (n // 10000, n // 100 % 100, n % 100))
        self.assertEqual(itsm.__version__, "%d.%d.%d" % _loader.BINDING_VERSION)

    def test_pyproject_version_matches(self):
        with open(os.path.join(PKG_ROOT, "pyproject.toml"), encoding="utf-8") as f:
            self.assertIn('version = "%s"' % itsm.__version__, f.read())

    @unittest.skipUnless(shutil.which(os.environ.get("CC", "cc")), "no C compiler")
    def test_wrong_library_version_refused_at_import(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "fake.c")
            with open(src, "w") as f:
                f.write("int itsm_version_number(void) { return 90000; }\n")
            lib = os.path.join(tmp, "libitsm.so")
            subprocess.run([os.environ.get("CC", "cc"), "-shared", "-fPIC", "-o", lib, src],
                           check=True)
            r = run_python(REPORT, PKG_ROOT, clean_env(ITSM_LIBRARY=lib))
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("LibraryVersionError", r.stderr)
            self.assertIn("is itsm 9.0.0", r.stderr)


class LookupTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.lib = os.path.realpath(itsm.library_path) if os.path.isabs(itsm.library_path) else None

    def tearDown(self):
        self.tmp.cleanup()

    def copy_package(self, where):
        dst = os.path.join(where, "itsm")
        shutil.copytree(os.path.join(PKG_ROOT, "itsm"), dst,
                        ignore=shutil.ignore_patterns("__pycache__"))
        return where

    def test_explicit_path_that_does_not_load(self):
        missing = os.path.join(self.tmp.name, "nowhere", "libitsm.so")
        r = run_python(REPORT, PKG_ROOT, clean_env(ITSM_LIBRARY=missing))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("LibraryNotFoundError", r.stderr)
        self.assertIn(missing, r.stderr)
        self.assertIn("unset ITSM_LIBRARY", r.stderr)

    def test_explicit_directory(self):
        if not self.lib:
            self.skipTest("library not loaded from a path")
        d = os.path.join(self.tmp.name, "lib")
        os.makedirs(d)
        shutil.copy(self.lib, os.path.join(d, "libitsm.so"))
        r = run_python(REPORT, PKG_ROOT, clean_env(ITSM_LIBRARY=d))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), ["ITSM_LIBRARY", os.path.join(d, "libitsm.so")])

    def test_build_tree(self):
        if not self.lib:
            self.skipTest("library not loaded from a path")
        root = os.path.join(self.tmp.name, "src")
        os.makedirs(os.path.join(root, "include"))
        open(os.path.join(root, "include", "itsm.h"), "w").close()
        pkg = self.copy_package(os.path.join(root, "bindings", "python"))
        build = os.path.join(root, "build-debug")
        os.makedirs(build)
        open(os.path.join(build, "CMakeCache.txt"), "w").close()
        shutil.copy(self.lib, os.path.join(build, "libitsm.so"))
        os.makedirs(os.path.join(root, "not-a-build"))
        r = run_python(REPORT, pkg, clean_env())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), ["build", "tree", os.path.join(build, "libitsm.so")])

    def test_nothing_found_lists_every_place_tried(self):
        pkg = self.copy_package(os.path.join(self.tmp.name, "elsewhere"))
        r = run_python(REPORT, pkg, clean_env())
        if r.returncode == 0:
            self.skipTest("an installed libitsm is on this system: " + r.stdout.strip())
        self.assertIn("LibraryNotFoundError", r.stderr)
        for place in ("$ITSM_LIBRARY: not set", "build tree",
                      "ctypes.util.find_library('itsm')", "libitsm.so.0.2",
                      "standard library directories", "/usr/local/lib"):
            self.assertIn(place, r.stderr)


if __name__ == "__main__":
    unittest.main()
