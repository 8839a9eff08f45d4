# SPDX-License-Identifier: Apache-2.0
"""Exceptions: one class per error code, all under :class:`ItsmError`.

Every failing call raises a subclass of ``ItsmError`` carrying ``code`` (the
negative ``ITSM_E*`` value), ``name`` (``"ITSM_EGUARD"``) and the engine's
message (``str(exc)``, from ``itsm_errmsg``).  Out of memory raises
:class:`OutOfMemory`, which is also a ``MemoryError``.

A store written in Python may raise :class:`Conflict` or :class:`StoreError`
itself: the engine then reports that code (its own message, with the store's
exception as ``__cause__``).  Any other exception raised in a callback is
re-raised unchanged after the C call returns.
"""
from __future__ import annotations

from . import _ffi
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import GuardNeed


class ItsmError(Exception):
    """Base class of every error the library reports.

    ``code``: the ``ITSM_E*`` value; ``name``: its symbolic name;
    ``message``: the engine's explanation (also ``str(exc)``).
    ``line``/``column``/``offset`` are set for errors a parser reports.
    """

    code: int = 0
    #: The parser's text at the error position (parse errors only).
    text: str = ""

    def __init__(self, message: str = "", *, code: int | None = None,
                 line: int | None = None, column: int | None = None,
                 offset: int | None = None):
        if code is not None:
            self.code = code
        if not message:
            message = _ffi.text(_ffi.itsm_errstr(self.code)) or ""
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset

    @property
    def name(self) -> str:
        return _ffi.text(_ffi.itsm_errname(self.code)) or "ITSM_EUNKNOWN"

    def __str__(self) -> str:
        return self.message


class OutOfMemory(ItsmError, MemoryError):
    """ITSM_ENOMEM: an allocation failed; nothing changed."""
    code = _ffi.ENOMEM


class InvalidArgument(ItsmError, ValueError):
    """ITSM_EINVAL: a bad argument (out of range, malformed, wrong field...)."""
    code = _ffi.EINVAL


class NotFound(ItsmError, LookupError):
    """ITSM_ENOTFOUND: no such record, state, event, field..."""
    code = _ffi.ENOTFOUND


class AlreadyExists(ItsmError):
    """ITSM_EEXISTS: an id or name is already taken."""
    code = _ffi.EEXISTS


class TransitionRefused(ItsmError):
    """ITSM_ETRANSITION: the lifecycle has no such transition from the
    current state."""
    code = _ffi.ETRANSITION


class GuardFailed(TransitionRefused):
    """ITSM_EGUARD: the transition exists but a guard failed.  The message
    names the state, the event and every term missing; ``missing`` holds
    them as :class:`~itsm.GuardNeed` values (a form can mark the fields)."""
    code = _ffi.EGUARD
    missing: "tuple[GuardNeed, ...]" = ()


class Conflict(ItsmError):
    """ITSM_ECONFLICT: the store holds a newer revision of the record.
    Catch up with ``Engine.load()``/``Engine.replay()`` and retry."""
    code = _ffi.ECONFLICT


class StoreError(ItsmError):
    """ITSM_ESTORE: the store failed; nothing changed."""
    code = _ffi.ESTORE


class ParseError(ItsmError):
    """ITSM_EPARSE: a document is not valid JSON or breaks its schema.
    ``line`` and ``column`` (from 1; the column counts bytes) and ``offset``
    point at the spot, ``text`` is the short reason."""
    code = _ffi.EPARSE
    text: str = ""


class LimitExceeded(ItsmError):
    """ITSM_ELIMIT: a size, depth or count limit was exceeded (a parser
    also gives ``line``/``column``)."""
    code = _ffi.ELIMIT
    text: str = ""


class PolicyError(ItsmError):
    """ITSM_EPOLICY: a policy is inconsistent; ``findings`` lists why."""
    code = _ffi.EPOLICY
    findings: list[str] = []


class StateError(ItsmError):
    """ITSM_ESTATE: not allowed in the object's current state (a closed
    record, a closed engine, a call from inside the engine's own callback)."""
    code = _ffi.ESTATE


class UserError(ItsmError):
    """ITSM_EUSER: a host callback failed without a Python exception to
    re-raise (raised by a callback itself, or by a foreign callback)."""
    code = _ffi.EUSER


class ClockError(ItsmError):
    """ITSM_ECLOCK: the clock reads a time before the record's last event
    (the message names both times); nothing changed."""
    code = _ffi.ECLOCK


class TamperedStore(ItsmError):
    """ITSM_ETAMPER: a stored event does not match its record's hash chain:
    the store was changed outside the library. The message names the
    record and revision of the first broken link (docs/events.md)."""
    code = _ffi.ETAMPER


_BY_CODE = {cls.code: cls for cls in (
    OutOfMemory, InvalidArgument, NotFound, AlreadyExists, TransitionRefused, GuardFailed,
    Conflict, StoreError, ParseError, LimitExceeded, PolicyError, StateError, UserError, ClockError,
    TamperedStore)}


def error_class(code: int) -> type[ItsmError]:
    return _BY_CODE.get(code, ItsmError)


def make_error(code: int, message: str = "", **kw: Any) -> ItsmError:
    cls = error_class(code)
    err = cls(message, code=code, **kw)
    return err


def from_parse_error(code: int, message: str, perr: Any) -> ItsmError:
    """An error of a parsing call, with the position from the C struct."""
    if code in (_ffi.EPARSE, _ffi.ELIMIT) and perr is not None and perr.line:
        err = make_error(code, message, line=perr.line, column=perr.column, offset=perr.offset)
        err.text = perr.text.decode("utf-8", "replace")
        return err
    return make_error(code, message)
