# SPDX-License-Identifier: Apache-2.0
"""The engine (its records are in :mod:`itsm.record`).

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
from collections.abc import Iterable, Iterator
from ctypes import byref, c_void_p
from typing import Any, Callable

from . import _ffi
from ._callbacks import (_CallState, _alloc_trampolines, _clock_trampoline, _group_trampoline,
                         _read_record_trampoline, _sink_trampoline, _store_trampolines)
from ._time import TimeLike, from_c
from ._util import (FieldInfo, as_size, changes, cstr, cstr_optional, custom_fields, doc_bytes, kind_code, kind_mask,
                    kind_name, ptr_of)
from .alloc import Allocator
from .errors import GuardFailed, NotFound, PolicyError, StateError, from_parse_error, make_error
from .policy import Policy
from .record import FieldInput as FieldInput, Links as Links, Record as Record, Timeline as Timeline
from .stores import Store
from .types import Event, GuardNeed, JsonLimits
from .handover import EngineHandoverMixin
from .report import EngineReportMixin
from .whatif import EngineWhatifMixin
from .service import EngineServiceMixin
from .change import EngineChangeMixin
from .review import EngineReviewMixin
from .proposal import EngineProposalMixin
from .oncall import EngineOncallMixin
# Public names that were importable from here while the records lived in
# this module; kept so that such imports go on working.
from ._util import FIELDS as FIELDS
from .errors import InvalidArgument as InvalidArgument, ItsmError as ItsmError
from .types import (AllowedEvent as AllowedEvent, FieldChange as FieldChange, History as History, Link as Link,
                    TimelineEntry as TimelineEntry)

__all__ = ["Engine", "Record", "FieldInput"]


def _guard_missing(eng: int) -> tuple[GuardNeed, ...]:
    """The guard terms the engine's last ITSM_EGUARD missed."""
    out = []
    for i in range(int(_ffi.itsm_guard_missing_count(eng))):
        n = _ffi.GuardNeedStruct()
        if _ffi.itsm_guard_missing_at(eng, i, byref(n)) == _ffi.OK:
            out.append(GuardNeed._from_c(n))
    return tuple(out)



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
        self._reloads = 0        # reloads so far: the engine's packets held by Python re-find theirs
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

    def adopt_policy(self, policy: Policy) -> None:
        """Make ``policy`` (copied) the current version (docs/policy.md,
        "Versions"): new records are under it, open ones move to it at their
        next event, settled ones (closed, resolved) keep theirs.  The store
        gets the versions' documents.  PolicyError when the version reshapes
        records (lifecycles, custom fields, stop states, agreements) or has
        findings; the store's errors as for any change."""
        if not isinstance(policy, Policy):
            raise TypeError(f"policy must be a Policy, not {type(policy).__name__}")
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_adopt_policy(p, policy._p()))

    @property
    def policy_version(self) -> str:
        """The current policy version's id (16 hex digits)."""
        with self._entry() as p:
            return _ffi.text(_ffi.itsm_engine_policy_version(p)) or ""

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
            return self._wrap(ptr_of(out))

    def find(self, id: str) -> "Record":
        """The record with that id; raises NotFound."""
        b = cstr(id, "id")
        out = c_void_p()
        with self._entry() as p:
            self._check(p, _ffi.itsm_record_find(byref(out), p, b))
            return self._wrap(ptr_of(out))

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
                rec = self._wrap(ptr_of(out))
            yield rec
            i += 1

    def records(self, kind: str | None = None, *, is_open: bool | None = None,
                state: str | None = None) -> Iterator["Record"]:
        """The records, optionally only of one kind, open or not, in a state.
        An unknown kind raises InvalidArgument at the call, as
        ``report(kinds=)`` does (a misspelt one would otherwise match nothing)."""
        if kind is not None:
            kind_mask([kind], "kind")      # refuses an unknown name or value
            kind = kind_name(kind_code(kind))
        return self._records_of(kind, is_open, state)

    def _records_of(self, kind: str | None, is_open: bool | None, state: str | None) -> Iterator["Record"]:
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
            b = doc_bytes(doc, "event")
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
        are gone: every read or change on one raises StateError, as in the
        PHP binding)."""
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
        self._reloads += 1
        for ptr, rec in held.items():
            out = c_void_p()
            found = _ffi.itsm_record_find(byref(out), p, ids.get(ptr, "").encode("utf-8")) == _ffi.OK
            rec._ptr = ptr_of(out) if found else 0
            if found:
                self._records[rec._ptr] = rec
            else:
                rec._gone_id = ids.get(ptr, "")

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

    def reserve(self, records: int = 0, symbols: int = 0) -> None:
        """A size hint (``itsm_engine_reserve``): room for ``records`` more
        records and ``symbols`` more symbols made now, so that a bulk import
        or a log replay does not grow the engine's tables step by step.
        Changes nothing else. ValueError for a negative count,
        LimitExceeded over 2**31, OutOfMemory (part of the room may be made;
        the engine works on as before)."""
        r = as_size(records, "records")
        s = as_size(symbols, "symbols")
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_reserve(p, r, s))

    def symbol(self, symbol: str) -> str:
        """Check ``symbol`` as the engine takes one (a service, a group, an
        actor...) and intern it once (``itsm_engine_symbol``); returns it.
        InvalidArgument for an empty or invalid symbol (control bytes, a NUL,
        text that is not UTF-8), LimitExceeded over 255 bytes."""
        b = cstr(symbol, "symbol")
        out = ctypes.c_char_p()
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_symbol(p, b, byref(out)))
            assert out.value is not None
            return out.value.decode("utf-8")

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<itsm.Engine closed>"
        return f"<itsm.Engine records={len(self)}>"
