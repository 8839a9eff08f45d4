# SPDX-License-Identifier: Apache-2.0
"""The engine and its records.

Lifetimes
---------
An :class:`Engine` owns the C engine.  :meth:`Engine.close` (or leaving a
``with`` block) frees it at once; otherwise the garbage collector frees it
when the last reference goes.  Every :class:`Record` holds a reference to
its engine, so an engine is never freed under a record that can still be
used; after ``close()`` every call on the engine or on any of its records
raises :class:`~itsm.StateError` ("engine is closed") and never touches the
freed memory.

Callbacks
---------
The store, clock, sink and allocator given to an engine are called from C.
An exception raised in one of them never crosses the C frames: the
trampoline catches it (any ``BaseException``), keeps it on the engine and
returns the library's user-error code (``ITSM_EUSER``; NULL for an
allocation, ``ITSM_TIME_NONE`` for the clock, nothing for the sink), and
the binding re-raises that very exception, traceback intact, once the C
call has returned.  A store may instead raise :class:`~itsm.Conflict` or
:class:`~itsm.StoreError` to report that code to the engine.

Threads
-------
One engine must be used by one thread at a time (engine.h); each Engine
serialises its calls with a lock, so sharing one between threads is safe,
if not concurrent.
"""
from __future__ import annotations

import contextlib
import ctypes
import json as _json
import threading
import weakref
import datetime as _dt
from collections.abc import Iterable, Iterator, Sequence
from ctypes import byref, c_void_p
from typing import Any, Callable, TypeVar, Union, overload

from . import _ffi
from ._time import TimeLike, from_c, to_c, to_c_optional
from ._fields import FieldValue, RecordFields, read_field
from ._util import (FIELDS, FieldInfo, changes, cstr, cstr_optional, custom_fields, field_info, kind_code,
                    kind_name)
from .alloc import Allocator
from .errors import (GuardFailed, InvalidArgument, ItsmError, NotFound, PolicyError, StateError,
                     from_parse_error, make_error)
from .policy import Policy
from .stores import Store
from .types import (LINK_KIND_CODES, NOTE_KIND_CODES, AllowedEvent, Event, FieldChange, GuardNeed, History,
                    JsonLimits, Link, TimelineEntry)
from .handover import EngineHandoverMixin
from .report import EngineReportMixin
from .whatif import EngineWhatifMixin
from .service import EngineServiceMixin, RecordServiceMixin
from .change import EngineChangeMixin, RecordChangeMixin
from .request import RecordRequestMixin
from .satisfaction import RecordSatisfactionMixin
from .review import EngineReviewMixin, RecordReviewMixin
from .proposal import EngineProposalMixin, RecordProposalMixin
from .oncall import EngineOncallMixin, RecordOncallMixin

__all__ = ["Engine", "Record", "FieldInput"]

#: What a field takes: str for text and symbol fields, int, bool, or None to
#: clear (times are maintained by the engine).
FieldInput = Union[str, int, bool, None]


def _guard_missing(eng: int) -> tuple[GuardNeed, ...]:
    """The guard terms the engine's last ITSM_EGUARD missed."""
    out = []
    for i in range(int(_ffi.itsm_guard_missing_count(eng))):
        n = _ffi.GuardNeedStruct()
        if _ffi.itsm_guard_missing_at(eng, i, byref(n)) == _ffi.OK:
            out.append(GuardNeed._from_c(n))
    return tuple(out)


def _ptr_of(out: c_void_p) -> int:
    """The address an out-parameter received (the call succeeded)."""
    assert out.value is not None
    return out.value


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


# ---- trampolines ----------------------------------------------------------
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
                b = doc.encode("utf-8") if isinstance(doc, str) else bytes(doc)
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
                b = doc.encode("utf-8") if isinstance(doc, str) else bytes(doc)
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


