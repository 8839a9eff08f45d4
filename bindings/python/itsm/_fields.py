# SPDX-License-Identifier: Apache-2.0
"""Record fields as typed attributes.

Every field of the C field table (``itsm_field_name``) is declared here with
its Python type, so ``record.priority`` is ``int | None`` to a type checker
and in ``help(Record)``.  A test checks that this list and the loaded
library's field table agree.  Settable fields are :class:`Field`
descriptors (assigning one is one ``update``); fields the engine maintains
are :class:`EngineField` descriptors, which have no setter.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Generic, Optional, TypeVar, Union, overload

from . import _ffi
from ._time import from_c
from ._util import FIELDS, FieldInfo

if TYPE_CHECKING:
    from .engine import Record

T = TypeVar("T")
FieldValue = Union[str, int, bool, _dt.datetime, None]

# Int fields for which 0 is a value, not "unset".
_ZERO_IS_A_VALUE = {"hierarchical_level"}


def read_field(rptr: int, info: FieldInfo) -> FieldValue:
    """A field's value from the C record (call inside the engine's entry)."""
    t = info.type
    if t in ("text", "symbol", "enum"):
        return _ffi.text(_ffi.itsm_record_str(rptr, info.id))
    if t == "time":
        return from_c(_ffi.itsm_record_int(rptr, info.id))
    if t == "bool":
        return bool(_ffi.itsm_record_has(rptr, info.id))
    if info.id >= _ffi.F_CUSTOM_FIRST:   # a custom int is set once given a value, 0 included
        return int(_ffi.itsm_record_int(rptr, info.id)) if _ffi.itsm_record_has(rptr, info.id) else None
    v = int(_ffi.itsm_record_int(rptr, info.id))
    if v == 0 and not (info.engine_owned or info.name in _ZERO_IS_A_VALUE):
        return None     # impact, urgency, priority...: 0 means unset
    return v


class EngineField(Generic[T]):
    """A field the engine maintains: read-only."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> "EngineField[T]": ...
    @overload
    def __get__(self, obj: "Record", owner: Optional[type] = None) -> T: ...

    def __get__(self, obj: Optional["Record"], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        info = FIELDS.get(self.name)
        if info is None:
            raise AttributeError(f"the loaded library has no field '{self.name}'")
        with obj._engine._entry():
            return read_field(obj._handle(), info)


class Field(EngineField[T]):
    """A settable field: assigning it is one ``record.update(name=value)``."""

    def __set__(self, obj: "Record", value: T) -> None:
        obj.update(**{self.name: value})  # type: ignore[arg-type]  # T is a FieldInput


class RecordFields:
    """The typed fields of a record (a mixin of :class:`~itsm.Record`).
    None means the field is unset."""
    __slots__ = ()

    summary = Field[Optional[str]]("text: a one-line summary")
    description = Field[Optional[str]]("text: the full description")
    caller = Field[Optional[str]]("symbol: who reported it")
    contact_verified = Field[bool]("bool: the caller's contact details were verified")
    service = Field[Optional[str]]("symbol: the affected service")
    ci = Field[Optional[str]]("symbol: the affected configuration item")
    category = Field[Optional[str]]("symbol: category (routing, reports, knowledge)")
    subcategory = Field[Optional[str]]("symbol: subcategory")
    impact = Field[Optional[int]]("int 1..3: impact (priority matrix row)")
    urgency = Field[Optional[int]]("int 1..3: urgency (priority matrix column)")
    priority = Field[Optional[int]]("int 1..5: priority, from impact and urgency unless set")
    assignment_group = Field[Optional[str]]("symbol: the group working on it")
    assignee = Field[Optional[str]]("symbol: the person working on it")
    functional_level = Field[Optional[int]]("int: functional escalation level (support line)")
    hierarchical_level = Field[int]("int: hierarchical escalation level (0: none)")
    major = Field[bool]("bool: a major incident")
    hold_reason = Field[Optional[str]]("symbol: why it is on hold")
    workaround = Field[Optional[str]]("text: the workaround")
    no_workaround = Field[bool]("bool: no workaround is possible")
    cause = Field[Optional[str]]("text: the cause")
    resolution_code = Field[Optional[str]]("symbol: how it was resolved")
    resolution_notes = Field[Optional[str]]("text: resolution notes")
    close_justification = Field[Optional[str]]("text: why it was closed")
    knowledge_decision = Field[Optional[str]]("symbol: the knowledge decision")
    change_type = Field[Optional[str]]("symbol: standard, normal or emergency (changes)")
    reassignments = EngineField[int]("int: reassignments counted by the policy's rule (engine)")
    reopens = EngineField[int]("int: times reopened (engine)")
    opened_at = EngineField[Optional[_dt.datetime]]("time: when it was opened (engine)")
    responded_at = EngineField[Optional[_dt.datetime]]("time: first response (engine)")
    resolved_at = EngineField[Optional[_dt.datetime]]("time: when it was resolved (engine)")
    closed_at = EngineField[Optional[_dt.datetime]]("time: when it was closed (engine)")
    updated_at = EngineField[Optional[_dt.datetime]]("time: the last change (engine)")
