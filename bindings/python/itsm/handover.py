# SPDX-License-Identifier: Apache-2.0
"""Handover packets (handover.h).

A :class:`Packet` built with ``record.packet(kind)``, ``Packet.from_json``
or ``packet.copy()`` belongs to Python: ``close()`` (or leaving a ``with``
block) frees it at once, the garbage collector otherwise.  It stays usable
after its engine changes or closes (the C packet copies what it needs);
only ``propose``/``acknowledge``/``reject`` need the engine.

The packets in ``engine.handovers`` are the engine's own copies: they keep
the engine alive, ``close()`` on them only lets go of the wrapper, and once
the engine is closed every call on them raises StateError.
"""
from __future__ import annotations

import builtins
import ctypes
import datetime as _dt
import json as _json
import threading
from collections.abc import Iterable, Sequence
from ctypes import byref, c_int, c_void_p
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Protocol, Union, overload

from . import _ffi
from ._time import TimeLike, from_c, from_c_required, to_c, to_c_optional
from ._util import as_flag, as_uint32, cstr, cstr_optional, doc_bytes, kind_name, packet_kind_code, ptr_of
from .errors import InvalidArgument, StateError, from_parse_error, make_error
from .types import JsonLimits

if TYPE_CHECKING:
    from .engine import Engine, Record, _Entry
    from .policy import Policy

__all__ = ["Packet", "PacketEntry", "PacketList", "Deliverable", "Completeness", "QualityEntry"]


class _PacketEngine(Protocol):
    """What a packet uses of its engine: an :class:`~itsm.Engine`, or the
    engine's :class:`EngineHandoverMixin` making one of its packets."""
    _alloc_keep: tuple[Any, ...] | None
    _reloads: int

    def _entry(self) -> _Entry: ...
    def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...
    def find(self, id: str) -> Record: ...


class _PacketSubject(Protocol):
    """What ``Packet._new`` reads of its record: a :class:`~itsm.Record`,
    or the record's mixin that makes packets (``record.packet(kind)``)."""
    _engine: Engine
    _ptr: int

    def _handle(self) -> int: ...


@dataclass(frozen=True)
class PacketEntry:
    """One entry of a packet list: ``text``, ``who`` (by / owner) and ``at``
    (when / due)."""
    text: str
    who: Optional[str] = None
    at: Optional[_dt.datetime] = None


@dataclass(frozen=True)
class Deliverable:
    """A service-transition deliverable of a to_operations packet."""
    name: str
    owner: str
    approver: str
    status: str                   # "pending", "delivered", "approved", "rejected"
    approved_by: Optional[str]
    required: bool


@dataclass(frozen=True)
class Completeness:
    """A packet scored against a policy checklist: ``score`` 0..100 and the
    names of the ``missing`` items."""
    score: int
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class QualityEntry:
    """A desk_to_major handover accepted with items missing (the quality log)."""
    record_id: str
    sender_group: Optional[str]
    at: _dt.datetime
    seq: int
    score: int
    missing: tuple[str, ...]


#: What a packet list takes as an entry: the text, a :class:`PacketEntry`,
#: or a tuple of ``add``'s arguments: (text,), (text, who), (text, who, at).
PacketEntryInput = Union[str, PacketEntry, tuple[str], tuple[str, Optional[str]],
                    tuple[str, Optional[str], Optional[TimeLike]]]


