# SPDX-License-Identifier: Apache-2.0
"""A user's install, end to end, in fresh virtual environments (run by ctest
as python_venv_install; not a unittest module):

1. after building, ``pip install ./bindings/python`` into a fresh venv gives a
   package that imports from anywhere, with no environment variable: the
   wheel carries the library the build tree made (the source tree is copied
   with a build directory holding the library under test, so the backend
   finds it exactly as it finds a user's ``build/``);
2. a pure-Python install (``-C library=none``) finds a library installed by
   ``cmake --install`` into a prefix the loader does not search, through
   pkg-config's libdir (``PKG_CONFIG_PATH``);
3. ... and through the loader's path (``LD_LIBRARY_PATH``).

usage: check_venv_install.py LIBRARY BUILD-DIR
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_ROOT = os.path.dirname(HERE)
SRC_ROOT = os.path.dirname(os.path.dirname(PKG_ROOT))
SKIP = 77

CHECK = """
import itsm, sys
print(itsm.library_source)
print(itsm.library_path)
with itsm.Engine() as eng:
    inc = eng.open("incident", summary="Mail is down", impact=1, urgency=1)
    inc.fire("assign", assignment_group="messaging")
    assert (inc.id, inc.state, inc.priority) == ("INC-000001", "assigned", 1), (inc.id, inc.state, inc.priority)
print("ok")
"""


def clean_env(**extra: str) -> dict[str, str]:
    drop = ("ITSM_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH",
            "PKG_CONFIG_LIBDIR", "VIRTUAL_ENV", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PIP_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run(cmd: list[str], cwd: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(cmd), flush=True)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=cwd, env=env)
    if out.stdout.strip():
        print(out.stdout.rstrip())
    if out.stderr.strip():
        print(out.stderr.rstrip())
    return out


def fresh_venv(where: str) -> str:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    return os.path.join(where, "bin", "python")


def check(label: str, ok: bool, detail: str = "") -> None:
    print(("ok:   " if ok else "FAIL: ") + label + ("" if ok else f"\n      {detail}"), flush=True)
    if not ok:
        sys.exit(1)


def main() -> int:
    lib, build_dir = os.path.realpath(sys.argv[1]), sys.argv[2]
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        print("skipped: this Python has no ensurepip (Debian: apt-get install python3-venv)")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="itsm-venv.") as tmp:
        elsewhere = os.path.join(tmp, "elsewhere")
        os.makedirs(elsewhere)

        # ---- 1. pip install ./bindings/python after building ------------------------
        tree = os.path.join(tmp, "tree")
        shutil.copytree(PKG_ROOT, os.path.join(tree, "bindings", "python"),
                        ignore=shutil.ignore_patterns("__pycache__", "_lib"))
        os.makedirs(os.path.join(tree, "include"))
        shutil.copy(os.path.join(SRC_ROOT, "include", "itsm.h"), os.path.join(tree, "include"))
        os.makedirs(os.path.join(tree, "build"))
        open(os.path.join(tree, "build", "CMakeCache.txt"), "w").close()
        shutil.copy(lib, os.path.join(tree, "build", "libitsm.so.0.2"))
        py = fresh_venv(os.path.join(tmp, "venv1"))
        r = run([py, "-m", "pip", "install", "./bindings/python"], cwd=tree, env=clean_env())
        check("pip install ./bindings/python into a fresh venv", r.returncode == 0, r.stderr)
        shutil.rmtree(tree)       # the tree it was built from is gone: the package must not need it
        r = run([py, "-c", CHECK], cwd=elsewhere, env=clean_env())
        check("the installed package imports anywhere and works", r.returncode == 0, r.stderr)
        source, path = r.stdout.split()[:2]
        check("it loads the library it carries", source == "bundled" and
              path.startswith(os.path.join(tmp, "venv1")), f"{source} {path}")

        # ---- 2./3. a pure package and an installed library -------------------------
        prefix = os.path.join(tmp, "prefix")
        r = run(["cmake", "--install", build_dir, "--prefix", prefix])
        check("cmake --install into a temporary prefix", r.returncode == 0, r.stderr)
        pcdir = next((os.path.join(prefix, d, "pkgconfig") for d in ("lib", "lib64")
                      if os.path.isfile(os.path.join(prefix, d, "pkgconfig", "itsm.pc"))), None)
        check("itsm.pc installed", pcdir is not None, prefix)
        assert pcdir is not None
        libdir = os.path.dirname(pcdir)
        py = fresh_venv(os.path.join(tmp, "venv2"))
        r = run([py, "-m", "pip", "install", "-C", "library=none", PKG_ROOT], cwd=elsewhere,
                env=clean_env())
        check("pip install -C library=none (a pure package)", r.returncode == 0, r.stderr)
        if shutil.which("pkg-config"):
            r = run([py, "-c", CHECK], cwd=elsewhere, env=clean_env(PKG_CONFIG_PATH=pcdir))
            check("a pure package finds the installed library through pkg-config",
                  r.returncode == 0 and r.stdout.split()[:2] == ["pkg-config", os.path.join(libdir, "libitsm.so.0.2")],
                  r.stdout + r.stderr)
        else:
            print("skipped: the pkg-config lookup (no pkg-config)")
        r = run([py, "-c", CHECK], cwd=elsewhere, env=clean_env(LD_LIBRARY_PATH=libdir))
        check("a pure package finds the installed library through the loader's path",
              r.returncode == 0 and r.stdout.split()[0] == "system", r.stdout + r.stderr)
        r = run([py, "-c", "import itsm"], cwd=elsewhere, env=clean_env())
        check("with no library anywhere the import says where it looked",
              r.returncode != 0 and "LibraryNotFoundError" in r.stderr and "pkg-config" in r.stderr
              or r.returncode == 0, r.stderr)
    print("ok: fresh-venv installs import and find their library")
    return 0


if __name__ == "__main__":
    sys.exit(main())
