# SPDX-License-Identifier: Apache-2.0
"""mypy --strict over what users copy: every ```python block of the README,
every example, and the package itself (run by ctest as python_mypy_strict;
not a unittest module).

usage: check_types.py CACHE-DIR   (run with a Python that has mypy)
"""
from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
import tempfile

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_blocks(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return re.findall(r"^```python\n(.*?)^```", f.read(), re.S | re.M)


def main() -> int:
    cache = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "itsm-mypy")
    with tempfile.TemporaryDirectory(prefix="itsm-readme.") as tmp:
        targets = []
        blocks = readme_blocks(os.path.join(PKG_ROOT, "README.md"))
        if not blocks:
            print("FAIL: bindings/python/README.md has no python example")
            return 1
        for i, code in enumerate(blocks):
            path = os.path.join(tmp, f"readme_example_{i + 1}.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(code)
            targets.append(path)
        targets += sorted(glob.glob(os.path.join(PKG_ROOT, "examples", "*.py")))
        targets.append(os.path.join(PKG_ROOT, "itsm"))
        cmd = [sys.executable, "-m", "mypy", "--strict", "--config-file",
               os.path.join(PKG_ROOT, "pyproject.toml"), "--cache-dir", cache] + targets
        print("$", " ".join(os.path.relpath(c, PKG_ROOT) if c.startswith(PKG_ROOT) else c for c in cmd),
              flush=True)
        env = dict(os.environ, MYPYPATH=PKG_ROOT)
        r = subprocess.run(cmd, cwd=PKG_ROOT, env=env)
        return r.returncode


if __name__ == "__main__":
    sys.exit(main())