class _Entry:
    """``with engine._entry() as ptr``: the engine's lock, the closed check,
    and the depth counter that keeps close() out of callbacks."""
    __slots__ = ("eng",)

    def __init__(self, eng: "Engine"):
        self.eng = eng

    def __enter__(self) -> int:
        eng = self.eng
        eng._lock.acquire()
        if eng._ptr is None:
            eng._lock.release()
            raise StateError("engine is closed")
        eng._depth += 1
        return eng._ptr

    def __exit__(self, *exc: object) -> None:
        self.eng._depth -= 1
        self.eng._lock.release()


class Engine(EngineServiceMixin, EngineHandoverMixin, EngineReportMixin, EngineChangeMixin, EngineProposalMixin,
             EngineOncallMixin, EngineReviewMixin, EngineWhatifMixin):
    """An itsm engine: records, a policy, a store, a clock and a sink.

    :param policy: a :class:`~itsm.Policy` or a policy document (str);
        copied.  None: the default policy.
    :param store: an object with ``append(events) -> None`` and, to be able
        to :meth:`load`, ``scan() -> iterable of JSON str``.  None: records
        live in memory only.  See :mod:`itsm.stores`.
    :param clock: a callable returning the current time: an aware datetime or
        epoch seconds (``time.time`` works).  None: the system clock.
    :param sink: a callable receiving each accepted batch of events (a list
        of :class:`~itsm.Event`) after it is applied.  It must not call back
        into the engine (that raises StateError).
    :param actor: who makes the changes (see :attr:`actor`).
    :param limits: :class:`~itsm.JsonLimits` for replayed documents.
    :param allocator: an :class:`~itsm.alloc.Allocator` (tests only).
    :param load: call :meth:`load` right away.
    """

    def __init__(self, *, policy: Policy | str | bytes | None = None, store: Store | None = None,
                 clock: Callable[[], TimeLike] | None = None,
                 sink: Callable[[list[Event]], object] | None = None,
                 actor: str | None = None, limits: JsonLimits | None = None,
                 allocator: Allocator | None = None, load: bool = False) -> None:
        self._ptr: int | None = None
        self._lock = threading.RLock()
        self._depth = 0
        self._state = _CallState()
        self._keep: list[Any] = []              # everything C may still call or read
        self._records: weakref.WeakValueDictionary[int, Record] = weakref.WeakValueDictionary()
        self._actor: str | None = None
        self._store = store
        # A Python allocator's trampolines: packets and reports made by this
        # engine are freed through them, so they share these and outlive close().
        self._alloc_keep: tuple[Any, ...] | None = None
        self._custom: dict[str, FieldInfo] = {}

        opts = _ffi.EngineOpts()
        _ffi.itsm_engine_opts_init(byref(opts), _ffi.ENGINE_OPTS_VERSION)
        own_policy = None
        if policy is not None:
            if isinstance(policy, (str, bytes)):
                policy = own_policy = Policy.from_json(policy)
            elif not isinstance(policy, Policy):
                raise TypeError(f"policy must be an itsm.Policy or a policy document, "
                                f"not {type(policy).__name__}")
            opts.policy = policy._p()
        if store is not None:
            if not callable(getattr(store, "append", None)):
                raise TypeError("store must have an append(events) method")
            append, scan = _store_trampolines(store, self._state)
            read = _read_record_trampoline(store, self._state)
            group = _group_trampoline(store, self._state)
            table = _ffi.Store(_ffi.STORE_VERSION, append, scan, _ffi.DESTROY_FN(),  # type: ignore[call-overload]
                               read, group)
            self._keep += [append, scan, read, group, table]
            opts.store = ctypes.pointer(table)
        if clock is not None:
            if not callable(clock):
                raise TypeError("clock must be a callable returning a datetime")
            fn = _clock_trampoline(clock, self._state)
            self._keep.append(fn)
            opts.clock = fn
        if sink is not None:
            if not callable(sink):
                raise TypeError("sink must be a callable taking a list of events")
            fn = _sink_trampoline(sink, self._state)
            self._keep.append(fn)
            opts.sink = fn
        if allocator is not None:
            m, r, f = _alloc_trampolines(allocator, self._state)
            opts.alloc = _ffi.Allocator(m, r, f, None)
            self._keep += [m, r, f, allocator]
            self._alloc_keep = (m, r, f, allocator)
        if limits is not None:
            opts.limits = limits._to_c()

        # The engine has no message yet when creation fails: it goes here.
        why = ctypes.create_string_buffer(256)
        opts.errmsg = ctypes.cast(why, c_void_p)
        opts.errmsg_cap = len(why)
        out = c_void_p()
        rc = _ffi.itsm_engine_new(byref(out), byref(opts))
        pending, self._state.pending = self._state.pending, None
        if rc != _ffi.OK:
            if pending is not None:
                raise pending
            if rc == _ffi.EPOLICY and policy is not None:
                findings = policy.check()
                err = PolicyError("the policy has findings: " + "; ".join(findings))
                err.findings = findings
                raise err
            raise make_error(rc, why.value.decode("utf-8", "replace"))
        self._ptr = out.value
        #: The fields the policy declares (itsm_policy_add_field), by name.
        self._custom = custom_fields(_ffi.itsm_engine_policy(self._ptr))
        if own_policy is not None:
            own_policy.close()
        if pending is not None:
            self.close()
            raise pending
        if actor is not None:
            self.actor = actor
        if load:
            self.load()

    # ---- plumbing ------------------------------------------------------------
    def _entry(self) -> _Entry:
        return _Entry(self)

    def _check(self, ptr: int, rc: int, perr: Any = None) -> None:
        """After a C call (inside _entry): re-raise a callback's exception,
        or raise the error the engine reported."""
        st = self._state
        pending, cause = st.pending, st.cause
        st.pending = st.cause = None
        if pending is not None:
            raise pending
        if rc >= 0:
            return
        msg = _ffi.text(_ffi.itsm_errmsg(ptr)) if _ffi.itsm_errcode(ptr) == rc else ""
        err = from_parse_error(rc, msg or "", perr)
        if isinstance(err, GuardFailed) and _ffi.itsm_errcode(ptr) == rc:
            err.missing = _guard_missing(ptr)
        if cause is not None:
            raise err from cause
        raise err

    def _wrap(self, rptr: int) -> "Record":
        rec = self._records.get(rptr)
        if rec is None:
            rec = Record._new(self, rptr)
            self._records[rptr] = rec
        return rec

    # ---- lifetime ------------------------------------------------------------
    def close(self) -> None:
        """Free the C engine and every record now.  Further calls on the
        engine or its records raise StateError.  Closing twice is harmless;
        closing from inside one of the engine's own callbacks is refused."""
        with self._lock:
            if self._ptr is None:
                return
            if self._depth:
                raise StateError("the engine cannot be closed from inside its own callback")
            ptr, self._ptr = self._ptr, None
            _ffi.itsm_engine_free(ptr)       # may still call the allocator
            self._state.closed = True
            self._keep.clear()
            self._records.clear()
            pending, self._state.pending = self._state.pending, None
            if pending is not None:
                raise pending

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            try:
                _ffi.itsm_engine_free(ptr)
                self._state.closed = True
            except Exception:    # interpreter shutdown: modules already gone
                pass

    # ---- engine-wide ---------------------------------------------------------
    @property
    def actor(self) -> str | None:
        """Who makes the following changes (recorded on each event); None
        for nobody.  Setting it is ``itsm_engine_set_actor``."""
        with self._entry():
            return self._actor

    @actor.setter
    def actor(self, name: str | None) -> None:
        b = cstr_optional(name, "actor")
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_set_actor(p, b))
            self._actor = name

    def set_actor(self, name: str | None) -> "Engine":
        self.actor = name
        return self

    def now(self) -> _dt.datetime:
        """The engine clock's time, as an aware UTC datetime."""
        with self._entry() as p:
            t = _ffi.itsm_engine_now(p)
            self._check(p, _ffi.OK)
            when = from_c(t)
            assert when is not None
            return when

    @property
    def policy(self) -> Policy:
        """A copy of the engine's policy (an independent Policy to free)."""
        with self._entry() as p:
            rc, text = _ffi.snprintf_call(_ffi.itsm_policy_to_json, _ffi.itsm_engine_policy(p))
            if rc != _ffi.OK:
                raise make_error(rc)
        # Through the document, not itsm_policy_clone: a clone would share
        # the engine's allocator, which may be a Python one that dies with
        # the engine.
        return Policy.from_json(text, check=False)

    @property
    def store(self) -> Store | None:
        """The store object given to the engine (None: memory only)."""
        return self._store

    # ---- records -------------------------------------------------------------
    def open(self, kind: str = "incident", id: str | None = None, **fields: FieldInput) -> "Record":
        """Open a record in its lifecycle's initial state.

        ``id`` None lets the engine assign one ("INC-000001"); fields are
        given as keyword arguments, e.g.
        ``engine.open("incident", summary="Mail down", impact=1, urgency=1)``
        (or ``**a_dict``).
        """
        arr, n, keep = changes(fields, self._custom)
        o = _ffi.RecordOpts()
        _ffi.itsm_record_opts_init(byref(o), _ffi.RECORD_OPTS_VERSION)
        o.kind = kind_code(kind)
        o.id = cstr_optional(id, "id")
        o.fields = arr
        o.nfields = n
        out = c_void_p()
        with self._entry() as p:
            self._check(p, _ffi.itsm_record_open(byref(out), p, byref(o)))
            return self._wrap(_ptr_of(out))

    def find(self, id: str) -> "Record":
        """The record with that id; raises NotFound."""
        b = cstr(id, "id")
        out = c_void_p()
        with self._entry() as p:
            self._check(p, _ffi.itsm_record_find(byref(out), p, b))
            return self._wrap(_ptr_of(out))

    def get(self, id: str, default: "Record | None" = None) -> "Record | None":
        try:
            return self.find(id)
        except NotFound:
            return default

    def __getitem__(self, id: str) -> "Record":
        return self.find(id)

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.get(id) is not None

    def __len__(self) -> int:
        with self._entry() as p:
            return int(_ffi.itsm_engine_record_count(p))

    def __iter__(self) -> Iterator["Record"]:
        """The records in the order they were opened."""
        i = 0
        while True:
            with self._entry() as p:
                if i >= _ffi.itsm_engine_record_count(p):
                    return
                out = c_void_p()
                self._check(p, _ffi.itsm_engine_record_at(byref(out), p, i))
                rec = self._wrap(_ptr_of(out))
            yield rec
            i += 1

    def records(self, kind: str | None = None, *, is_open: bool | None = None,
                state: str | None = None) -> Iterator["Record"]:
        """The records, optionally only of one kind, open or not, in a state."""
        for r in self:
            if kind is not None and r.kind != kind:
                continue
            if is_open is not None and r.is_open != is_open:
                continue
            if state is not None and r.state != state:
                continue
            yield r

    # ---- replay --------------------------------------------------------------
    def replay(self, documents: str | bytes | bytearray | Iterable[str | bytes]) -> None:
        """Apply stored events without calling the store, in either form:
        JSON text, or the binary form (bytes starting with 0xE5,
        docs/events.md).

        ``documents`` is one event (str or bytes) or an iterable of them.
        Events the record already has are skipped.  A malformed event raises
        :class:`~itsm.ParseError` with ``line`` and ``column``.
        """
        if isinstance(documents, (str, bytes, bytearray)):
            documents = (documents,)
        for doc in documents:
            b = doc.encode("utf-8") if isinstance(doc, str) else bytes(doc)
            perr = _ffi.ParseErrorStruct()
            with self._entry() as p:
                self._check(p, _ffi.itsm_engine_replay(p, b, len(b), byref(perr)), perr)

    def load(self) -> "Engine":
        """Replay every event the store's ``scan()`` gives.  Into an engine
        with no record yet this verifies the store (the hash chain and each
        record's revisions, docs/events.md): a store changed outside the
        library raises :class:`TamperedStore` naming the record and revision
        of its first broken link, and the engine stays empty."""
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_load(p))
        return self

    # ---- group commit --------------------------------------------------------
    def begin(self) -> None:
        """Open a group: the changes that follow go into the store's group
        and become durable together at :meth:`commit` (see itsm_engine_begin
        in include/itsm/engine.h). Reads and later calls see each change at
        once; the sink and other engines only after the commit. The store
        needs ``group(op)`` and ``scan()``."""
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_begin(p))

    def commit(self) -> None:
        """Make the open group durable, then tell the sink every change of it.
        If the store does not keep it, the error is raised and the engine has
        gone back to the last commit (reloaded from the store: the Record
        objects you hold follow their records; those opened in the group
        are gone, and read as empty)."""
        with self._entry() as p:
            ids = self._live_ids(p)
            rc = _ffi.itsm_engine_commit(p)
            if rc < 0 and rc != _ffi.ESTATE:
                self._remap(p, ids)
            self._check(p, rc)

    def rollback(self) -> None:
        """Drop the open group and go back to the last commit, reloaded
        from the store (Record objects follow, as after a failed commit)."""
        with self._entry() as p:
            ids = self._live_ids(p)
            rc = _ffi.itsm_engine_rollback(p)
            if rc != _ffi.ESTATE:      # ESTATE: no group was open, nothing reloaded
                self._remap(p, ids)
            self._check(p, rc)

    def _live_ids(self, p: int) -> dict[int, str]:
        """The ids of the records Python holds, before a reload frees them."""
        return {ptr: _ffi.text(_ffi.itsm_record_id(ptr)) or "" for ptr in list(self._records.keys())}

    def _remap(self, p: int, ids: dict[int, str]) -> None:
        """After a reload: point each Record object at its record's new C
        object (none, NULL, for a record the reload does not have)."""
        held = {ptr: rec for ptr, rec in list(self._records.items())}
        self._records.clear()
        for ptr, rec in held.items():
            out = c_void_p()
            found = _ffi.itsm_record_find(byref(out), p, ids.get(ptr, "").encode("utf-8")) == _ffi.OK
            rec._ptr = _ptr_of(out) if found else 0
            if found:
                self._records[rec._ptr] = rec

    @property
    def group_events(self) -> int:
        """Events appended in the open group (0 when none is open)."""
        with self._entry() as p:
            return int(_ffi.itsm_engine_group_events(p))

    @contextlib.contextmanager
    def group(self) -> Iterator["Engine"]:
        """``with engine.group(): ...`` commits when the block ends, rolls
        back when it raises."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def audit_json(self) -> str:
        """Every record's hash-chain head and their digest, for an external
        audit (``itsm_engine_audit_to_json``; docs/events.md)."""
        with self._entry() as p:
            rc, text = _ffi.snprintf_call(_ffi.itsm_engine_audit_to_json, p)
            if rc != _ffi.OK:
                raise make_error(rc)
        return text

    def audit(self) -> dict[str, Any]:
        """:meth:`audit_json`, parsed."""
        doc: dict[str, Any] = _json.loads(self.audit_json())
        return doc

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<itsm.Engine closed>"
        return f"<itsm.Engine records={len(self)}>"


# ---- records ----------------------------------------------------------------
class Record(RecordFields, RecordServiceMixin, RecordChangeMixin, RecordRequestMixin,
             RecordSatisfactionMixin, RecordProposalMixin, RecordOncallMixin, RecordReviewMixin):
    """A record (incident, service request, problem, change, knowledge).

    Owned by its engine; this object only refers to it and keeps the engine
    alive.  Every field is a property (``record.summary``, ``record.opened_at``
    ...): str for text and symbol fields, int, bool, aware UTC datetime, or
    None when unset.  Assigning a settable field is one ``update``.
    """
    __slots__ = ("_engine", "_ptr", "__weakref__")
    _engine: Engine
    _ptr: int

    def __init__(self) -> None:
        raise TypeError("records come from Engine.open(), find() or iteration")

    @classmethod
    def _new(cls, engine: Engine, ptr: int) -> "Record":
        self = object.__new__(cls)
        self._engine = engine
        self._ptr = ptr
        return self

    @property
    def engine(self) -> Engine:
        return self._engine

    # ---- identity and state ------------------------------------------------
    @property
    def id(self) -> str:
        with self._engine._entry():
            return _ffi.text(_ffi.itsm_record_id(self._ptr)) or ""

    @property
    def kind(self) -> str:
        with self._engine._entry():
            return kind_name(_ffi.itsm_record_kind(self._ptr))

    @property
    def state(self) -> str:
        with self._engine._entry():
            return _ffi.text(_ffi.itsm_record_state(self._ptr)) or ""

    def condition(self, text: str) -> bool:
        """Whether a condition (docs/conditions.md) holds for the record now.

        A bad condition raises :class:`~itsm.ParseError` with ``line`` and
        ``column`` within the text."""
        b = text.encode("utf-8")
        out = ctypes.c_int(0)
        perr = _ffi.ParseErrorStruct()
        with self._engine._entry():
            rc = _ffi.itsm_record_condition(byref(out), self._ptr, b, len(b), byref(perr))
        if rc != _ffi.OK:
            raise from_parse_error(rc, perr.text.decode("utf-8", "replace"), perr)
        return bool(out.value)

    @property
    def is_open(self) -> bool:
        with self._engine._entry():
            return bool(_ffi.itsm_record_is_open(self._ptr))

    @property
    def revision(self) -> int:
        """Number of accepted changes; 1 right after opening."""
        with self._engine._entry():
            return int(_ffi.itsm_record_revision(self._ptr))

    @property
    def chain_head(self) -> str | None:
        """The link of the record's newest event in its hash chain (64 hex
        digits), or None when the engine does not know it (its store cannot
        give events back). docs/events.md, "The hash chain"."""
        out = ctypes.create_string_buffer(65)
        with self._engine._entry():
            rc = _ffi.itsm_record_chain_head(self._ptr, out)
        return out.value.decode("ascii") if rc == _ffi.OK else None

    # ---- fields --------------------------------------------------------------
    def get(self, name: str) -> FieldValue:
        """A field by name (the same value as the property)."""
        info = field_info(name, self._engine._custom)
        with self._engine._entry():
            return read_field(self._ptr, info)

    __getitem__ = get

    def fields(self, *, include_unset: bool = False) -> dict[str, FieldValue]:
        """Every field that is set (or all of them), by name."""
        out = {}
        with self._engine._entry():
            for name, info in (FIELDS | self._engine._custom).items():
                if include_unset or _ffi.itsm_record_has(self._ptr, info.id):
                    out[name] = read_field(self._ptr, info)
        return out

    # ---- changes -------------------------------------------------------------
    def update(self, **fields: FieldInput) -> "Record":
        """Change fields atomically, as one event:
        ``record.update(category="network", impact=1, urgency=1)``.
        None clears a text or symbol field."""
        arr, n, keep = changes(fields, self._engine._custom)
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_update(self._ptr, arr, n))
        return self

    def fire(self, event: str, /, **fields: FieldInput) -> "Record":
        """Fire a lifecycle event ("assign", "resolve", ...), setting the
        given fields in the same atomic step (they count for the guards).
        Raises TransitionRefused or GuardFailed."""
        ev = cstr(event, "event")
        arr, n, keep = changes(fields, self._engine._custom)
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_fire(self._ptr, ev, arr if n else None, n))
        return self

    def add_note(self, text: str, kind: str = "work", *,
                 expected_restoration: TimeLike | None = None,
                 next_update: TimeLike | None = None) -> "Record":
        """Add a timeline entry.  ``kind`` "work" is an internal work note;
        "customer" is a customer update, which must give the actions taken
        (``text``), ``expected_restoration`` and ``next_update`` (datetimes)."""
        o = _ffi.NoteOpts()
        _ffi.itsm_note_opts_init(byref(o), _ffi.NOTE_OPTS_VERSION)
        if kind not in NOTE_KIND_CODES:
            raise InvalidArgument(f"note kind must be 'work' or 'customer', not {kind!r}",
                                  code=_ffi.EINVAL)
        o.kind = NOTE_KIND_CODES[kind]
        o.text = cstr(text, "note text")
        o.expected_restoration = to_c_optional(expected_restoration, "expected_restoration")
        o.next_update = to_c_optional(next_update, "next_update")
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_add_note(self._ptr, byref(o)))
        return self

    def link(self, other: "Record | str", kind: str = "related") -> "Record":
        """Link this record and ``other`` (a Record or an id) both ways:
        "related"; "child" (other is a child of this record) or "parent"."""
        if kind not in LINK_KIND_CODES:
            raise InvalidArgument(f"link kind must be one of {', '.join(LINK_KIND_CODES)}, "
                                  f"not {kind!r}", code=_ffi.EINVAL)
        eng = self._engine
        if isinstance(other, str):
            other = eng.find(other)
        if not isinstance(other, Record):
            raise TypeError(f"link target must be a Record or an id, not {type(other).__name__}")
        if other._engine is not eng:
            raise InvalidArgument("the records belong to different engines", code=_ffi.EINVAL)
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_link(self._ptr, LINK_KIND_CODES[kind], other._ptr))
        return self

    # ---- timeline and links --------------------------------------------------
    @property
    def timeline(self) -> "Timeline":
        """The notes the engine keeps (work notes, customer updates, system
        notes): a live sequence of :class:`~itsm.TimelineEntry`.  The whole
        history is :meth:`history`."""
        return Timeline(self)

    def allowed(self) -> list[AllowedEvent]:
        """The events that can fire from the record's current state, in the
        lifecycle's order, each with what its guard still misses (``ready``
        when nothing): what a screen offers.  Steps the engine fires itself
        (``auto_close``, ``parent_resolved``) are listed too."""
        eng = self._engine
        out = []
        with eng._entry() as p:
            for i in range(int(_ffi.itsm_record_allowed_count(self._ptr))):
                a = _ffi.AllowedEventStruct()
                eng._check(p, _ffi.itsm_record_allowed_at(self._ptr, i, byref(a)))
                needs = []
                for j in range(int(a.nmissing)):
                    n = _ffi.GuardNeedStruct()
                    eng._check(p, _ffi.itsm_record_allowed_need_at(self._ptr, i, j, byref(n)))
                    needs.append(GuardNeed._from_c(n))
                out.append(AllowedEvent(_ffi.text(a.event) or "", _ffi.text(a.to_state) or "", tuple(needs)))
        return out

    def history(self) -> History:
        """The record's whole history, oldest first: every event the store
        holds for it (opening, field changes with old and new values,
        transitions, notes, links, service-level events, escalations,
        handovers ...) with who and when, read from the store at this call
        through its ``read_record``.  A store without ``read_record`` gives
        the notes, and ``complete`` False."""
        return self._read_history(_ffi.itsm_record_timeline)

    def _read_history(self, fn: Any) -> History:
        """A history snapshot read by ``fn`` (itsm_record_timeline or an
        excerpt of it), copied out and freed."""
        eng = self._engine
        out = c_void_p()
        with eng._entry() as p:
            eng._check(p, fn(byref(out), self._ptr))
        tl = _ptr_of(out)
        try:
            entries = []
            for i in range(int(_ffi.itsm_timeline_count(tl))):
                e = _ffi.TimelineEntryStruct()
                if _ffi.itsm_timeline_at(tl, i, byref(e)) != _ffi.OK:
                    raise RuntimeError(f"itsm_timeline_at({i}) failed")
                changes = []
                for j in range(int(e.nchanges)):
                    c = _ffi.FieldChangeStruct()
                    if _ffi.itsm_timeline_change_at(tl, i, j, byref(c)) != _ffi.OK:
                        raise RuntimeError(f"itsm_timeline_change_at({i}, {j}) failed")
                    changes.append(FieldChange(_ffi.text(c.field) or "", _ffi.text(c.old_value),
                                               _ffi.text(c.new_value)))
                entries.append(TimelineEntry._from_c(e, tuple(changes)))
            return History(tuple(entries), bool(_ffi.itsm_timeline_complete(tl)))
        finally:
            _ffi.itsm_timeline_free(tl)

    @property
    def links(self) -> "Links":
        """The links: a live sequence of :class:`~itsm.Link`."""
        return Links(self)

    def linked(self, kind: str | None = None) -> Iterator["Record"]:
        """The linked records themselves (optionally of one link kind)."""
        for link in self.links:
            if kind is None or link.kind == kind:
                yield self._engine.find(link.target_id)

    # ---- Python protocol -----------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._engine is self._engine and other._ptr == self._ptr

    def __hash__(self) -> int:
        return hash((id(self._engine), self._ptr))

    def __repr__(self) -> str:
        if self._engine.closed:
            return "<itsm.Record (engine closed)>"
        return f"<itsm.Record {self.id} {self.kind} {self.state} rev={self.revision}>"


_T = TypeVar("_T")


class _RecordSequence(Sequence[_T]):
    __slots__ = ("_rec",)

    def __init__(self, rec: Record) -> None:
        self._rec = rec

    def _at(self, eng: Engine, p: int, index: int) -> _T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"{type(self).__name__.lower()} index out of range")
        eng = self._rec._engine
        with eng._entry() as p:
            return self._at(eng, p, index)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class Timeline(_RecordSequence[TimelineEntry]):
    """A record's timeline, read live from the engine."""
    __slots__ = ()

    def __len__(self) -> int:
        with self._rec._engine._entry():
            return int(_ffi.itsm_record_timeline_count(self._rec._ptr))

    def _at(self, eng: Engine, p: int, index: int) -> TimelineEntry:
        e = _ffi.TimelineEntryStruct()
        eng._check(p, _ffi.itsm_record_timeline_at(self._rec._ptr, index, byref(e)))
        return TimelineEntry._from_c(e)


