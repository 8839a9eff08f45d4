# SPDX-License-Identifier: Apache-2.0
"""PEP 517 build backend of the itsm Python binding.

setuptools builds the package when it can build wheels; when it cannot (an
old setuptools without the `wheel` package, or no setuptools at all in an
isolated build with no index) this module writes the pure-Python wheel and
sdist itself with the standard library.  Both read the metadata from
pyproject.toml's [project] table, so they produce the same package.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import os
import re
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "itsm"


def _setuptools_can_build_wheels() -> bool:
    if os.environ.get("ITSM_BUILD_STDLIB"):       # force the fallback (tests)
        return False
    try:
        if importlib.util.find_spec("setuptools") is None:
            return False
        return (importlib.util.find_spec("wheel") is not None
                or importlib.util.find_spec("setuptools.command.bdist_wheel") is not None)
    except (ImportError, ValueError):
        return False


if _setuptools_can_build_wheels():
    from setuptools.build_meta import *  # noqa: F401,F403
    from setuptools import build_meta as _st

    def get_requires_for_build_wheel(config_settings=None):
        return []

    def get_requires_for_build_sdist(config_settings=None):
        return []

    def get_requires_for_build_editable(config_settings=None):
        return []

    build_wheel = _st.build_wheel
    build_sdist = _st.build_sdist
else:
    def _project() -> dict:
        path = os.path.join(HERE, "pyproject.toml")
        try:
            import tomllib
        except ImportError:              # Python < 3.11
            try:
                import tomli as tomllib  # type: ignore
            except ImportError:
                raise RuntimeError("building without setuptools+wheel needs Python >= 3.11 "
                                   "(tomllib) or the tomli package") from None
        with open(path, "rb") as f:
            return tomllib.load(f)["project"]

    def _names():
        p = _project()
        name = re.sub(r"[-_.]+", "_", p["name"]).lower()
        return p, name, p["version"]

    def _metadata() -> str:
        p, _, version = _names()
        lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {version}"]
        if p.get("description"):
            lines.append(f"Summary: {p['description']}")
        if p.get("requires-python"):
            lines.append(f"Requires-Python: {p['requires-python']}")
        for c in p.get("classifiers", []):
            lines.append(f"Classifier: {c}")
        body = ""
        readme = p.get("readme")
        if isinstance(readme, str) and os.path.isfile(os.path.join(HERE, readme)):
            lines.append("Description-Content-Type: text/markdown")
            with open(os.path.join(HERE, readme), encoding="utf-8") as f:
                body = "\n" + f.read()
        return "\n".join(lines) + "\n" + body

    def _package_files():
        root = os.path.join(HERE, PACKAGE)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for fn in sorted(filenames):
                if fn.endswith((".py", ".typed")):
                    full = os.path.join(dirpath, fn)
                    yield full, os.path.relpath(full, HERE).replace(os.sep, "/")

    def _digest(data: bytes) -> str:
        d = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        return "sha256=" + d.decode("ascii")

    def _write_wheel(wheel_directory: str, members: list[tuple[str, bytes]]) -> str:
        _, name, version = _names()
        dist_info = f"{name}-{version}.dist-info"
        wheel_name = f"{name}-{version}-py3-none-any.whl"
        members = list(members) + [
            (f"{dist_info}/METADATA", _metadata().encode("utf-8")),
            (f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: itsm_build\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n"),
            (f"{dist_info}/top_level.txt", (PACKAGE + "\n").encode()),
        ]
        record = "".join(f"{arc},{_digest(data)},{len(data)}\n" for arc, data in members)
        record += f"{dist_info}/RECORD,,\n"
        os.makedirs(wheel_directory, exist_ok=True)
        path = os.path.join(wheel_directory, wheel_name)
        epoch = (1980, 1, 1, 0, 0, 0)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for arc, data in members + [(f"{dist_info}/RECORD", record.encode())]:
                info = zipfile.ZipInfo(arc, date_time=epoch)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
        return wheel_name

    def get_requires_for_build_wheel(config_settings=None):
        return []

    def get_requires_for_build_sdist(config_settings=None):
        return []

    def get_requires_for_build_editable(config_settings=None):
        return []

    def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
        members = []
        for full, arc in _package_files():
            with open(full, "rb") as f:
                members.append((arc, f.read()))
        return _write_wheel(wheel_directory, members)

    def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
        _, name, _ = _names()
        pth = (HERE + "\n").encode("utf-8")
        return _write_wheel(wheel_directory, [(f"__editable__.{name}.pth", pth)])

    def build_sdist(sdist_directory, config_settings=None):
        _, name, version = _names()
        base = f"{name}-{version}"
        os.makedirs(sdist_directory, exist_ok=True)
        path = os.path.join(sdist_directory, base + ".tar.gz")
        files = ["pyproject.toml", "README.md", "CMakeLists.txt"]
        for top in (PACKAGE, "_build_backend", "tests", "examples"):
            for dirpath, dirnames, filenames in os.walk(os.path.join(HERE, top)):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
                files += [os.path.relpath(os.path.join(dirpath, f), HERE) for f in sorted(filenames)
                          if not f.endswith(".pyc")]
        with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tar:
            pkg_info = _metadata().encode("utf-8")
            ti = tarfile.TarInfo(f"{base}/PKG-INFO")
            ti.size, ti.mtime, ti.mode = len(pkg_info), int(time.time()), 0o644
            tar.addfile(ti, io.BytesIO(pkg_info))
            for rel in files:
                full = os.path.join(HERE, rel)
                if os.path.isfile(full):
                    tar.add(full, arcname=f"{base}/{rel.replace(os.sep, '/')}", recursive=False)
        return os.path.basename(path)
