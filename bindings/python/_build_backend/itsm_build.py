# SPDX-License-Identifier: Apache-2.0
"""PEP 517 build backend of the itsm Python binding, standard library only.

It needs nothing to be installed (no setuptools, no `wheel`, no index), so
``pip install ./bindings/python`` works offline and gives the same wheel on
every machine.  Metadata comes from pyproject.toml's [project] table.

The wheel carries the C library it was built against, so the installed
package imports anywhere: ``itsm/_lib/libitsm.so.0.2``, tagged for this
platform.  Which library (first that applies):

1. the config setting ``library`` (``pip install -C library=PATH``): a path
   to the library or to a directory holding it; ``library=none`` builds a
   pure-Python wheel that looks for an installed libitsm at import time
   (the loader's path, pkg-config, the standard directories);
2. ``ITSM_LIBRARY``, as the binding itself reads it;
3. the build tree: the newest CMake build directory at the top of the itsm
   source tree that holds the library (what ``cmake --build build`` made);
4. none found: a pure-Python wheel, and a line on stderr saying so.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import os
import re
import sys
import sysconfig
import tarfile
import time
import zipfile
from typing import Any, Optional

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "itsm"
#: Where the carried library goes inside the package (read by itsm/_loader.py).
BUNDLE_DIR = "_lib"


def _project() -> dict[str, Any]:
    path = os.path.join(HERE, "pyproject.toml")
    try:
        import tomllib
    except ImportError:              # Python < 3.11
        try:
            import tomli as tomllib  # type: ignore
        except ImportError:
            raise RuntimeError("building the itsm wheel needs Python >= 3.11 (tomllib) "
                               "or the tomli package") from None
    with open(path, "rb") as f:
        project: dict[str, Any] = tomllib.load(f)["project"]
    return project


def _names() -> tuple[dict[str, Any], str, str]:
    p = _project()
    name = re.sub(r"[-_.]+", "_", p["name"]).lower()
    return p, name, p["version"]


def _metadata() -> str:
    p, _, version = _names()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {version}"]
    if p.get("description"):
        lines.append(f"Summary: {p['description']}")
    lic = p.get("license")
    if isinstance(lic, dict) and lic.get("text"):
        lines.append(f"License: {lic['text']}")
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


def _package_files() -> list[tuple[str, str]]:
    out = []
    root = os.path.join(HERE, PACKAGE)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", BUNDLE_DIR))
        for fn in sorted(filenames):
            if fn.endswith((".py", ".typed")):
                full = os.path.join(dirpath, fn)
                out.append((full, os.path.relpath(full, HERE).replace(os.sep, "/")))
    return out


def _licence_files() -> list[tuple[str, str]]:
    """LICENSE and NOTICE of the source tree, for the wheel's dist-info."""
    root = os.path.dirname(os.path.dirname(HERE))
    return [(os.path.join(root, n), n) for n in ("LICENSE", "NOTICE")
            if os.path.isfile(os.path.join(root, n))]


def _loader_module() -> Any:
    """itsm/_loader.py on its own (importing the package would load a library)."""
    spec = importlib.util.spec_from_file_location("_itsm_build_loader",
                                                  os.path.join(HERE, PACKAGE, "_loader.py"))
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _find_library(config_settings: Optional[dict[str, Any]]) -> tuple[Optional[str], str]:
    """(path of the library to carry or None, how it was chosen)."""
    loader = _loader_module()
    setting = (config_settings or {}).get("library")
    for value, how in ((setting, "config setting library"), (os.environ.get("ITSM_LIBRARY"), "ITSM_LIBRARY")):
        if not value:
            continue
        if value == "none":
            return None, f"{how}=none"
        paths = [value]
        if os.path.isdir(value):
            paths = [os.path.join(value, n) for n in loader._names()]
        for p in paths:
            if os.path.isfile(p):
                return os.path.realpath(p), f"{how}={value}"
        raise RuntimeError(f"{how}={value!r}: no itsm library there")
    candidates, root = loader._build_tree_candidates(os.path.join(HERE, PACKAGE, "_loader.py"))
    if candidates:
        return os.path.realpath(candidates[0]), f"the build tree ({os.path.dirname(candidates[0])})"
    where = f"no CMake build directory under {root} holds it" if root else "not inside an itsm source tree"
    return None, where