class Links(_RecordSequence[Link]):
    """A record's links, read live from the engine."""
    __slots__ = ()

    def __len__(self) -> int:
        with self._rec._engine._entry():
            return int(_ffi.itsm_record_link_count(self._rec._ptr))

    def _at(self, eng: Engine, p: int, index: int) -> Link:
        l = _ffi.LinkStruct()
        eng._check(p, _ffi.itsm_record_link_at(self._rec._ptr, index, byref(l)))
        return Link._from_c(l)


# A field a newer library has and this binding does not declare yet is still
# readable (and settable) by name through get()/update() and as an untyped
# attribute; the typed declarations are in _fields.py.
def _field_property(info: FieldInfo) -> property:
    def fget(self: Record) -> FieldValue:
        with self._engine._entry():
            return read_field(self._ptr, info)
    fget.__name__ = info.name
    doc = f"{info.type} field '{info.name}'" + (" (maintained by the engine)" if info.engine_owned else "")
    if info.engine_owned:
        return property(fget, doc=doc)

    def fset(self: Record, value: FieldInput) -> None:
        self.update(**{info.name: value})
    return property(fget, fset, doc=doc)


for _name, _info in FIELDS.items():
    if not hasattr(Record, _name):
        setattr(Record, _name, _field_property(_info))
del _name, _info
