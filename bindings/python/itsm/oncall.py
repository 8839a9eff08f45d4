# SPDX-License-Identifier: Apache-2.0
"""On-call escalation and alert intake (oncall.h, docs/oncall.md):
escalation policies on a :class:`~itsm.Policy`, paging and acknowledging
a :class:`~itsm.Record`, and :meth:`~itsm.Engine.ingest_alert`.

The methods are mixins of those classes; :class:`OncallInfo` is a frozen
dataclass (a plain copy).
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from ctypes import byref, c_char_p, c_int, c_void_p
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._time import from_c
from ._util import as_int, as_unsigned, changes, cstr, cstr_optional
from .errors import InvalidArgument

if TYPE_CHECKING:
    from .engine import Engine, Record

__all__ = ["OncallInfo"]


@dataclass(frozen=True)
class OncallInfo:
    """The climb of an incident: ``status`` is "paging", "acknowledged",
    "exhausted" or "stopped"; ``step`` and ``round`` (1-based) those of
    the last page; ``due`` its acknowledge deadline while paging."""
    status: str
    policy: str
    step: int
    round: int
    pages: int
    due: Optional[_dt.datetime]
    acked_by: Optional[str]
    acked_at: Optional[_dt.datetime]


def _uint(v: object, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise InvalidArgument(f"{what} must be a whole number 0..4294967295, not {v!r}")
    return as_unsigned(v, what)


class PolicyOncallMixin:
    """Escalation policies and the alert grouping window of a :class:`~itsm.Policy`."""
    __slots__ = ()
    if TYPE_CHECKING:
        def _p(self) -> int: ...
        def _check(self, rc: int) -> None: ...

    def add_oncall(self, name: str, steps: Sequence[tuple[Sequence[str], int]], *, repeat: int = 0,
                   services: Sequence[str] = (), max_priority: int = 5) -> None:
        """Add an escalation policy: ``steps`` are (targets, acknowledge
        timeout in minutes), tried in order and repeated ``repeat`` more
        times; it takes incidents of ``services`` (none: any) at
        ``max_priority`` or higher.  PolicyError on a bad definition."""
        keep: list[Any] = []
        st = (_ffi.OncallStep * max(len(steps), 1))()
        for i, (targets, minutes) in enumerate(steps):
            arr = (c_char_p * max(len(targets), 1))(*[cstr(t, "target") for t in targets])
            keep.append(arr)
            st[i].targets = arr
            st[i].ntargets = len(targets)
            st[i].ack_timeout = _uint(minutes, "ack_timeout")
        svc = (c_char_p * max(len(services), 1))(*[cstr(s, "service") for s in services])
        d = _ffi.OncallDef()
        self._check(_ffi.itsm_oncall_def_init(byref(d), _ffi.ONCALL_DEF_VERSION))
        d.name = cstr(name, "name")
        d.steps = st
        d.nsteps = len(steps)
        d.repeat = _uint(repeat, "repeat")
        d.services = svc
        d.nservices = len(services)
        if isinstance(max_priority, bool) or not isinstance(max_priority, int):
            raise InvalidArgument(f"max_priority must be an int, not {max_priority!r}")
        d.max_priority = as_int(max_priority, "max_priority")
        self._check(_ffi.itsm_policy_add_oncall(self._p(), byref(d)))

    def set_alert_window(self, minutes: int) -> None:
        """Group a new alert key under its group's incident opened within
        ``minutes`` (0..1440; 0: no grouping)."""
        self._check(_ffi.itsm_policy_set_alert_window(self._p(), _uint(minutes, "minutes")))


class RecordOncallMixin:
    """Paging, acknowledging and the alerts of a :class:`~itsm.Record`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int
        def _handle(self) -> int: ...

        def _mutate(self, fn: Any, *args: Any) -> Record: ...

    def page(self, policy: str) -> "Record":
        """Page this open incident under the escalation policy ``policy``
        (step 1 now).  NotFound for an unknown policy, AlreadyExists while
        a climb runs, StateError once resolved."""
        return self._mutate(_ffi.itsm_oncall_page, cstr(policy, "policy"))

    def acknowledge_page(self, by: str) -> "Record":
        """Acknowledge the page as ``by`` (a target of the policy): the
        climb stops.  InvalidArgument for anyone else, AlreadyExists when
        acknowledged, StateError when never paged or resolved."""
        return self._mutate(_ffi.itsm_oncall_acknowledge, cstr(by, "by"))

    @property
    def oncall(self) -> OncallInfo | None:
        """The climb, or None when the incident was never paged."""
        o = _ffi.OncallInfo()
        eng = self._engine
        with eng._entry() as p:
            rc = _ffi.itsm_record_oncall(byref(o), self._handle())
            if rc == _ffi.ENOTFOUND:
                return None
            eng._check(p, rc)
        return OncallInfo(status=_ffi.ONCALL_STATUS.get(o.status, str(o.status)), policy=_ffi.text(o.policy) or "",
                          step=int(o.step), round=int(o.round), pages=int(o.pages), due=from_c(o.due),
                          acked_by=_ffi.text(o.acked_by), acked_at=from_c(o.acked_at))

    @property
    def alert_count(self) -> int:
        """The alerts this incident took in (0: none)."""
        with self._engine._entry():
            return int(_ffi.itsm_record_alert_count(self._handle()))


class EngineOncallMixin:
    """Alert intake on an :class:`~itsm.Engine`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _custom: Any

        def _entry(self) -> Any: ...
        def _check(self, p: int, rc: int) -> None: ...
        def _wrap(self, rptr: int) -> Record: ...

    def ingest_alert(self, dedup_key: str, *, group: str | None = None,
                     fields: Mapping[str, Any] | None = None) -> tuple["Record", str]:
        """Take in one alert: (the incident, "opened" | "duplicate" |
        "grouped").  ``fields`` open the incident when the alert opens one;
        ``group`` defaults to its service."""
        arr, n, keep = changes(dict(fields or {}), self._custom)
        a = _ffi.Alert()
        _ffi.itsm_alert_init(byref(a), _ffi.ALERT_VERSION)
        a.dedup_key = cstr(dedup_key, "dedup_key")
        a.group = cstr_optional(group, "group")
        a.fields = arr
        a.nfields = n
        out = c_void_p()
        how = c_int(0)
        with self._entry() as p:
            self._check(p, _ffi.itsm_alert_ingest(byref(out), byref(how), p, byref(a)))
            assert out.value is not None
            rec = self._wrap(out.value)
        del keep
        return rec, _ffi.ALERT_OUTCOMES.get(how.value, str(how.value))