def _platform_tag() -> str:
    return re.sub(r"[-.]", "_", sysconfig.get_platform())


def _digest(data: bytes) -> str:
    d = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + d.decode("ascii")


def _write_wheel(wheel_directory: str, members: list[tuple[str, bytes]],
                 platform: Optional[str] = None) -> str:
    _, name, version = _names()
    dist_info = f"{name}-{version}.dist-info"
    tag = f"py3-none-{platform}" if platform else "py3-none-any"
    wheel_name = f"{name}-{version}-{tag}.whl"
    purelib = "false" if platform else "true"
    members = list(members) + [
        (f"{dist_info}/METADATA", _metadata().encode("utf-8")),
        (f"{dist_info}/WHEEL", (f"Wheel-Version: 1.0\nGenerator: itsm_build\n"
                                f"Root-Is-Purelib: {purelib}\nTag: {tag}\n").encode()),
        (f"{dist_info}/top_level.txt", (PACKAGE + "\n").encode()),
    ]
    for full, base in _licence_files():
        with open(full, "rb") as f:
            members.append((f"{dist_info}/licenses/{base}", f.read()))
    record = "".join(f"{arc},{_digest(data)},{len(data)}\n" for arc, data in members)
    record += f"{dist_info}/RECORD,,\n"
    os.makedirs(wheel_directory, exist_ok=True)
    path = os.path.join(wheel_directory, wheel_name)
    epoch = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in members + [(f"{dist_info}/RECORD", record.encode())]:
            info = zipfile.ZipInfo(arc, date_time=epoch)
            mode = 0o755 if f"/{BUNDLE_DIR}/" in arc else 0o644
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return wheel_name


def get_requires_for_build_wheel(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[dict[str, Any]] = None) -> list[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[dict[str, Any]] = None,
                metadata_directory: Optional[str] = None) -> str:
    members = []
    for full, arc in _package_files():
        with open(full, "rb") as f:
            members.append((arc, f.read()))
    lib, how = _find_library(config_settings)
    platform = None
    if lib is not None:
        loader = _loader_module()
        with open(lib, "rb") as f:
            members.append((f"{PACKAGE}/{BUNDLE_DIR}/{loader._names()[0]}", f.read()))
        platform = _platform_tag()
        print(f"itsm wheel: carries {lib} (from {how})", file=sys.stderr)
    else:
        print(f"itsm wheel: pure Python, no library carried ({how}); the installed package "
              f"looks for an installed libitsm when imported", file=sys.stderr)
    return _write_wheel(wheel_directory, members, platform)


def build_editable(wheel_directory: str, config_settings: Optional[dict[str, Any]] = None,
                   metadata_directory: Optional[str] = None) -> str:
    # The package stays in the source tree and finds the build tree's library.
    _, name, _ = _names()
    pth = (HERE + "\n").encode("utf-8")
    return _write_wheel(wheel_directory, [(f"__editable__.{name}.pth", pth)])


def build_sdist(sdist_directory: str, config_settings: Optional[dict[str, Any]] = None) -> str:
    _, name, version = _names()
    base = f"{name}-{version}"
    os.makedirs(sdist_directory, exist_ok=True)
    path = os.path.join(sdist_directory, base + ".tar.gz")
    files = ["pyproject.toml", "README.md", "CMakeLists.txt"]
    for top in (PACKAGE, "_build_backend", "tests", "examples"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(HERE, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", BUNDLE_DIR))
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


__all__ = ["build_wheel", "build_sdist", "build_editable", "get_requires_for_build_wheel",
           "get_requires_for_build_sdist", "get_requires_for_build_editable"]
