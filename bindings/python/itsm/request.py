# SPDX-License-Identifier: Apache-2.0
"""Request fulfilment: a service request's catalogue item and its tasks
(request.h).

The methods are a mixin of :class:`~itsm.Record`; a :class:`Task` is a
frozen dataclass (a plain copy that keeps no C memory alive).
"""
from __future__ import annotations

import datetime as _dt
from ctypes import byref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._time import from_c
from ._util import cstr, cstr_optional
from .errors import InvalidArgument

if TYPE_CHECKING:
    from .engine import Engine, Record

__all__ = ["Task"]

_CLOSE = {"done": 2, "canceled": 3}


@dataclass(frozen=True)
class Task:
    """A task of a service request, as its catalogue item declared it and
    its events left it.  ``state``: "waiting" (an earlier step is open),
    "open", "done" or "canceled".  ``due`` is ``opened_at`` plus the OLA
    target (None without a target or while waiting); ``breached``: closed
    after ``due``."""
    name: str
    group: str
    assignee: Optional[str]
    step: int
    priority: int
    ola_minutes: int
    state: str
    opened_at: Optional[_dt.datetime]
    due: Optional[_dt.datetime]
    closed_at: Optional[_dt.datetime]
    breached: bool

    @property
    def closed(self) -> bool:
        return self.state in _CLOSE


class RecordRequestMixin:
    """The catalogue item and the tasks of a service request :class:`~itsm.Record`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int

        def _handle(self) -> int: ...
        def _mutate(self, fn: Any, *args: Any) -> Record: ...
        def _read(self, fn: Any, *args: Any) -> Any: ...

    def choose_item(self, item: str) -> "Record":
        """Name the catalogue item the request asks for (an event).  Its
        tasks are generated when the request goes into fulfilment (at once
        when it is there).  NotFound for an item the catalogue lacks;
        StateError once the tasks are generated or the request is closed;
        InvalidArgument for a record that is not a service request."""
        return self._mutate(_ffi.itsm_request_choose_item, cstr(item, "item"))

    @property
    def item(self) -> Optional[str]:
        """The catalogue item chosen, or None."""
        return _ffi.text(self._read(_ffi.itsm_request_item))

    def assign_task(self, task: str, assignee: str) -> "Record":
        """Assign a task to a person (an event).  NotFound for an unknown
        task; StateError when the task or the request is closed."""
        return self._mutate(_ffi.itsm_request_task_assign, cstr(task, "task"), cstr(assignee, "assignee"))

    def close_task(self, task: str, state: str = "done", note: str | None = None) -> "Record":
        """Close a task as "done" (it must be open) or "canceled" (an
        event).  Closing the last task of a step opens the next step; the
        last task of all completes the request in the same step.
        StateError when the task is closed already, waits for an earlier
        step (done), or the request is closed."""
        code = _CLOSE.get(state)
        if code is None:
            raise InvalidArgument(f"a task closes as 'done' or 'canceled', not {state!r}", code=_ffi.EINVAL)
        return self._mutate(_ffi.itsm_request_task_close, cstr(task, "task"), code, cstr_optional(note, "note"))

    @property
    def tasks(self) -> list[Task]:
        """The request's tasks in the catalogue item's order ([] before they
        are generated, or without an item)."""
        eng = self._engine
        out = []
        with eng._entry() as p:
            for i in range(_ffi.itsm_request_task_count(self._handle())):
                t = _ffi.TaskInfo()
                eng._check(p, _ffi.itsm_request_task_at(byref(t), self._handle(), i))
                out.append(Task(name=_ffi.text(t.name) or "", group=_ffi.text(t.group) or "",
                                assignee=_ffi.text(t.assignee), step=int(t.step), priority=int(t.priority),
                                ola_minutes=int(t.ola_minutes),
                                state=_ffi.TASK_STATES.get(t.state, str(t.state)),
                                opened_at=from_c(t.opened_at), due=from_c(t.due), closed_at=from_c(t.closed_at),
                                breached=bool(t.breached)))
        return out


def task_state_name(state: int) -> Optional[str]:
    """The library's name of a task state code ("waiting", "open", ...)."""
    return _ffi.text(_ffi.itsm_task_state_name(state))
