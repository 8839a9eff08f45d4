# SPDX-License-Identifier: Apache-2.0
"""Small value types handed out by the binding: events, timeline entries,
links.  They are plain copies: keeping one never keeps C memory alive."""
from __future__ import annotations

import ctypes
import datetime as _dt
import json as _json
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from . import _ffi
from ._time import EPOCH, from_c
from ._util import as_size, doc_bytes
from .errors import from_parse_error



def _convert(fn: Any, data: bytes) -> bytes:
    """An event converted by ``fn`` (json_to_binary or back), sized first."""
    n = ctypes.c_size_t(0)
    perr = _ffi.ParseErrorStruct()
    rc = fn(data, len(data), None, 0, ctypes.byref(n), ctypes.byref(perr))
    if rc == _ffi.ELIMIT and n.value:
        buf = ctypes.create_string_buffer(n.value + 1)
        rc = fn(data, len(data), buf, len(buf), ctypes.byref(n), ctypes.byref(perr))
        if rc == _ffi.OK:
            return buf.raw[:n.value]
    raise from_parse_error(rc, perr.text.decode("utf-8", "replace") or "not an event", perr)

@dataclass(frozen=True)
class Event:
    """One accepted change, as the store and the sink receive it.

    ``json`` is the event's stable one-line JSON form (what a store keeps
    and what ``Engine.replay`` reads back); ``data`` is it parsed.
    ``fields`` names the built-in fields the event changes (cleared or
    derived values included) and ``custom_fields`` is True when it may
    change a custom field (``itsm_event_fields``): a host that keeps a copy
    of some fields tells from its sink an event that leaves them alone.
    ``policy_version`` is the id of the policy version it is judged under
    (None for a ``policy`` event), ``chain`` its link in the record's hash
    chain (None when the engine keeps no chain).
    """
    type: str
    record_id: str
    record_kind: str
    revision: int
    time: _dt.datetime
    actor: Optional[str]
    name: Optional[str]        # a transition's lifecycle event ("resolve")
    from_state: Optional[str]
    to_state: Optional[str]
    json: str = field(repr=False)
    fields: frozenset[str] = field(default=frozenset(), repr=False)
    custom_fields: bool = field(default=False, repr=False)
    policy_version: Optional[str] = field(default=None, repr=False)
    chain: Optional[str] = field(default=None, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        d: dict[str, Any] = _json.loads(self.json)
        return d

    @classmethod
    def _from_c(cls, ev: Any) -> "Event":
        rc, text = _ffi.snprintf_call(_ffi.itsm_event_to_json, ev)
        if rc != _ffi.OK:    # cannot happen for a valid event; keep it visible
            raise RuntimeError(f"itsm_event_to_json failed ({rc})")
        t = _ffi.text
        bits = int(_ffi.itsm_event_fields(ev))
        link = ctypes.create_string_buffer(65)
        chained = _ffi.itsm_event_chain(ev, link) == _ffi.OK
        return cls(type=t(_ffi.itsm_event_type(ev)) or "",
                   record_id=t(_ffi.itsm_event_record_id(ev)) or "",
                   record_kind=t(_ffi.itsm_kind_name(_ffi.itsm_event_record_kind(ev))) or "",
                   revision=int(_ffi.itsm_event_revision(ev)),
                   time=from_c(_ffi.itsm_event_time(ev)) or EPOCH,
                   actor=t(_ffi.itsm_event_actor(ev)),
                   name=t(_ffi.itsm_event_name(ev)),
                   from_state=t(_ffi.itsm_event_from_state(ev)),
                   to_state=t(_ffi.itsm_event_to_state(ev)),
                   json=text,
                   fields=frozenset(t(_ffi.itsm_field_name(f)) or "" for f in range(63) if bits >> f & 1),
                   custom_fields=bool(bits >> 63 & 1),
                   policy_version=t(_ffi.itsm_event_policy_version(ev)),
                   chain=link.value.decode("ascii") if chained else None)

    @staticmethod
    def json_to_binary(json: str | bytes) -> bytes:
        """A stored event's JSON line in the binary form (docs/events.md; it
        starts with the byte 0xE5), byte for byte the same event: for a
        store that keeps events as BLOBs. ``Engine.replay`` takes either
        form. ParseError / LimitExceeded for input that is not JSON."""
        return _convert(_ffi.itsm_event_json_to_binary, doc_bytes(json, "event"))

    @staticmethod
    def binary_to_json(data: bytes) -> str:
        """The reverse of :meth:`json_to_binary`: the JSON line the event
        was written as. ParseError / LimitExceeded for bytes that are not an
        event's binary form."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("binary_to_json takes bytes")
        return _convert(_ffi.itsm_event_binary_to_json, bytes(data)).decode("utf-8")

    @staticmethod
    def _batch(evs: Any, n: int) -> list["Event"]:
        return [Event._from_c(evs[i]) for i in range(n)]


NOTE_KINDS = {1: "work", 2: "customer", 3: "system"}
NOTE_KIND_CODES = {"work": 1, "customer": 2, "system": 3}
LINK_KINDS = {1: "related", 2: "parent", 3: "child"}
LINK_KIND_CODES = {"related": 1, "parent": 2, "child": 3}


@dataclass(frozen=True)
class FieldChange:
    """One field an event set, before and after, as text: strings as they
    are, numbers in decimal, ``"true"``/``"false"``, times as
    ``YYYY-MM-DDTHH:MM:SSZ``; None when unset (before) or cleared (after)."""
    field: str
    old: Optional[str]
    new: Optional[str]


@dataclass(frozen=True)
class TimelineEntry:
    """One timeline entry: a note (work note, customer update with its
    expected restoration and next update, system note) or, in a record's
    :meth:`~itsm.Record.history`, any event - with who (``author``), when
    (``at``), what happened (``text``: a note's text, else one line such as
    ``"assign: new -> assigned"``) and the fields it changed."""
    kind: Optional[str]        # a note: "work", "customer", "system"; any other event: None
    at: _dt.datetime
    author: Optional[str]
    text: str
    expected_restoration: Optional[_dt.datetime] = None
    next_update: Optional[_dt.datetime] = None
    type: str = "note"         # the event type (docs/events.md): "open", "transition", "sla_breach", ...
    revision: int = 0          # the record's revision after it; 0 for a note the engine keeps
    event: Optional[str] = None        # a transition's lifecycle event
    from_state: Optional[str] = None   # a transition's states; "open": to_state only
    to_state: Optional[str] = None
    changes: tuple[FieldChange, ...] = ()
    json: Optional[str] = field(default=None, repr=False)   # the stored event

    @property
    def data(self) -> Optional[dict[str, Any]]:
        """The stored event parsed (None for a note the engine keeps)."""
        if self.json is None:
            return None
        d: dict[str, Any] = _json.loads(self.json)
        return d

    @classmethod
    def _from_c(cls, e: "_ffi.TimelineEntryStruct",
                changes: tuple[FieldChange, ...] = ()) -> "TimelineEntry":
        t = _ffi.text
        return cls(kind=NOTE_KINDS.get(e.kind), at=from_c(e.at) or EPOCH,
                   author=t(e.author), text=t(e.text) or "",
                   expected_restoration=from_c(e.expected_restoration),
                   next_update=from_c(e.next_update), type=t(e.type) or "note",
                   revision=int(e.revision), event=t(e.event), from_state=t(e.from_state),
                   to_state=t(e.to_state), changes=changes, json=t(e.json))


NEED_KINDS = {1: "field", 2: "any_of", 3: "value", 4: "link", 5: "term"}


@dataclass(frozen=True)
class GuardNeed:
    """A term of a transition's guard a record does not meet yet.
    ``kind`` is "field" (``field`` must be set), "any_of" (one of the
    fields of ``term``, ``a|b``, must be set; ``field`` is the first),
    "value" (``field`` must equal ``value``), "link" (a related link to a
    record of ``link_kind``) or "term" (a change term such as "approved:all":
    ``field`` is its kind, "approved", and ``value`` its argument); ``term``
    is the term as the policy writes it."""
    kind: str
    field: Optional[str]
    value: Optional[str]
    link_kind: Optional[str]
    term: str

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields that would meet it (none for a link)."""
        if self.kind in ("link", "term"):
            return ()
        return tuple(self.term.split("=")[0].split("|"))

    @classmethod
    def _from_c(cls, n: "_ffi.GuardNeedStruct") -> "GuardNeed":
        t = _ffi.text
        return cls(kind=NEED_KINDS.get(n.kind, str(n.kind)), field=t(n.field), value=t(n.value),
                   link_kind=t(_ffi.itsm_kind_name(n.link_kind)) if n.link_kind else None,
                   term=t(n.term) or "")


@dataclass(frozen=True)
class AllowedEvent:
    """A lifecycle event that can fire from a record's state
    (:meth:`~itsm.Record.allowed`): where it leads, and what its guard
    still misses (``ready`` when nothing)."""
    event: str
    to_state: str
    missing: tuple[GuardNeed, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class History:
    """A record's whole history (:meth:`~itsm.Record.history`), oldest
    first: a sequence of :class:`TimelineEntry`.  ``complete`` is False
    when the store cannot read a record back (no ``read_record``): then it
    holds the notes only."""
    entries: tuple[TimelineEntry, ...]
    complete: bool

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def __getitem__(self, index: int) -> TimelineEntry:
        return self.entries[index]


@dataclass(frozen=True)
class Link:
    """A link from a record: ``kind`` is "related", "parent" (this record is
    a child of the target) or "child" (the target is a child of this one)."""
    kind: str
    target_kind: str
    target_id: str

    @classmethod
    def _from_c(cls, l: "_ffi.LinkStruct") -> "Link":
        return cls(kind=LINK_KINDS.get(l.kind, str(l.kind)),
                   target_kind=_ffi.text(_ffi.itsm_kind_name(l.target_kind)) or "",
                   target_id=_ffi.text(l.target_id) or "")


@dataclass(frozen=True)
class JsonLimits:
    """Bounds of the JSON reader; 0 means the library's default."""
    max_document: int = 0
    max_string: int = 0
    max_depth: int = 0

    def _to_c(self) -> "_ffi.JsonLimits":
        # size_t members: -1 would wrap to "no bound at all"
        return _ffi.JsonLimits(as_size(self.max_document, "max_document"),
                               as_size(self.max_string, "max_string"),
                               as_size(self.max_depth, "max_depth"))
