# SPDX-License-Identifier: Apache-2.0
"""A record and its live sequences (:class:`Timeline`, :class:`Links`).

A :class:`Record` is owned by its :class:`~itsm.Engine` (which makes the
Record objects: :meth:`~itsm.Engine.open`, :meth:`~itsm.Engine.find`,
iteration) and keeps it alive; every call goes through the engine's entry
(its lock and closed check), see :mod:`itsm.engine`.
"""
from __future__ import annotations

import ctypes
from collections.abc import Iterator, Sequence
from ctypes import byref, c_void_p
from typing import TYPE_CHECKING, Any, TypeVar, Union, overload

from . import _ffi
from ._time import TimeLike, to_c_optional
from ._fields import FieldValue, RecordFields, read_field
from ._util import FIELDS, FieldInfo, changes, cstr, doc_bytes, field_info, kind_name, ptr_of
from .errors import InvalidArgument, StateError, from_parse_error
from .types import (LINK_KIND_CODES, NOTE_KIND_CODES, AllowedEvent, FieldChange, GuardNeed, History, Link,
                    TimelineEntry)
from .service import RecordServiceMixin
from .change import RecordChangeMixin
from .request import RecordRequestMixin
from .satisfaction import RecordSatisfactionMixin
from .review import RecordReviewMixin
from .proposal import RecordProposalMixin
from .oncall import RecordOncallMixin

if TYPE_CHECKING:
    from .engine import Engine

__all__ = ["Record", "Timeline", "Links", "FieldInput"]

#: What a field takes: str for text and symbol fields, int, bool, or None to
#: clear (times are maintained by the engine).
FieldInput = Union[str, int, bool, None]


