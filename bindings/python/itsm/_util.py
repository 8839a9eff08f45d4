# SPDX-License-Identifier: Apache-2.0
"""Argument conversion shared by the modules."""
from __future__ import annotations

import ctypes
import difflib
import operator
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, SupportsIndex, cast

from . import _ffi
from ._time import to_c_optional
from .errors import InvalidArgument

INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1
UINT32_MAX = 2 ** 32 - 1


# ---- integers for C --------------------------------------------------------
# ctypes stores a Python int into a c_int / c_uint / c_int32 member or
# argument modulo 2**N without a word, so 2**32 + 1 would reach the library
# as 1 and pass its own checks.  Every integer the caller gives goes through
# one of these, named by the C type it lands in.

def _ranged(value: object, what: str, lo: int, hi: int) -> int:
    # bool is an int to Python, never a number here; operator.index takes
    # int-likes (numpy integers) and refuses floats and str.
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int, not bool")
    try:
        n = operator.index(cast(SupportsIndex, value))
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None
    if not lo <= n <= hi:
        raise InvalidArgument(f"{what} {n} is outside {lo}..{hi}", code=_ffi.EINVAL)
    return n


def as_int(value: object, what: str) -> int:
    """An int for a C ``int`` (32 bits on every platform the library builds for)."""
    return _ranged(value, what, INT32_MIN, INT32_MAX)


def as_unsigned(value: object, what: str) -> int:
    """An int for a C ``unsigned`` (32 bits)."""
    return _ranged(value, what, 0, UINT32_MAX)


def as_int32(value: object, what: str) -> int:
    """An int for an ``int32_t``."""
    return _ranged(value, what, INT32_MIN, INT32_MAX)


def as_uint32(value: object, what: str) -> int:
    """An int for a ``uint32_t``."""
    return _ranged(value, what, 0, UINT32_MAX)


def as_int64(value: object, what: str) -> int:
    """An int for an ``int64_t``."""
    return _ranged(value, what, INT64_MIN, INT64_MAX)


def as_flag(value: object, what: str) -> int:
    """A bool for a C int flag (0 or 1).  Only a bool: "no" and 2 are
    truthy, and a flag that takes them would read them as yes."""
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, not {type(value).__name__}")
    return int(value)


def as_size(value: object, what: str) -> int:
    """An int for a ``size_t`` (a count or an index: never negative)."""
    return _ranged(value, what, 0, 2 ** (8 * ctypes.sizeof(ctypes.c_size_t)) - 1)


def ptr_of(out: ctypes.c_void_p) -> int:
    """The address an out-parameter received (the call succeeded)."""
    assert out.value is not None
    return out.value


def cstr(value: object, what: str) -> bytes:
    """A Python str as the NUL-terminated UTF-8 the library takes.  A NUL
    inside would silently cut the C string short, so it is refused here."""
    if isinstance(value, bytes):
        b = value
    elif isinstance(value, str):
        try:
            b = value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidArgument(f"{what} is not valid UTF-8 ({e.reason})",
                                  code=_ffi.EINVAL) from None
    else:
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if b"\0" in b:
        raise InvalidArgument(f"{what} contains a NUL character", code=_ffi.EINVAL)
    return b


