# SPDX-License-Identifier: Apache-2.0
"""The post-incident review of a major incident (review.h): contributing
causes, action items with owners and due dates tracked to closure, the
timeline excerpt, and the engine's counts of open and overdue actions.

The methods are mixins of :class:`~itsm.Record` and :class:`~itsm.Engine`;
the value types are frozen dataclasses (plain copies).
"""
from __future__ import annotations

import datetime as _dt
from ctypes import byref, c_size_t
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._time import TimeLike, from_c, to_c
from ._util import cstr, cstr_optional

if TYPE_CHECKING:
    from .engine import Engine, Record
    from .types import History

__all__ = ["Review", "ReviewCause", "ReviewAction", "ReviewActionCounts"]


@dataclass(frozen=True)
class ReviewCause:
    """A contributing cause, with who recorded it and when."""
    text: str
    by: Optional[str]
    at: Optional[_dt.datetime]


@dataclass(frozen=True)
class ReviewAction:
    """An action item: ``owner`` None while nobody owns it; ``overdue``
    once its overdue event fired (it was open past ``due``)."""
    id: str
    text: str
    owner: Optional[str]
    due: Optional[_dt.datetime]
    added_at: Optional[_dt.datetime]
    added_by: Optional[str]
    done: bool
    done_at: Optional[_dt.datetime]
    done_by: Optional[str]
    note: Optional[str]
    overdue: bool


@dataclass(frozen=True)
class Review:
    """A major incident's post-incident review as its events left it."""
    opened_at: Optional[_dt.datetime]
    opened_by: Optional[str]
    complete: bool
    completed_at: Optional[_dt.datetime]
    completed_by: Optional[str]
    causes: tuple[ReviewCause, ...]
    actions: tuple[ReviewAction, ...]
    open_actions: int
    unowned_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class ReviewActionCounts:
    """Every review's actions in an engine: ``open`` (not done), of those
    ``overdue`` and ``unowned``."""
    open: int
    overdue: int
    unowned: int


class RecordReviewMixin:
    """The post-incident review of a major incident :class:`~itsm.Record`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int
        def _handle(self) -> int: ...

        def _mutate(self, fn: Any, *args: Any) -> Record: ...
        def _read_history(self, fn: Any) -> History: ...

    def open_review(self) -> "Record":
        """Open the review of this accepted major incident (one event;
        InvalidArgument for any other record, AlreadyExists for a second)."""
        return self._mutate(_ffi.itsm_review_open)

    def add_review_cause(self, text: str) -> "Record":
        """Record a contributing cause.  NotFound without a review,
        StateError once it is complete."""
        return self._mutate(_ffi.itsm_review_add_cause, cstr(text, "cause"))

    def add_review_action(self, action: str, text: str, due: TimeLike, owner: str | None = None) -> "Record":
        """Add action item ``action`` (a name unique in the review), due at
        ``due`` (after now), owned by ``owner`` or nobody yet."""
        return self._mutate(_ffi.itsm_review_add_action, cstr(action, "action"), cstr(text, "text"),
                            cstr_optional(owner, "owner"), to_c(due, "due"))

    def assign_review_action(self, action: str, owner: str) -> "Record":
        """Give the action an owner (NotFound for an unknown action,
        StateError when it is done)."""
        return self._mutate(_ffi.itsm_review_assign_action, cstr(action, "action"), cstr(owner, "owner"))

    def complete_review_action(self, action: str, note: str | None = None) -> "Record":
        """Mark the action done, with an optional note (StateError when it
        has no owner or is done already)."""
        return self._mutate(_ffi.itsm_review_action_done, cstr(action, "action"), cstr_optional(note, "note"))

    def complete_review(self) -> "Record":
        """Complete the review: StateError while no cause is recorded or an
        action has no owner (the message names it)."""
        return self._mutate(_ffi.itsm_review_complete)

    @property
    def review(self) -> Review | None:
        """The review, or None when the record has none."""
        eng = self._engine
        info = _ffi.ReviewInfo()
        with eng._entry() as p:
            rc = _ffi.itsm_record_review(byref(info), self._handle())
            if rc == _ffi.ENOTFOUND:
                return None
            eng._check(p, rc)
            causes = []
            for i in range(int(info.causes)):
                c = _ffi.ReviewCause()
                eng._check(p, _ffi.itsm_review_cause_at(byref(c), self._handle(), i))
                causes.append(ReviewCause(text=_ffi.text(c.text) or "", by=_ffi.text(c.by), at=from_c(c.at)))
            actions = []
            for i in range(int(info.actions)):
                a = _ffi.ReviewAction()
                eng._check(p, _ffi.itsm_review_action_at(byref(a), self._handle(), i))
                actions.append(ReviewAction(
                    id=_ffi.text(a.id) or "", text=_ffi.text(a.text) or "", owner=_ffi.text(a.owner),
                    due=from_c(a.due), added_at=from_c(a.added_at), added_by=_ffi.text(a.added_by),
                    done=bool(a.done), done_at=from_c(a.done_at), done_by=_ffi.text(a.done_by),
                    note=_ffi.text(a.note), overdue=bool(a.overdue)))
        return Review(opened_at=from_c(info.opened_at), opened_by=_ffi.text(info.opened_by),
                      complete=bool(info.complete), completed_at=from_c(info.completed_at),
                      completed_by=_ffi.text(info.completed_by), causes=tuple(causes), actions=tuple(actions),
                      open_actions=int(info.open_actions), unowned_actions=int(info.unowned_actions),
                      overdue_actions=int(info.overdue_actions))

    def review_timeline(self) -> "History":
        """The review's timeline excerpt: the key moments of the record's
        history (its opening, lifecycle steps, customer updates, links and
        the events of the service levels, escalation, major incident,
        handover and review), read from the store like
        :meth:`~itsm.Record.history`."""
        return self._read_history(_ffi.itsm_review_timeline)


class EngineReviewMixin:
    """The review actions an :class:`~itsm.Engine` tracks."""
    __slots__ = ()
    if TYPE_CHECKING:
        def _entry(self) -> Any: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...

    def review_actions(self) -> ReviewActionCounts:
        """How many review actions are open, overdue and without an owner."""
        o, d, u = c_size_t(0), c_size_t(0), c_size_t(0)
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_review_actions(p, byref(o), byref(d), byref(u)))
        return ReviewActionCounts(open=int(o.value), overdue=int(d.value), unowned=int(u.value))