class _Use:
    """``with packet._use() as ptr``: the engine's lock and closed check for
    a borrowed packet; the packet's own lock and closed check otherwise."""
    __slots__ = ("pkt", "inner")

    def __init__(self, pkt: Packet) -> None:
        self.pkt = pkt
        self.inner: _Entry | None = None

    def __enter__(self) -> int:
        pkt = self.pkt
        if not pkt._owned:
            assert pkt._engine is not None     # the engine's packets always know it
            eng = pkt._engine
            self.inner = eng._entry()
            ep = self.inner.__enter__()
            if pkt._ptr is None:
                self.inner.__exit__(None, None, None)
                raise StateError("packet is closed")
            if pkt._reloads != eng._reloads:
                # A rollback or failed commit reloaded the engine and freed
                # its packets: find this one again by its number, as records
                # are found again by id.
                out = c_void_p()
                if _ffi.itsm_engine_handover_find(byref(out), ep, pkt._seq) != _ffi.OK:
                    self.inner.__exit__(None, None, None)
                    raise StateError(f"handover {pkt._seq} is gone: the engine went back "
                                     "to its last commit")
                pkt._ptr = ptr_of(out)
                pkt._reloads = eng._reloads
            return pkt._ptr
        pkt._lock.acquire()
        if pkt._ptr is None:
            pkt._lock.release()
            raise StateError("packet is closed")
        return pkt._ptr

    def __exit__(self, *exc: object) -> None:
        if self.inner is not None:
            self.inner.__exit__(*exc)
        else:
            self.pkt._lock.release()


