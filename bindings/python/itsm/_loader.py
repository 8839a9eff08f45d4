# SPDX-License-Identifier: Apache-2.0
"""Find and load the itsm shared library, and check its version.

Lookup order:

1. ``ITSM_LIBRARY``: an explicit path to the library (or to a directory
   holding it).  When the variable is set it is the only place tried: an
   explicit choice that does not load is an error, never silently replaced
   by some other copy of the library.
2. The library the package carries: ``itsm/_lib/libitsm.so.0.2``, put there
   by the build backend when the wheel was built from a built tree.
3. The build tree: when the package sits inside an itsm source tree
   (``bindings/python/itsm`` under a directory holding ``include/itsm.h``),
   every CMake build directory directly under that tree (a directory with a
   ``CMakeCache.txt``) that holds the library; the newest one wins.
4. The system: ``ctypes.util.find_library('itsm')``, the versioned soname
   through the dynamic loader's own search (``LD_LIBRARY_PATH``, ld.so
   cache), the ``libdir`` pkg-config gives for ``itsm`` (``PKG_CONFIG_PATH``
   is honoured), then the standard library directories.

When nothing loads, :class:`LibraryNotFoundError` (an ``ImportError``)
lists every place tried and why each failed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import sysconfig

#: The library version this binding was written against.
BINDING_VERSION = (0, 2, 0)
#: The soname version (``ITSM_SOVERSION`` in CMakeLists.txt): it names the
#: release that began the ABI, and every later release of that ABI keeps it.
SOVERSION = "0.2"

ENV_VAR = "ITSM_LIBRARY"
#: The directory inside the package where a wheel carries the library.
BUNDLE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib")


class LibraryNotFoundError(ImportError):
    """The shared library could not be found or loaded.  ``tried`` lists
    ``(place, reason)`` pairs in the order they were tried."""

    def __init__(self, message: str, tried: list[tuple[str, str]]):
        super().__init__(message)
        self.tried = tried


class LibraryVersionError(ImportError):
    """The library found is not compatible with this binding."""

    def __init__(self, message: str, path: str, found: tuple[int, int, int]):
        super().__init__(message)
        self.path = path
        self.found = found


def _names() -> list[str]:
    if sys.platform == "darwin":
        return [f"libitsm.{SOVERSION}.dylib", "libitsm.dylib"]
    if sys.platform == "win32":
        return ["itsm.dll", "libitsm.dll"]
    return [f"libitsm.so.{SOVERSION}", "libitsm.so"]


def _source_root(start: str) -> str | None:
    """The itsm source tree the package sits in, if any."""
    d = os.path.dirname(os.path.abspath(start))
    for _ in range(8):
        if os.path.isfile(os.path.join(d, "include", "itsm.h")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return None


def _build_tree_candidates(start: str) -> tuple[list[str], str | None]:
    root = _source_root(start)
    if root is None:
        return [], None
    found = []
    try:
        entries = sorted(os.listdir(root))
    except OSError:
        return [], root
    for entry in entries:
        bdir = os.path.join(root, entry)
        if not os.path.isfile(os.path.join(bdir, "CMakeCache.txt")):
            continue
        for name in _names():
            path = os.path.join(bdir, name)
            if os.path.exists(path):
                found.append(path)
                break
    # The most recently built library first.
    found.sort(key=lambda p: os.path.getmtime(p), reverse=True)
    return found, root


def _system_dirs() -> list[str]:
    dirs = []
    multiarch = sysconfig.get_config_var("MULTIARCH")
    for prefix in ("/usr/local", "/usr", sys.prefix, sys.base_prefix):
        for lib in ("lib", "lib64"):
            if multiarch:
                dirs.append(os.path.join(prefix, lib, multiarch))
            dirs.append(os.path.join(prefix, lib))
    seen, out = set(), []
    for d in dirs:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def _pkg_config_libdir() -> str | None:
    """pkg-config's libdir for itsm, or None (no pkg-config, no itsm.pc)."""
    import shutil
    import subprocess
    exe = shutil.which("pkg-config")
    if exe is None:
        return None
    try:
        r = subprocess.run([exe, "--variable=libdir", "itsm"], capture_output=True,
                           text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    libdir = r.stdout.strip()
    return libdir if r.returncode == 0 and libdir else None


def _try(path: str, tried: list[tuple[str, str]], label: str | None = None) -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        tried.append((label or path, str(e) or "could not be loaded"))
        return None


def _real_path(path: str) -> str:
    """Where a library loaded by bare name really is (Linux), else the name."""
    if os.path.isabs(path):
        return path
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            for line in f:
                p = line.rstrip("\n").split(None, 5)
                if len(p) == 6 and os.path.basename(p[5]).startswith(path.split(".so")[0] + ".so"):
                    return p[5]
    except OSError:
        pass
    return path


def _check_version(lib: ctypes.CDLL, path: str) -> tuple[int, int, int]:
    try:
        fn = lib.itsm_version_number
    except AttributeError:
        raise LibraryVersionError(
            f"{path} is not an itsm library (no itsm_version_number)", path, (0, 0, 0)) from None
    fn.restype = ctypes.c_int
    fn.argtypes = []
    n = fn()
    found = (n // 10000, n // 100 % 100, n % 100)
    check_compatible(found, path)
    return found


def check_compatible(found: tuple[int, int, int], path: str = "the library") -> None:
    """Raise LibraryVersionError unless ``found`` has the binding's major
    version and at least its minor version."""
    want = BINDING_VERSION
    if found[0] != want[0] or found[1] < want[1]:
        raise LibraryVersionError(
            f"{path} is itsm {found[0]}.{found[1]}.{found[2]}, but this binding was written "
            f"for itsm {want[0]}.{want[1]}.x (needs the same major version and minor "
            f">= {want[1]})", path, found)


def load() -> tuple[ctypes.CDLL, str, str]:
    """Load the library; returns ``(CDLL, path, how)``."""
    tried: list[tuple[str, str]] = []

    explicit = os.environ.get(ENV_VAR)
    if explicit:
        paths = [explicit]
        if os.path.isdir(explicit):
            paths = [os.path.join(explicit, n) for n in _names()]
        for p in paths:
            lib = _try(p, tried)
            if lib is not None:
                _check_version(lib, p)
                return lib, p, ENV_VAR
        raise LibraryNotFoundError(
            f"could not load the itsm library from {ENV_VAR}={explicit!r} "
            f"(an explicit path is not replaced by another copy; unset {ENV_VAR} "
            f"to search the build tree and the system):\n"
            + "\n".join(f"  {p}: {why}" for p, why in tried), tried)
    tried.append((f"${ENV_VAR}", "not set"))

    bundled = [os.path.join(BUNDLE_DIR, n) for n in _names()
               if os.path.exists(os.path.join(BUNDLE_DIR, n))]
    if not bundled:
        tried.append((BUNDLE_DIR, "the package carries no library"))
    for p in bundled:
        lib = _try(p, tried)
        if lib is not None:
            _check_version(lib, p)
            return lib, p, "bundled"

    candidates, root = _build_tree_candidates(__file__)
    if root is None:
        tried.append(("build tree", "the package is not inside an itsm source tree"))
    elif not candidates:
        tried.append((f"build tree {root}/*/", "no CMake build directory there holds the library"))
    for p in candidates:
        lib = _try(p, tried)
        if lib is not None:
            _check_version(lib, p)
            return lib, p, "build tree"

    found = ctypes.util.find_library("itsm")
    if found:
        lib = _try(found, tried)
        if lib is not None:
            _check_version(lib, found)
            return lib, _real_path(found), "system"
    else:
        tried.append(("ctypes.util.find_library('itsm')", "found nothing"))
    for name in _names():
        lib = _try(name, tried, f"{name} (the dynamic loader's search)")
        if lib is not None:
            _check_version(lib, name)
            return lib, _real_path(name), "system"
    pc_libdir = _pkg_config_libdir()
    if pc_libdir is None:
        tried.append(("pkg-config --variable=libdir itsm", "no pkg-config or no itsm.pc"))
    else:
        for name in _names():
            p = os.path.join(pc_libdir, name)
            if not os.path.exists(p):
                tried.append((p, "pkg-config's libdir does not hold it"))
                continue
            lib = _try(p, tried)
            if lib is not None:
                _check_version(lib, p)
                return lib, p, "pkg-config"
    for d in _system_dirs():
        for name in _names():
            p = os.path.join(d, name)
            if not os.path.exists(p):
                continue
            lib = _try(p, tried)
            if lib is not None:
                _check_version(lib, p)
                return lib, p, "system"
    tried.append(("standard library directories", "none holds it: " + ", ".join(_system_dirs())))
    raise LibraryNotFoundError(
        "could not find the itsm shared library; tried:\n"
        + "\n".join(f"  {p}: {why}" for p, why in tried)
        + f"\nBuild it (cmake -S . -B build && cmake --build build) and pip install "
          f"./bindings/python again (the wheel then carries it), install it (cmake --install, "
          f"then ldconfig or PKG_CONFIG_PATH), or set {ENV_VAR} to its path.", tried)
