# SPDX-License-Identifier: Apache-2.0
"""The ctypes layouts of ``itsm._ffi`` are the C headers' layouts.

Every ``typedef struct NAME { ... } NAME;`` of ``include/itsm`` is read from
the headers, a small C program printing ``offsetof``/``sizeof`` of each
member and struct is compiled against them and run, and the result is
compared with ctypes' view of the class bound to it: same members in the same
order, at the same offsets, with the same sizes, and the same struct size.
Integer constants of ``_ffi`` named after a header's ``#define ITSM_*``
(``ENGINE_OPTS_VERSION`` for ``ITSM_ENGINE_OPTS_VERSION``) must have its
value.  A header struct the binding does not bind fails the test unless it
is listed in ``NOT_BOUND`` with the reason.

ctest passes the compiler (``ITSM_CC``) and the headers (``ITSM_INCLUDE_DIR``);
run by hand, ``cc`` and the source tree's ``include/`` are used.
"""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from _support import PKG_ROOT
from itsm import _ffi

#: C struct -> the _ffi class holding its layout, where the name is not
#: the CamelCase of the C name without ``itsm_``.
CLASS_OF = {
    "itsm_parse_error": "ParseErrorStruct",
    "itsm_timeline_entry": "TimelineEntryStruct",
    "itsm_link": "LinkStruct",
    "itsm_field_change": "FieldChangeStruct",
    "itsm_guard_need": "GuardNeedStruct",
    "itsm_allowed_event": "AllowedEventStruct",
}

#: Header structs the binding deliberately does not bind, with the reason.
NOT_BOUND: dict[str, str] = {}

#: Headers of the separately installed store libraries (libitsm-sqlite,
#: libitsm-pg): their structs are checked when _ffi binds them, and not
#: required otherwise.
OPTIONAL_DIRS = ("stores",)


def include_dir() -> str:
    env = os.environ.get("ITSM_INCLUDE_DIR")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.dirname(PKG_ROOT)), "include")


def compiler() -> str | None:
    return os.environ.get("ITSM_CC") or shutil.which("cc") or shutil.which("gcc") \
        or shutil.which("clang")


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside parentheses and brackets."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def member_names(body: str) -> list[str]:
    names = []
    for decl in _split_top(body, ";"):
        decl = " ".join(decl.split())
        if not decl:
            continue
        fn = re.search(r"\(\s*\*\s*(\w+)\s*\)\s*\(", decl)
        if fn:
            names.append(fn.group(1))
            continue
        for part in _split_top(decl, ","):
            part = re.sub(r"\[[^\]]*\]", "", part).strip()
            m = re.search(r"(\w+)\s*$", part)
            if m:
                names.append(m.group(1))
    return names


def headers(inc: str) -> list[str]:
    """Every public header, relative to `inc` ("itsm/record.h", ...)."""
    out = []
    for root, _dirs, files in os.walk(os.path.join(inc, "itsm")):
        out += [os.path.relpath(os.path.join(root, f), inc).replace(os.sep, "/")
                for f in files if f.endswith(".h")]
    return sorted(out)


def optional_header(rel: str) -> bool:
    return rel.split("/")[1] in OPTIONAL_DIRS


def header_structs(inc: str) -> dict[str, tuple[list[str], str]]:
    """Every public struct: its members, in declaration order, and its header."""
    structs: dict[str, tuple[list[str], str]] = {}
    for rel in headers(inc):
        with open(os.path.join(inc, rel), encoding="utf-8") as fh:
            text = _strip_comments(fh.read())
        for m in re.finditer(r"typedef\s+struct\s+(\w+)\s*\{", text):
            depth, i = 1, m.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            body = text[m.end():i - 1]
            tail = re.match(r"\s*(\w+)\s*;", text[i:])
            if tail and tail.group(1) == m.group(1):
                structs[m.group(1)] = (member_names(body), rel)
    return structs


def header_constants(inc: str) -> dict[str, int]:
    consts = {}
    for root, _dirs, files in os.walk(os.path.join(inc, "itsm")):
        for f in files:
            if f.endswith(".h"):
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    for m in re.finditer(r"^#define\s+ITSM_(\w+)\s+\(?(-?\d+)\)?\s*$", fh.read(),
                                         re.M):
                        consts[m.group(1)] = int(m.group(2))
    return consts


