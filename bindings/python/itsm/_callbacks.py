# SPDX-License-Identifier: Apache-2.0
"""The trampolines: the store, clock, sink and allocator an
:class:`~itsm.Engine` is given, as the C function pointers the library
calls.

An exception raised in a callback never crosses the C frames: the
trampoline keeps it on the engine's :class:`_CallState` and returns the
library's user-error code (``ITSM_EUSER``; NULL for an allocation,
``ITSM_TIME_NONE`` for the clock, nothing for the sink); the engine
re-raises it once the C call has returned (see :mod:`itsm.engine`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Callable

from . import _ffi
from ._time import TimeLike, from_c, to_c
from ._util import doc_bytes
from .alloc import Allocator
from .errors import InvalidArgument, ItsmError
from .types import Event


class _CallState:
    """What the trampolines share with the engine: the exception a callback
    raised, the store error to chain, and whether the engine is gone.  The
    trampolines reference this, never the Engine, so no reference cycle
    keeps an engine alive."""
    __slots__ = ("pending", "cause", "closed")

    def __init__(self) -> None:
        self.pending: BaseException | None = None
        self.cause: BaseException | None = None
        self.closed = False

    def keep(self, exc: BaseException) -> None:
        if self.pending is None:        # the first failure is the one to report
            self.pending = exc


def _store_trampolines(store: Any, st: _CallState) -> tuple[Any, Any]:
    def append(user: Any, evs: Any, n: int) -> int:
        if st.closed:
            return _ffi.EUSER
        try:
            store.append(Event._batch(evs, n))
            return _ffi.OK
        except ItsmError as e:
            if e.code in (_ffi.ECONFLICT, _ffi.ESTORE):
                st.cause = e            # the engine reports its own error, from this one
                return int(e.code)
            st.keep(e)
            return _ffi.EUSER
        except BaseException as e:     # noqa: B902 - nothing may cross the C frames
            st.keep(e)
            return _ffi.EUSER

    scan_method: Callable[[], Iterable[str | bytes]] | None = getattr(store, "scan", None)
    if scan_method is None or not callable(scan_method):
        return _ffi.APPEND_FN(append), _ffi.SCAN_FN()  # type: ignore[call-overload]

    def scan(user: Any, emit: Any, ctx: Any) -> int:
        if st.closed:
            return _ffi.EUSER
        it = None
        try:
            assert scan_method is not None
            it = iter(scan_method())
            for doc in it:
                b = doc_bytes(doc, "a stored event")
                rc = int(emit(ctx, b, len(b)))
                if rc != _ffi.OK:
                    return rc
            return _ffi.OK
        except BaseException as e:     # noqa: B902
            st.keep(e)
            return _ffi.EUSER
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                try:
                    close()
                except BaseException as e:   # noqa: B902
                    st.keep(e)

    return _ffi.APPEND_FN(append), _ffi.SCAN_FN(scan)


def _read_record_trampoline(store: Any, st: _CallState) -> Any:
    """The store table's read_record over the store's optional
    ``read_record(record_id) -> iterable of str``: one record's events."""
    method: Callable[[str], Iterable[str | bytes]] | None = getattr(store, "read_record", None)
    if method is None or not callable(method):
        return _ffi.READ_RECORD_FN()  # type: ignore[call-overload]

    def read(user: Any, record_id: bytes, emit: Any, ctx: Any) -> int:
        if st.closed:
            return _ffi.EUSER
        it = None
        try:
            assert method is not None
            it = iter(method(record_id.decode("utf-8")))
            for doc in it:
                b = doc_bytes(doc, "a stored event")
                rc = int(emit(ctx, b, len(b)))
                if rc != _ffi.OK:
                    return rc
            return _ffi.OK
        except BaseException as e:     # noqa: B902
            st.keep(e)
            return _ffi.EUSER
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                try:
                    close()
                except BaseException as e:   # noqa: B902
                    st.keep(e)

    return _ffi.READ_RECORD_FN(read)


def _group_trampoline(store: Any, st: _CallState) -> Any:
    """The store table's group slot over the store's optional
    ``group(op)``: op is stores.GROUP_BEGIN, GROUP_COMMIT or GROUP_ABORT;
    raising reports the failure (Conflict and StoreError by their codes)."""
    method: Callable[[int], None] | None = getattr(store, "group", None)
    if method is None or not callable(method):
        return _ffi.GROUP_FN()  # type: ignore[call-overload]

    def group(user: Any, op: int) -> int:
        if st.closed:
            return _ffi.EUSER
        try:
            assert method is not None
            method(int(op))
            return _ffi.OK
        except ItsmError as e:
            if e.code in (_ffi.ECONFLICT, _ffi.ESTORE):
                st.cause = e
                return e.code
            st.keep(e)
            return _ffi.EUSER
        except BaseException as e:     # noqa: B902
            st.keep(e)
            return _ffi.EUSER

    return _ffi.GROUP_FN(group)


def _clock_trampoline(clock: Callable[[], TimeLike], st: _CallState) -> Any:
    def read(user: Any) -> int:
        if st.closed:
            return _ffi.TIME_NONE
        try:
            t = to_c(clock(), "the clock's value")
            if not _ffi.TIME_MIN <= t <= _ffi.TIME_MAX:
                raise InvalidArgument(f"the clock returned {from_c(t) if t >= 0 else t}, "
                                      f"outside 1970..9999", code=_ffi.EINVAL)
            return t
        except BaseException as e:     # noqa: B902
            st.keep(e)
            # Out of range on purpose: the engine refuses the change (EINVAL)
            # and the binding raises the clock's exception instead.
            return _ffi.TIME_NONE
    return _ffi.CLOCK_FN(read)


def _sink_trampoline(sink: Callable[[list[Event]], object], st: _CallState) -> Any:
    def deliver(user: Any, evs: Any, n: int) -> None:
        if st.closed:
            return
        try:
            sink(Event._batch(evs, n))
        except BaseException as e:     # noqa: B902
            st.keep(e)
    return _ffi.SINK_FN(deliver)


def _alloc_trampolines(alloc: Allocator, st: _CallState) -> tuple[Any, Any, Any]:
    def m(user: Any, size: int) -> int | None:
        try:
            return alloc.malloc(size) or None
        except BaseException as e:     # noqa: B902
            st.keep(e)
            return None

    def r(user: Any, ptr: int, size: int) -> int | None:
        try:
            return alloc.realloc(ptr, size) or None
        except BaseException as e:     # noqa: B902
            st.keep(e)
            return None

    def f(user: Any, ptr: int) -> None:
        try:
            alloc.free(ptr)
        except BaseException as e:     # noqa: B902
            st.keep(e)
    return _ffi.MALLOC_FN(m), _ffi.REALLOC_FN(r), _ffi.FREE_FN(f)
