# SPDX-License-Identifier: Apache-2.0
"""datetime <-> itsm_time (whole seconds since the epoch, UTC)."""
from __future__ import annotations

import datetime as _dt

from . import _ffi

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = _dt.timedelta(seconds=1)


def to_c(value, what: str = "time") -> int:
    """A datetime (naive means UTC; fractions of a second are dropped) or
    whole seconds since the epoch, as itsm_time."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=UTC)
        return (value - EPOCH) // _SECOND
    if isinstance(value, int) and not isinstance(value, bool):
        if not -(2 ** 63) <= value < 2 ** 63:
            from .errors import InvalidArgument
            raise InvalidArgument(f"{what} {value} does not fit in 64 bits", code=_ffi.EINVAL)
        return value
    raise TypeError(f"{what} must be a datetime or seconds since the epoch, "
                    f"not {type(value).__name__}")


def to_c_optional(value, what: str = "time") -> int:
    return _ffi.TIME_NONE if value is None else to_c(value, what)


def from_c(t: int) -> _dt.datetime | None:
    """An itsm_time as an aware UTC datetime; None for ITSM_TIME_NONE."""
    if t == _ffi.TIME_NONE or t is None:
        return None
    return EPOCH + _dt.timedelta(seconds=t)