def c_layouts(cc: str, inc: str, structs: dict[str, tuple[list[str], str]]) -> dict[str, dict]:
    """{struct: {"size": n, "members": [(name, offset, size), ...]}} from C."""
    lines = ["#include <stddef.h>", "#include <stdio.h>"]
    lines += [f"#include <{rel}>" for rel in headers(inc)]
    lines += [
             "#define M(s, m) printf(\"%s %s %zu %zu\\n\", #s, #m, offsetof(s, m), "
             "sizeof(((s *)0)->m));",
             "int main(void) {"]
    for s, (members, _rel) in structs.items():
        lines.append(f'    printf("%s - 0 %zu\\n", "{s}", sizeof({s}));')
        lines += [f"    M({s}, {m})" for m in members]
    lines += ["    return 0;", "}"]
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "layout.c"), os.path.join(tmp, "layout")
        with open(src, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        # Plain tools: not the sanitizer runtime the suite may preload.
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        r = subprocess.run([cc, "-std=c11", "-I", inc, "-o", exe, src], capture_output=True,
                           text=True, timeout=120, env=env)
        if r.returncode != 0:
            raise AssertionError(f"the layout program did not compile:\n{r.stderr}")
        out = subprocess.run([exe], capture_output=True, text=True, check=True, timeout=60,
                             env=env).stdout
    res: dict[str, dict] = {}
    for line in out.splitlines():
        s, m, off, size = line.split()
        entry = res.setdefault(s, {"size": 0, "members": []})
        if m == "-":
            entry["size"] = int(size)
        else:
            entry["members"].append((m, int(off), int(size)))
    return res


def ctypes_layout(cls) -> dict:
    members = []
    for f in cls._fields_:
        name = f[0]
        d = getattr(cls, name)
        members.append((name.rstrip("_"), d.offset, d.size))
    return {"size": ctypes.sizeof(cls), "members": members}


def class_name(struct: str) -> str:
    return CLASS_OF.get(struct) or "".join(p.capitalize() for p in struct[5:].split("_"))


class LayoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.inc = include_dir()
        if not os.path.isfile(os.path.join(cls.inc, "itsm.h")):
            raise unittest.SkipTest(f"no itsm headers at {cls.inc}")
        cls.cc = compiler()
        if not cls.cc:
            raise unittest.SkipTest("no C compiler (set ITSM_CC)")
        cls.structs = header_structs(cls.inc)
        cls.c = c_layouts(cls.cc, cls.inc, cls.structs)

    def test_the_headers_are_read(self):
        # A parser that found nothing would make every other test vacuous.
        self.assertGreaterEqual(len(self.structs), 30)
        self.assertEqual(self.structs["itsm_allocator"][0],
                         ["malloc_fn", "realloc_fn", "free_fn", "user"])
        self.assertEqual(self.structs["itsm_calendar_def"][0][:5],
                         ["version", "name", "utc_offset", "start", "end"])

    def test_every_struct_has_the_c_layout(self):
        problems = []
        for struct in sorted(self.structs):
            if struct in NOT_BOUND:
                continue
            cls = getattr(_ffi, class_name(struct), None)
            if cls is None and optional_header(self.structs[struct][1]):
                continue
            if cls is None:
                problems.append(f"{struct}: no ctypes class _ffi.{class_name(struct)} (bind it, "
                                f"or list it in NOT_BOUND with the reason)")
                continue
            want, have = self.c[struct], ctypes_layout(cls)
            if want["members"] != have["members"]:
                problems.append(f"{struct} vs _ffi.{cls.__name__}:\n  C:      {want['members']}"
                                f"\n  ctypes: {have['members']}")
            if want["size"] != have["size"]:
                problems.append(f"{struct}: sizeof {want['size']} in C, {have['size']} in ctypes")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_constants_match_the_headers(self):
        problems = []
        for name, value in sorted(header_constants(self.inc).items()):
            have = getattr(_ffi, name, None)
            if isinstance(have, int) and have != value:
                problems.append(f"_ffi.{name} = {have}, the header says {value}")
        self.assertEqual(problems, [])
        self.assertEqual(_ffi.ENGINE_OPTS_VERSION, header_constants(self.inc)["ENGINE_OPTS_VERSION"])

    def test_a_drifted_layout_is_noticed(self):
        # The comparison itself: a class missing a member does not pass.
        class Drifted(ctypes.Structure):
            _fields_ = [("size", ctypes.c_size_t), ("kind", ctypes.c_int)]
        self.assertNotEqual(self.c["itsm_link"]["members"], ctypes_layout(Drifted)["members"])


if __name__ == "__main__":
    unittest.main()