class Record(RecordFields, RecordServiceMixin, RecordChangeMixin, RecordRequestMixin,
             RecordSatisfactionMixin, RecordProposalMixin, RecordOncallMixin, RecordReviewMixin):
    """A record (incident, service request, problem, change, knowledge).

    Owned by its engine; this object only refers to it and keeps the engine
    alive.  Every field is a property (``record.summary``, ``record.opened_at``
    ...): str for text and symbol fields, int, bool, aware UTC datetime, or
    None when unset.  Assigning a settable field is one ``update``.
    """
    __slots__ = ("_engine", "_ptr", "_gone_id", "__weakref__")
    _engine: Engine
    _ptr: int           # 0 once a reload took the record away (every call raises StateError)
    _gone_id: str       # its id then, for the message

    def __init__(self) -> None:
        raise TypeError("records come from Engine.open(), find() or iteration")

    @classmethod
    def _new(cls, engine: Engine, ptr: int) -> "Record":
        self = object.__new__(cls)
        self._engine = engine
        self._ptr = ptr
        self._gone_id = ""
        return self

    def _handle(self) -> int:
        """The C record for every change and read, inside the engine's
        entry. A record opened in a group that was not kept (a rollback, a
        failed commit) has none: every call on it raises StateError, as in
        the PHP binding. (The C library would give a bare "invalid
        argument" for some reads and empty values for others.)"""
        if not self._ptr:
            raise StateError(f"record {self._gone_id} is gone: it was opened in a group that was not kept")
        return self._ptr

    @property
    def engine(self) -> Engine:
        return self._engine

    # ---- identity and state ------------------------------------------------
    @property
    def id(self) -> str:
        with self._engine._entry():
            return _ffi.text(_ffi.itsm_record_id(self._handle())) or ""

    @property
    def kind(self) -> str:
        with self._engine._entry():
            return kind_name(_ffi.itsm_record_kind(self._handle()))

    @property
    def state(self) -> str:
        with self._engine._entry():
            return _ffi.text(_ffi.itsm_record_state(self._handle())) or ""

    def condition(self, text: str) -> bool:
        """Whether a condition (docs/conditions.md) holds for the record now.

        A bad condition raises :class:`~itsm.ParseError` with ``line`` and
        ``column`` within the text."""
        b = doc_bytes(text, "condition")
        out = ctypes.c_int(0)
        perr = _ffi.ParseErrorStruct()
        with self._engine._entry():
            rc = _ffi.itsm_record_condition(byref(out), self._handle(), b, len(b), byref(perr))
        if rc != _ffi.OK:
            raise from_parse_error(rc, perr.text.decode("utf-8", "replace"), perr)
        return bool(out.value)

    @property
    def is_open(self) -> bool:
        with self._engine._entry():
            return bool(_ffi.itsm_record_is_open(self._handle()))

    @property
    def revision(self) -> int:
        """Number of accepted changes; 1 right after opening."""
        with self._engine._entry():
            return int(_ffi.itsm_record_revision(self._handle()))

    @property
    def chain_head(self) -> str | None:
        """The link of the record's newest event in its hash chain (64 hex
        digits), or None when the engine does not know it (its store cannot
        give events back). docs/events.md, "The hash chain"."""
        out = ctypes.create_string_buffer(65)
        with self._engine._entry():
            rc = _ffi.itsm_record_chain_head(self._handle(), out)
        return out.value.decode("ascii") if rc == _ffi.OK else None

    # ---- fields --------------------------------------------------------------
    def get(self, name: str) -> FieldValue:
        """A field by name (the same value as the property)."""
        info = field_info(name, self._engine._custom)
        with self._engine._entry():
            return read_field(self._handle(), info)

    __getitem__ = get

    def fields(self, *, include_unset: bool = False) -> dict[str, FieldValue]:
        """Every field that is set (or all of them), by name."""
        out = {}
        with self._engine._entry():
            for name, info in (FIELDS | self._engine._custom).items():
                if include_unset or _ffi.itsm_record_has(self._handle(), info.id):
                    out[name] = read_field(self._handle(), info)
        return out

    # ---- changes -------------------------------------------------------------
    def update(self, **fields: FieldInput) -> "Record":
        """Change fields atomically, as one event:
        ``record.update(category="network", impact=1, urgency=1)``.
        None clears a text or symbol field."""
        arr, n, keep = changes(fields, self._engine._custom)
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_update(self._handle(), arr, n))
        return self

    def fire(self, event: str, /, **fields: FieldInput) -> "Record":
        """Fire a lifecycle event ("assign", "resolve", ...), setting the
        given fields in the same atomic step (they count for the guards).
        Raises TransitionRefused or GuardFailed."""
        ev = cstr(event, "event")
        arr, n, keep = changes(fields, self._engine._custom)
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_fire(self._handle(), ev, arr if n else None, n))
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
            eng._check(p, _ffi.itsm_record_add_note(self._handle(), byref(o)))
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
            eng._check(p, _ffi.itsm_record_link(self._handle(), LINK_KIND_CODES[kind], other._handle()))
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
            for i in range(int(_ffi.itsm_record_allowed_count(self._handle()))):
                a = _ffi.AllowedEventStruct()
                eng._check(p, _ffi.itsm_record_allowed_at(self._handle(), i, byref(a)))
                needs = []
                for j in range(int(a.nmissing)):
                    n = _ffi.GuardNeedStruct()
                    eng._check(p, _ffi.itsm_record_allowed_need_at(self._handle(), i, j, byref(n)))
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
            eng._check(p, fn(byref(out), self._handle()))
        tl = ptr_of(out)
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
        """The linked records themselves (optionally of one link kind).  An
        unknown kind raises InvalidArgument at the call, as :meth:`link`
        does (a misspelt one would otherwise match nothing)."""
        if kind is not None and kind not in LINK_KIND_CODES:
            raise InvalidArgument(f"link kind must be one of {', '.join(LINK_KIND_CODES)}, "
                                  f"not {kind!r}", code=_ffi.EINVAL)
        return self._linked(kind)

    def _linked(self, kind: str | None) -> Iterator["Record"]:
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
        if not self._ptr:      # repr must not raise: name the record that is gone
            return f"<itsm.Record {self._gone_id} (gone: its group was not kept)>"
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
            return int(_ffi.itsm_record_timeline_count(self._rec._handle()))

    def _at(self, eng: Engine, p: int, index: int) -> TimelineEntry:
        e = _ffi.TimelineEntryStruct()
        eng._check(p, _ffi.itsm_record_timeline_at(self._rec._handle(), index, byref(e)))
        return TimelineEntry._from_c(e)


class Links(_RecordSequence[Link]):
    """A record's links, read live from the engine."""
    __slots__ = ()

    def __len__(self) -> int:
        with self._rec._engine._entry():
            return int(_ffi.itsm_record_link_count(self._rec._handle()))

    def _at(self, eng: Engine, p: int, index: int) -> Link:
        l = _ffi.LinkStruct()
        eng._check(p, _ffi.itsm_record_link_at(self._rec._handle(), index, byref(l)))
        return Link._from_c(l)


# A field a newer library has and this binding does not declare yet is still
# readable (and settable) by name through get()/update() and as an untyped
# attribute; the typed declarations are in _fields.py.
def _field_property(info: FieldInfo) -> property:
    def fget(self: Record) -> FieldValue:
        with self._engine._entry():
            return read_field(self._handle(), info)
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
