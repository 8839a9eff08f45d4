# SPDX-License-Identifier: Apache-2.0
"""datetime <-> itsm_time (whole seconds since the epoch, UTC)."""
from __future__ import annotations

import datetime as _dt
import math
from typing import Optional, Union

from . import _ffi

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = _dt.timedelta(seconds=1)


#: What the binding takes as a time: an aware datetime, or seconds since
#: the epoch (UTC) as an int or a float (``time.time()``).
TimeLike = Union[_dt.datetime, int, float]


def _not_none(t: int, shown: str, what: str) -> int:
    """One second before 1970 is ITSM_TIME_NONE to the library, "no time":
    it would clear a time, or stand for the engine's clock, silently.  It is
    outside the library's range, so say so (other times out of range are
    the library's to refuse)."""
    if t == _ffi.TIME_NONE:
        from .errors import InvalidArgument
        raise InvalidArgument(f"{what} {shown} is outside 1970..9999", code=_ffi.EINVAL)
    return t


def to_c(value: object, what: str = "time") -> int:
    """An aware datetime, or seconds since the epoch (int or float), as
    itsm_time: whole UTC seconds, fractions dropped (rounded down).

    A naive datetime is refused with TypeError: Python's convention reads
    it as local time, the library counts in UTC, and guessing either way
    would shift deadlines silently.  bool is refused too (it is an int to
    Python, never a time here)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise TypeError(f"{what} is a naive datetime ({value.isoformat()}); give an aware "
                            f"one, e.g. datetime.now(timezone.utc) or dt.replace(tzinfo=...), "
                            f"or seconds since the epoch")
        return _not_none((value - EPOCH) // _SECOND, value.isoformat(), what)
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a datetime or seconds since the epoch, not bool")
    if isinstance(value, float):
        if not math.isfinite(value):
            from .errors import InvalidArgument
            raise InvalidArgument(f"{what} {value} is not a time", code=_ffi.EINVAL)
        value = math.floor(value)
    if isinstance(value, int):
        if not -(2 ** 63) <= value < 2 ** 63:
            from .errors import InvalidArgument
            raise InvalidArgument(f"{what} {value} does not fit in 64 bits", code=_ffi.EINVAL)
        return _not_none(value, str(value), what)
    raise TypeError(f"{what} must be a datetime or seconds since the epoch, "
                    f"not {type(value).__name__}")


def to_c_optional(value: object, what: str = "time") -> int:
    return _ffi.TIME_NONE if value is None else to_c(value, what)


def from_c(t: Optional[int]) -> Optional[_dt.datetime]:
    """An itsm_time as an aware UTC datetime; None for ITSM_TIME_NONE."""
    if t == _ffi.TIME_NONE or t is None:
        return None
    return EPOCH + _dt.timedelta(seconds=t)


def from_c_required(t: int) -> _dt.datetime:
    """:func:`from_c` of a time the library always sets (a report's period,
    an acknowledgement): never ITSM_TIME_NONE there."""
    out = from_c(t)
    assert out is not None
    return out