class PacketList(Sequence[PacketEntry]):
    """A live list of a packet (``packet.actions``...): index it, iterate it,
    ``add(text, who=, at=)``, ``clear()``."""
    __slots__ = ("_pkt", "_list", "name")

    def __init__(self, pkt: Packet, name: str) -> None:
        self._pkt = pkt
        self.name = name
        self._list = _ffi.PACKET_LISTS.index(name)

    def __len__(self) -> int:
        with self._pkt._use() as p:
            return int(_ffi.itsm_packet_count(p, self._list))

    @overload
    def __getitem__(self, index: int) -> PacketEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[PacketEntry]: ...

    def __getitem__(self, index: int | slice) -> PacketEntry | list[PacketEntry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        with self._pkt._use() as p:
            n = int(_ffi.itsm_packet_count(p, self._list))
            if index < 0:
                index += n
            if not 0 <= index < n:
                raise IndexError("packet list index out of range")
            e = _ffi.PacketEntry()
            self._pkt._check(p, _ffi.itsm_packet_at(p, self._list, index, byref(e)))
            return PacketEntry(_ffi.text(e.text) or "", _ffi.text(e.who), from_c(e.at))

    def add(self, text: str | PacketEntry, who: str | None = None,
            at: TimeLike | None = None) -> PacketList:
        """Append an entry (a str, or a :class:`PacketEntry`)."""
        if isinstance(text, PacketEntry):
            who, at = text.who, text.at
            text = text.text
        e = _ffi.PacketEntry(cstr(text, "text"), cstr_optional(who, "who"),
                             to_c_optional(at, "at"))
        with self._pkt._use() as p:
            self._pkt._check(p, _ffi.itsm_packet_add(p, self._list, byref(e)))
        return self

    append = add

    def extend(self, entries: Iterable[PacketEntryInput]) -> None:
        for e in entries:
            if isinstance(e, tuple):
                self.add(*e)
            else:
                self.add(e)

    def clear(self) -> None:
        with self._pkt._use() as p:
            self._pkt._check(p, _ffi.itsm_packet_clear(p, self._list))

    def __repr__(self) -> str:
        return f"PacketList({self.name}, {list(self)!r})"


class PacketListSlot:
    """A packet's list as an attribute: reading it gives the live
    :class:`PacketList`, assigning entries (``pkt.actions = ["a", ("b", "who")]``)
    replaces the list.  A descriptor rather than a ``property`` because the
    two sides have different types, which type checkers read from
    ``__get__`` and ``__set__`` (a property's setter type is ignored by
    mypy before 1.14)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.__doc__ = (f"the '{name}' list (a live :class:`PacketList`); "
                        f"assigning entries replaces it")

    @overload
    def __get__(self, obj: None, owner: type[Packet] | None = None) -> PacketListSlot: ...

    @overload
    def __get__(self, obj: Packet, owner: type[Packet] | None = None) -> PacketList: ...

    def __get__(self, obj: Packet | None, owner: type[Packet] | None = None) -> PacketListSlot | PacketList:
        return self if obj is None else PacketList(obj, self.name)

    def __set__(self, obj: Packet, entries: Iterable[PacketEntryInput]) -> None:
        # All or nothing, as every call on a packet: an entry the library
        # refuses puts the list back as it was.
        lst = PacketList(obj, self.name)
        wanted = list(entries)
        before = list(lst)
        lst.clear()
        try:
            lst.extend(wanted)
        except BaseException:
            lst.clear()
            lst.extend(before)
            raise


def _text_property(slot: int, name: str) -> property:
    def fget(self: Packet) -> str | None:
        with self._use() as p:
            return _ffi.text(_ffi.itsm_packet_text_of(p, slot))

    def fset(self: Packet, value: str | None) -> None:
        b = cstr_optional(value, name)
        with self._use() as p:
            self._check(p, _ffi.itsm_packet_set_text(p, slot, b))
    return property(fget, fset, doc=f"text slot '{name}' (None when unset)")


class Packet:
    """A handover packet: a versioned snapshot one party hands another.

    Content slots are properties (``object``, ``defect``, ``what_is`` ...
    ``status``, ``sender``, ``sender_group``, ``receiver``,
    ``receiver_group``, ``next_update``, ``contact_verified``); lists are
    live :class:`PacketList` objects (``actions``, ``communications``,
    ``hypotheses``, ``other_places``, ``identical_things``,
    ``engaged_groups``, ``open_actions``).  Content can change only while
    the packet is a draft (StateError afterwards).
    """

    __slots__ = ("_ptr", "_owned", "_engine", "_alloc_keep", "_lock", "_seq", "_reloads", "__weakref__")
    _ptr: int | None
    _owned: bool
    _engine: _PacketEngine | None
    _alloc_keep: tuple[Any, ...] | None
    _lock: threading.RLock
    _seq: int
    _reloads: int
    if TYPE_CHECKING:
        # The content slots, added as properties below from _ffi's tables
        # (a test checks both lists agree).  The slot `object` hides the
        # builtin in this class's annotations: they say builtins.object.
        object: Optional[str]
        defect: Optional[str]
        what_is: Optional[str]
        what_is_not: Optional[str]
        where_is: Optional[str]
        where_is_not: Optional[str]
        when_is: Optional[str]
        when_is_not: Optional[str]
        extent_is: Optional[str]
        extent_is_not: Optional[str]
        status: Optional[str]
        sender: Optional[str]
        sender_group: Optional[str]
        receiver: Optional[str]
        receiver_group: Optional[str]
        actions = PacketListSlot("actions")
        communications = PacketListSlot("communications")
        hypotheses = PacketListSlot("hypotheses")
        other_places = PacketListSlot("other_places")
        identical_things = PacketListSlot("identical_things")
        engaged_groups = PacketListSlot("engaged_groups")
        open_actions = PacketListSlot("open_actions")

    def __init__(self) -> None:
        raise TypeError("packets come from record.packet(kind), Packet.from_json() or "
                        "engine.handovers")

    # ---- construction ----------------------------------------------------------
    @classmethod
    def _make(cls, ptr: int, *, owned: bool, engine: _PacketEngine | None = None,
              alloc_keep: tuple[Any, ...] | None = None) -> Packet:
        self = object.__new__(cls)
        self._ptr = ptr
        self._owned = owned
        self._engine = engine
        self._alloc_keep = alloc_keep     # the engine's Python allocator, if any, frees it
        self._lock = threading.RLock()
        # A borrowed (engine's) packet is found again by its number after
        # the engine reloads (_Use); the caller holds the engine's entry.
        self._seq = int(_ffi.itsm_packet_seq(ptr)) if not owned else 0
        self._reloads = engine._reloads if engine is not None and not owned else 0
        return self

    @classmethod
    def _new(cls, rec: _PacketSubject, kind: str | int) -> Packet:
        k = packet_kind_code(kind)
        eng = rec._engine
        out = c_void_p()
        with eng._entry() as p:
            rc = _ffi.itsm_packet_new(byref(out), rec._handle(), k)
            try:
                eng._check(p, rc)
            except BaseException:
                _ffi.itsm_packet_free(out.value)   # accepts NULL
                raise
            return cls._make(ptr_of(out), owned=True, engine=eng, alloc_keep=eng._alloc_keep)

    @classmethod
    def from_json(cls, document: str | bytes, *, limits: JsonLimits | None = None) -> Packet:
        """Read a packet document (docs/handover.md): a new draft.  Raises
        ParseError / LimitExceeded with ``line`` and ``column``."""
        data = doc_bytes(document, "packet document")
        out = c_void_p()
        perr = _ffi.ParseErrorStruct()
        lim = limits._to_c() if limits is not None else None
        rc = _ffi.itsm_packet_from_json(byref(out), data, len(data), None,
                                        byref(lim) if lim is not None else None, byref(perr))
        if rc != _ffi.OK:
            text = perr.text.decode("utf-8", "replace")
            where = f"line {perr.line}, column {perr.column}: " if perr.line else ""
            raise from_parse_error(rc, f"packet {where}{text}" if text else "", perr)
        return cls._make(ptr_of(out), owned=True)

    def copy(self) -> Packet:
        """A deep copy the caller owns (state included)."""
        out = c_void_p()
        with self._use() as p:
            self._check(p, _ffi.itsm_packet_clone(byref(out), p))
        eng = self._engine
        return Packet._make(ptr_of(out), owned=True, engine=eng,
                            alloc_keep=eng._alloc_keep if eng is not None else None)

    __copy__ = copy

    def __deepcopy__(self, memo: dict[int, Any]) -> Packet:
        return self.copy()

    # ---- lifetime ----------------------------------------------------------------
    def close(self) -> None:
        """Free a packet Python owns now; on one of the engine's packets only
        let go of it.  Further calls raise StateError."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
            if ptr and self._owned:
                _ffi.itsm_packet_free(ptr)
            self._alloc_keep = None

    @property
    def closed(self) -> bool:
        return self._ptr is None

    @property
    def owned(self) -> bool:
        """True for a packet Python frees; False for one of the engine's."""
        return self._owned

    def __enter__(self) -> Packet:
        return self

    def __exit__(self, *exc: builtins.object) -> None:
        self.close()

    def __del__(self) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr and getattr(self, "_owned", False):
            self._ptr = None
            try:
                _ffi.itsm_packet_free(ptr)
            except Exception:    # interpreter shutdown
                pass

    def _use(self) -> _Use:
        return _Use(self)

    def _check(self, p: int, rc: int) -> None:
        if rc != _ffi.OK:
            raise make_error(rc, _ffi.text(_ffi.itsm_packet_errmsg(p)) or "")

    def _engine_for(self, engine: Engine | None) -> _PacketEngine:
        if engine is not None and not callable(getattr(engine, "_entry", None)):
            raise TypeError(f"engine must be an itsm.Engine, not {type(engine).__name__}")
        eng: _PacketEngine | None = engine if engine is not None else self._engine
        if eng is None:
            raise InvalidArgument("this packet has no engine: pass engine=", code=_ffi.EINVAL)
        return eng

    # ---- identity and state --------------------------------------------------------
    @property
    def kind(self) -> str:
        with self._use() as p:
            return _ffi.text(_ffi.itsm_packet_kind_name(_ffi.itsm_packet_kind_of(p))) or ""

    @property
    def state(self) -> str:
        """"draft", "proposed", "acknowledged" or "rejected"."""
        with self._use() as p:
            return _ffi.PACKET_STATES.get(_ffi.itsm_packet_state_of(p), "unknown")

    @property
    def record_id(self) -> str:
        with self._use() as p:
            return _ffi.text(_ffi.itsm_packet_record_id(p)) or ""

    @property
    def record_kind(self) -> str:
        with self._use() as p:
            return kind_name(_ffi.itsm_packet_record_kind(p))

    @property
    def record(self) -> Record:
        """The record the packet is about, in its engine."""
        return self._engine_for(None).find(self.record_id)

    @property
    def created_at(self) -> _dt.datetime | None:
        with self._use() as p:
            return from_c(_ffi.itsm_packet_created_at(p))

    @property
    def seq(self) -> int:
        """The handover number the engine gave on proposing; 0 for a draft."""
        with self._use() as p:
            return int(_ffi.itsm_packet_seq(p))

    @property
    def proposed_at(self) -> _dt.datetime | None:
        with self._use() as p:
            return from_c(_ffi.itsm_packet_proposed_at(p))

    @property
    def decided_by(self) -> str | None:
        """Who acknowledged or rejected it (None before)."""
        with self._use() as p:
            return _ffi.text(_ffi.itsm_packet_decided_by(p))

    @property
    def decided_at(self) -> _dt.datetime | None:
        with self._use() as p:
            return from_c(_ffi.itsm_packet_decided_at(p))

    @property
    def reason(self) -> str | None:
        """Why it was rejected (None unless rejected)."""
        with self._use() as p:
            return _ffi.text(_ffi.itsm_packet_reason(p))

    @property
    def errmsg(self) -> str:
        """Why the last failing call on this packet failed ("" if none)."""
        with self._use() as p:
            return _ffi.text(_ffi.itsm_packet_errmsg(p)) or ""

    # ---- content -------------------------------------------------------------------
    @property
    def next_update(self) -> _dt.datetime | None:
        with self._use() as p:
            return from_c(_ffi.itsm_packet_next_update(p))

    @next_update.setter
    def next_update(self, when: TimeLike | None) -> None:
        t = to_c_optional(when, "next_update")
        with self._use() as p:
            self._check(p, _ffi.itsm_packet_set_next_update(p, t))

    @property
    def contact_verified(self) -> bool:
        with self._use() as p:
            return bool(_ffi.itsm_packet_contact_verified(p))

    @contact_verified.setter
    def contact_verified(self, value: bool) -> None:
        with self._use() as p:
            self._check(p, _ffi.itsm_packet_set_contact_verified(p, as_flag(value, "contact_verified")))

    def texts(self) -> dict[str, str]:
        """Every text slot that is set, by name."""
        out = {}
        with self._use() as p:
            for i, name in enumerate(_ffi.PACKET_TEXTS):
                v = _ffi.text(_ffi.itsm_packet_text_of(p, i))
                if v is not None:
                    out[name] = v
        return out

    # ---- deliverables (to_operations) -------------------------------------------------
    def add_deliverable(self, name: str, owner: str, approver: str, *,
                        required: bool = True) -> Packet:
        with self._use() as p:
            self._check(p, _ffi.itsm_packet_add_deliverable(p, cstr(name, "name"),
                                                            cstr(owner, "owner"),
                                                            cstr(approver, "approver"),
                                                            as_flag(required, "required")))
        return self

    def set_deliverable_status(self, name: str, status: str, by: str | None = None) -> Packet:
        """"pending", "delivered", "approved" or "rejected", set by ``by``,
        the party whose act it is: the owner delivers, the appointed
        approver approves or rejects, either resets to pending
        (``InvalidArgument`` for anyone else; without ``by`` the host
        records it, allowed for all but "approved")."""
        if status not in _ffi.DELIVERABLE_STATUS:
            raise InvalidArgument(f"unknown deliverable status {status!r} (one of: "
                                  f"{', '.join(_ffi.DELIVERABLE_STATUS)})", code=_ffi.EINVAL)
        with self._use() as p:
            self._check(p, _ffi.itsm_packet_set_deliverable_status(
                p, cstr(name, "name"), _ffi.DELIVERABLE_STATUS[status], cstr_optional(by, "by")))
        return self

    def approve(self, name: str, by: str) -> Packet:
        return self.set_deliverable_status(name, "approved", by)

    @property
    def deliverables(self) -> list[Deliverable]:
        """The deliverables, as :class:`Deliverable` copies."""
        out = []
        with self._use() as p:
            for i in range(_ffi.itsm_packet_deliverable_count(p)):
                d = _ffi.Deliverable()
                self._check(p, _ffi.itsm_packet_deliverable_at(p, i, byref(d)))
                out.append(Deliverable(_ffi.text(d.name) or "", _ffi.text(d.owner) or "",
                                       _ffi.text(d.approver) or "",
                                       _ffi.text(_ffi.itsm_deliverable_status_name(d.status)) or "",
                                       _ffi.text(d.approved_by), bool(d.required)))
        return out

    @property
    def gate_open(self) -> bool:
        """to_operations: every required deliverable approved and acknowledged."""
        with self._use() as p:
            return bool(_ffi.itsm_packet_gate_open(p))

    # ---- completeness -----------------------------------------------------------------
    def completeness(self, policy: Policy | None = None) -> Completeness:
        """Score against ``policy``'s checklist (default: the engine's policy)."""
        score = c_int(0)
        buf = ctypes.create_string_buffer(2048)
        if policy is not None:
            from .policy import Policy
            if not isinstance(policy, Policy):
                raise TypeError(f"policy must be an itsm.Policy, not {type(policy).__name__}")
            with self._use() as p:
                rc = _ffi.itsm_packet_completeness(byref(score), p, policy._p(), buf, len(buf))
        else:
            eng = self._engine_for(None)
            with eng._entry() as e, self._use() as p:
                rc = _ffi.itsm_packet_completeness(byref(score), p, _ffi.itsm_engine_policy(e),
                                                   buf, len(buf))
        if rc != _ffi.OK:
            raise make_error(rc)
        return Completeness(score.value, tuple(buf.value.decode("utf-8", "replace").split()))

    # ---- the two-party handover -----------------------------------------------------------
    def _engine_call(self, engine: Engine | None, fn: Any, *args: Any) -> Packet:
        eng = self._engine_for(engine)
        with eng._entry() as e, self._use() as p:
            eng._check(e, fn(p, e, *args))
        if self._engine is None:
            self._engine = eng
        return self

    def propose(self, engine: Engine | None = None) -> Packet:
        """The sender proposes: one "handover_propose" event on the record."""
        return self._engine_call(engine, _ffi.itsm_packet_propose)

    def acknowledge(self, by: str, engine: Engine | None = None) -> Packet:
        """The receiver takes it over: ownership moves."""
        return self._engine_call(engine, _ffi.itsm_packet_acknowledge, cstr(by, "by"))

    def reject(self, by: str, reason: str, engine: Engine | None = None) -> Packet:
        """The receiver kicks it back (never a desk_to_major packet: StateError)."""
        return self._engine_call(engine, _ffi.itsm_packet_reject, cstr(by, "by"),
                                 cstr(reason, "reason"))

    # ---- JSON and comparison ------------------------------------------------------------------
    def to_json(self) -> str:
        """The packet document (version 1, docs/handover.md)."""
        with self._use() as p:
            rc, text = _ffi.snprintf_call(_ffi.itsm_packet_to_json, p)
        if rc != _ffi.OK:
            raise make_error(rc)
        return text

    @property
    def data(self) -> dict[str, Any]:
        result: dict[str, Any] = _json.loads(self.to_json())
        return result

    def __eq__(self, other: builtins.object) -> bool:
        """Same kind, record and content (state and number are not content)."""
        if not isinstance(other, Packet):
            return NotImplemented
        with self._use() as a, other._use() as b:
            return bool(_ffi.itsm_packet_equal(a, b))

    # Unhashable: equality is by content, which a draft changes.  mypy wants
    # the ignore for any class that does this (typeshed's list has it too).
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<itsm.Packet closed>"
        try:
            return f"<itsm.Packet {self.kind} {self.record_id} {self.state} seq={self.seq}>"
        except StateError:
            return "<itsm.Packet (engine closed)>"


for _i, _name in enumerate(_ffi.PACKET_TEXTS):
    setattr(Packet, _name, _text_property(_i, _name))
for _name in _ffi.PACKET_LISTS:
    setattr(Packet, _name, PacketListSlot(_name))
del _i, _name


class Handovers(Sequence[Packet]):
    """Every proposal the engine holds, in proposing order (the engine's
    own packets)."""
    __slots__ = ("_eng",)

    def __init__(self, eng: _PacketEngine) -> None:
        self._eng = eng

    def __len__(self) -> int:
        with self._eng._entry() as p:
            return int(_ffi.itsm_engine_handover_count(p))

    @overload
    def __getitem__(self, index: int) -> Packet: ...
    @overload
    def __getitem__(self, index: slice) -> list[Packet]: ...

    def __getitem__(self, index: int | slice) -> Packet | list[Packet]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        eng = self._eng
        with eng._entry() as p:
            n = int(_ffi.itsm_engine_handover_count(p))
            if index < 0:
                index += n
            if not 0 <= index < n:
                raise IndexError("handover index out of range")
            out = c_void_p()
            eng._check(p, _ffi.itsm_engine_handover_at(byref(out), p, index))
            return Packet._make(ptr_of(out), owned=False, engine=eng)


class EngineHandoverMixin:
    """The handovers an :class:`~itsm.Engine` holds and its quality log."""
    __slots__ = ()
    if TYPE_CHECKING:
        _alloc_keep: tuple[Any, ...] | None
        _reloads: int

        def _entry(self) -> _Entry: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...
        def find(self, id: str) -> Record: ...

    @property
    def handovers(self) -> Handovers:
        """Every proposed packet (the engine's copies), in proposing order."""
        return Handovers(self)

    def handover(self, seq: int) -> Packet:
        """The engine's packet with handover number ``seq``; NotFound."""
        out = c_void_p()
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_handover_find(byref(out), p, as_uint32(seq, "seq")))
            return Packet._make(ptr_of(out), owned=False, engine=self)

    @property
    def quality_log(self) -> list[QualityEntry]:
        """desk_to_major handovers accepted with items missing."""
        out = []
        with self._entry() as p:
            for i in range(_ffi.itsm_quality_log_count(p)):
                q = _ffi.QualityEntry()
                self._check(p, _ffi.itsm_quality_log_at(p, i, byref(q)))
                out.append(QualityEntry(_ffi.text(q.record_id) or "", _ffi.text(q.sender_group),
                                        from_c_required(q.at), int(q.seq), int(q.score),
                                        tuple((_ffi.text(q.missing) or "").split())))
        return out

    def handover_report_json(self, start: TimeLike | None = None, end: TimeLike | None = None) -> str:
        """The exception report of poor desk_to_major handovers acknowledged
        within [start, end] (default: all time), as JSON."""
        f = to_c(start, "start") if start is not None else _ffi.TIME_MIN
        t = to_c(end, "end") if end is not None else _ffi.TIME_MAX
        with self._entry() as p:
            rc, text = _ffi.snprintf_call(_ffi.itsm_handover_report_to_json, p, f, t)
            if rc != _ffi.OK:
                raise make_error(rc, "handover report: bad period" if rc == _ffi.EINVAL else "")
        return text

    def handover_report(self, start: TimeLike | None = None,
                        end: TimeLike | None = None) -> dict[str, Any]:
        """:meth:`handover_report_json`, parsed."""
        result: dict[str, Any] = _json.loads(self.handover_report_json(start, end))
        return result