def doc_bytes(value: object, what: str) -> bytes:
    """A document or text passed with its length (JSON, a condition): UTF-8
    of a str, or the bytes as given.  Anything else is a TypeError (bytes(5)
    would be five NULs), a str that is not UTF-8 (a lone surrogate) is
    InvalidArgument, as for every other text."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidArgument(f"{what} is not valid UTF-8 ({e.reason})",
                                  code=_ffi.EINVAL) from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be a str or bytes, not {type(value).__name__}")


def cstr_optional(value: object, what: str) -> bytes | None:
    return None if value is None else cstr(value, what)


@dataclass(frozen=True)
class FieldInfo:
    """A record field as the library describes it."""
    id: int
    name: str
    type: str            # "text", "symbol", "int", "bool", "time", "enum"
    engine_owned: bool   # maintained by the engine; read-only


_TYPE_NAMES = {_ffi.TYPE_TEXT: "text", _ffi.TYPE_SYMBOL: "symbol", _ffi.TYPE_INT: "int",
               _ffi.TYPE_BOOL: "bool", _ffi.TYPE_TIME: "time", _ffi.TYPE_ENUM: "enum"}


def type_name(code: int) -> str:
    return _TYPE_NAMES.get(code, str(code))


def type_code(name: str) -> int:
    for code, n in _TYPE_NAMES.items():
        if n == name:
            return code
    raise InvalidArgument(f"unknown field type '{name}' (one of: {', '.join(_TYPE_NAMES.values())})",
                          code=_ffi.EINVAL)


def custom_fields(policy_ptr: int) -> dict[str, FieldInfo]:
    """The custom fields a C policy declares, by name, in declaration order."""
    out = {}
    for i in range(int(_ffi.itsm_policy_field_count(policy_ptr))):
        fid = _ffi.F_CUSTOM_FIRST + i
        name = _ffi.text(_ffi.itsm_policy_field_name(policy_ptr, fid))
        if name is not None:
            out[name] = FieldInfo(fid, name, type_name(_ffi.itsm_policy_field_type(policy_ptr, fid)), False)
    return out


def _load_fields() -> dict[str, FieldInfo]:
    out = {}
    i = 0
    while True:
        name = _ffi.text(_ffi.itsm_field_name(i))
        if name is None:
            break
        t = _ffi.itsm_field_type_of(i)
        out[name] = FieldInfo(i, name, _TYPE_NAMES.get(t, str(t)),
                              bool(_ffi.itsm_field_is_engine_owned(i)))
        i += 1
    return out


#: Every record field the loaded library knows, by name, in C order.
FIELDS: dict[str, FieldInfo] = _load_fields()


def field_info(name: str, custom: Mapping[str, FieldInfo] | None = None) -> FieldInfo:
    """A built-in field, or one of ``custom`` (an engine's declared fields)."""
    info = FIELDS.get(name) or (custom.get(name) if custom else None)
    if info is not None:
        return info
    known = list(FIELDS) + list(custom or ())
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise InvalidArgument(f"unknown field '{name}'{hint}", code=_ffi.EINVAL)


def _kind_names() -> dict[str, int]:
    out = {}
    for k in range(1, 64):
        n = _ffi.text(_ffi.itsm_kind_name(k))
        if n is None:
            break
        out[n] = k
    return out


#: Record kinds: name -> C value ("incident": 1, ...).
KINDS: dict[str, int] = _kind_names()


def kind_code(kind: object) -> int:
    if isinstance(kind, str):
        out = ctypes.c_int(0)
        if _ffi.itsm_kind_from_name(ctypes.byref(out), cstr(kind, "kind")) != _ffi.OK:
            raise InvalidArgument(f"unknown record kind '{kind}' (one of: {', '.join(KINDS)})",
                                  code=_ffi.EINVAL)
        return int(out.value)
    if isinstance(kind, int) and not isinstance(kind, bool):
        return as_int(kind, "kind")
    raise TypeError(f"kind must be a str such as 'incident', not {type(kind).__name__}")


def kind_mask(kinds: Iterable[object], what: str) -> int:
    """Record kinds as the bits (1u << kind) of an ``unsigned``: each a name
    or the C value of a known kind; a value of no kind is refused (its bit
    would select nothing, or fall off the 32 bits and select every kind)."""
    bits = 0
    for k in kinds:
        code = kind_code(k)
        if code not in KINDS.values():
            raise InvalidArgument(f"{what}: {k!r} is no record kind (one of: {', '.join(KINDS)}, "
                                  f"or {min(KINDS.values())}..{max(KINDS.values())})", code=_ffi.EINVAL)
        bits |= 1 << code
    return bits


def kind_name(code: int) -> str:
    return _ffi.text(_ffi.itsm_kind_name(code)) or str(code)


def changes(fields: Mapping[str, object],
            custom: Mapping[str, FieldInfo] | None = None) -> tuple[Any, int, list[bytes | None]]:
    """Field values as an itsm_change array: (array, count, keep-alive).
    ``custom``: the engine's declared fields, beside the built-in ones."""
    n = len(fields)
    arr = (_ffi.Change * max(n, 1))()
    keep: list[bytes | None] = []
    for i, (name, value) in enumerate(fields.items()):
        info = field_info(name, custom)
        c = arr[i]
        c.field = info.id
        if info.type in ("text", "symbol", "enum"):
            b = cstr_optional(value, f"field '{name}'")
            keep.append(b)
            c.str = b
        elif info.type == "time":
            c.num = to_c_optional(value, f"field '{name}'")
        else:
            if value is None:
                num = 0
            elif info.type == "bool" and isinstance(value, bool):
                num = int(value)
            elif info.type == "int" and isinstance(value, int) and not isinstance(value, bool):
                num = value       # bool is an int to Python, never a number here
            else:
                raise TypeError(f"field '{name}' takes {'a bool' if info.type == 'bool' else 'an int'}, "
                                f"not {type(value).__name__}")
            if not INT64_MIN <= num <= INT64_MAX:
                raise InvalidArgument(f"field '{name}' value {num} does not fit in 64 bits",
                                      code=_ffi.EINVAL)
            c.num = num
    return arr, n, keep


def seconds(value: object, what: str) -> int:
    """A duration (timedelta or whole seconds) as int seconds."""
    import datetime as _dt
    if isinstance(value, _dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"{what} must be a timedelta or seconds, not {type(value).__name__}")


def seconds_optional(value: object, what: str) -> int:
    return 0 if value is None else seconds(value, what)


def packet_kind_code(kind: object) -> int:
    """A packet kind name ("desk_to_major") as its C value."""
    if isinstance(kind, int) and not isinstance(kind, bool):
        return as_int(kind, "packet kind")
    out = ctypes.c_int(0)
    if _ffi.itsm_packet_kind_from_name(ctypes.byref(out), cstr(kind, "packet kind")) != _ffi.OK:
        names = [n for n in (_ffi.text(_ffi.itsm_packet_kind_name(k)) for k in range(1, 6)) if n]
        raise InvalidArgument(f"unknown packet kind {kind!r} (one of: {', '.join(names)})",
                              code=_ffi.EINVAL)
    return out.value
