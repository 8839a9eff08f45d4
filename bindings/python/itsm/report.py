# SPDX-License-Identifier: Apache-2.0
"""Reports over a period (report.h).

``engine.report(start, end)`` computes a :class:`Report` once; it belongs to
Python (``close()``/``with``, or the garbage collector) and stays valid, and
the same, after the engine changes or is closed.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
import threading
from collections.abc import Iterable
from ctypes import byref, c_void_p
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Protocol

from . import _ffi
from ._time import TimeLike, from_c_required, to_c
from ._util import cstr_optional, kind_mask, kind_name, KINDS
from .errors import InvalidArgument, StateError, make_error
from .satisfaction import SurveyRow, survey_rows
from .proposal import ProposalFigures, report_proposals

if TYPE_CHECKING:
    from .engine import _Entry

__all__ = ["Report", "DurationStat", "Figures", "SlaFigures", "SenderFigures", "Trend", "Group"]


class _ReportEngine(Protocol):
    """What a report uses of its engine while computing: an
    :class:`~itsm.Engine`, or its :class:`EngineReportMixin`."""
    _alloc_keep: tuple[Any, ...] | None

    def _entry(self) -> _Entry: ...
    def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...


def _td(seconds: float) -> _dt.timedelta:
    return _dt.timedelta(seconds=seconds)


@dataclass(frozen=True)
class DurationStat:
    """Count, mean, minimum, maximum and percentiles of a duration."""
    count: int
    mean: _dt.timedelta
    min: _dt.timedelta
    max: _dt.timedelta
    p50: _dt.timedelta
    p90: _dt.timedelta
    p95: _dt.timedelta
    p99: _dt.timedelta


@dataclass(frozen=True)
class Figures:
    """Process figures of the cohort (report.h).  ``resolved`` counts records
    resolved as of the report's now: one reopened and back in work is not,
    though ``ever_resolved`` keeps it; ``first_contact`` counts resolved
    records never reassigned, escalated past level 1 or reopened, and no
    accepted major incident."""
    resolved: int
    first_contact: int
    first_contact_rate: float
    reassignments: int
    reassigned_records: int
    ever_resolved: int
    reopened_records: int
    reopens: int
    reopen_rate: float


@dataclass(frozen=True)
class SlaFigures:
    tracked: int
    met: int
    breached: int
    compliance: float


@dataclass(frozen=True)
class SenderFigures:
    """Handover completeness of one sending group."""
    sender_group: Optional[str]
    packets: int
    mean_score: float
    complete: int


@dataclass(frozen=True)
class Group:
    """The cohort records with one value of the report's group_by field."""
    value: Optional[str]          # as text; None: unset
    count: int
    resolved: int
    met: int
    breached: int


@dataclass(frozen=True)
class Trend:
    week: _dt.datetime            # Monday 00:00 UTC
    category: Optional[str]
    opened: int
    resolved: int


class Report:
    """A report over [start, end) (report.h): volume, durations, process
    figures, SLA compliance, handover completeness, aging and trends.
    ``to_json()`` and ``to_csv()`` give the library's own documents."""

    __slots__ = ("_ptr", "_alloc_keep", "_lock", "__weakref__")
    _ptr: int | None
    _alloc_keep: tuple[Any, ...] | None     # the engine's Python allocator, if any, frees it
    _lock: threading.RLock

    def __init__(self) -> None:
        raise TypeError("reports come from Engine.report()")

    @classmethod
    def _new(cls, eng: _ReportEngine, start: TimeLike | None, end: TimeLike | None,
             now: TimeLike | None, kinds: str | Iterable[str | int] | None, calendar: str | None,
             filter: str | None = None, group_by: str | None = None) -> Report:
        o = _ffi.ReportOpts()
        _ffi.itsm_report_opts_init(byref(o), _ffi.REPORT_OPTS_VERSION)
        if start is not None:
            o.from_ = to_c(start, "start")
        if end is not None:
            o.to = to_c(end, "end")
        if now is not None:
            o.now = to_c(now, "now")
        if kinds is not None:
            if isinstance(kinds, str):
                kinds = (kinds,)
            kinds = list(kinds)
            if not kinds:   # the C 0 means every kind: not what an empty selection says
                raise InvalidArgument("kinds is empty: give None for every kind", code=_ffi.EINVAL)
            o.kinds = kind_mask(kinds, "kinds")
        cal = cstr_optional(calendar, "calendar")
        o.calendar = cal
        flt = cstr_optional(filter, "filter")
        o.filter = flt
        grp = cstr_optional(group_by, "group_by")
        o.group_by = grp
        out = c_void_p()
        with eng._entry() as p:
            rc = _ffi.itsm_report_new(byref(out), p, byref(o))
            try:
                eng._check(p, rc)
            except BaseException:
                _ffi.itsm_report_free(out.value)
                raise
        self = object.__new__(cls)
        self._ptr = out.value
        self._alloc_keep = eng._alloc_keep
        self._lock = threading.RLock()
        return self

    # ---- lifetime -------------------------------------------------------------
    def close(self) -> None:
        """Free the report now; further calls raise StateError."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
            if ptr:
                _ffi.itsm_report_free(ptr)
            self._alloc_keep = None

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            try:
                _ffi.itsm_report_free(ptr)
            except Exception:
                pass

    def _p(self) -> int:
        p = self._ptr
        if p is None:
            raise StateError("report is closed")
        return p

    # ---- period ---------------------------------------------------------------------
    @property
    def start(self) -> _dt.datetime:
        return from_c_required(_ffi.itsm_report_from(self._p()))

    @property
    def end(self) -> _dt.datetime:
        return from_c_required(_ffi.itsm_report_to(self._p()))

    @property
    def now(self) -> _dt.datetime:
        """The aging reference."""
        return from_c_required(_ffi.itsm_report_now(self._p()))

    @property
    def calendar(self) -> str:
        return _ffi.text(_ffi.itsm_report_calendar(self._p())) or ""

    # ---- volume ----------------------------------------------------------------------
    @property
    def total(self) -> int:
        return int(_ffi.itsm_report_total(self._p()))

    def __len__(self) -> int:
        return self.total

    @property
    def by_kind(self) -> dict[str, int]:
        p = self._p()
        return {name: int(_ffi.itsm_report_by_kind(p, code)) for name, code in KINDS.items()}

    @property
    def by_priority(self) -> dict[int | None, int]:
        """{None: no priority, 1: ..., 5: ...}."""
        p = self._p()
        return {(prio or None): int(_ffi.itsm_report_by_priority(p, prio)) for prio in range(6)}

    @property
    def by_state(self) -> dict[tuple[str, str], int]:
        """{(kind, state): count}, ordered by kind then state."""
        p = self._p()
        out = {}
        for i in range(_ffi.itsm_report_state_count(p)):
            r = _ffi.ReportRow()
            self._ok(_ffi.itsm_report_state_at(p, i, byref(r)))
            out[(kind_name(r.kind), _ffi.text(r.name) or "")] = int(r.count)
        return out

    @property
    def by_category(self) -> dict[str | None, int]:
        """{category (None: no category): count}."""
        p = self._p()
        out: dict[str | None, int] = {}
        for i in range(_ffi.itsm_report_category_count(p)):
            r = _ffi.ReportRow()
            self._ok(_ffi.itsm_report_category_at(p, i, byref(r)))
            out[_ffi.text(r.name)] = int(r.count)
        return out

    # ---- durations and figures ----------------------------------------------------------
    def duration(self, measure: str) -> DurationStat:
        """"respond_wall", "respond_work", "resolve_wall", "resolve_work",
        "approval_wall" or "approval_work"."""
        if measure not in _ffi.MEASURES:
            raise make_error(_ffi.EINVAL, f"unknown measure {measure!r} "
                                          f"(one of: {', '.join(_ffi.MEASURES)})")
        s = _ffi.ReportStat()
        self._ok(_ffi.itsm_report_duration(byref(s), self._p(), _ffi.MEASURES.index(measure)))
        return DurationStat(int(s.count), _td(s.mean), _td(s.min), _td(s.max), _td(s.p50),
                            _td(s.p90), _td(s.p95), _td(s.p99))

    @property
    def durations(self) -> dict[str, DurationStat]:
        return {m: self.duration(m) for m in _ffi.MEASURES}

    @property
    def figures(self) -> Figures:
        f = _ffi.ReportFigures()
        self._ok(_ffi.itsm_report_figures_of(byref(f), self._p()))
        return Figures(int(f.resolved), int(f.first_contact), f.first_contact_rate,
                       int(f.reassignments), int(f.reassigned_records), int(f.ever_resolved),
                       int(f.reopened_records), int(f.reopens), f.reopen_rate)

    @property
    def sla(self) -> SlaFigures:
        """SLA compliance of the cohort's resolution timers."""
        p = self._p()
        s = _ffi.ReportSlaFigures()
        self._ok(_ffi.itsm_report_sla(byref(s), p))
        return SlaFigures(int(s.tracked), int(s.met), int(s.breached), s.compliance)

    @property
    def senders(self) -> list[SenderFigures]:
        """Handover completeness by sending group."""
        p = self._p()
        out = []
        for i in range(_ffi.itsm_report_sender_count(p)):
            s = _ffi.ReportSender()
            self._ok(_ffi.itsm_report_sender_at(p, i, byref(s)))
            out.append(SenderFigures(_ffi.text(s.sender_group), int(s.packets), s.mean_score,
                                     int(s.complete)))
        return out

    @property
    def aging(self) -> dict[_dt.timedelta, int]:
        """{bucket lower bound (timedelta): open records}."""
        p = self._p()
        return {_td(_ffi.itsm_report_aging_bound(b)): int(_ffi.itsm_report_aging(p, b))
                for b in range(_ffi.AGING_BUCKETS)}

    @property
    def trends(self) -> list[Trend]:
        p = self._p()
        out = []
        for i in range(_ffi.itsm_report_trend_count(p)):
            t = _ffi.ReportTrend()
            self._ok(_ffi.itsm_report_trend_at(p, i, byref(t)))
            out.append(Trend(from_c_required(t.week), _ffi.text(t.category), int(t.opened),
                             int(t.resolved)))
        return out

    @property
    def satisfaction(self) -> list[SurveyRow]:
        """Survey answers: a row for all, then by group, service and week
        (satisfaction.h)."""
        return survey_rows(self._p(), self._ok)

    @property
    def problem_proposals(self) -> ProposalFigures:
        """The problems the recurrence rule proposed in the period (problem.h)."""
        return report_proposals(self._p(), self._ok)

    @property
    def filter(self) -> Optional[str]:
        """The condition the records were filtered by (None: all)."""
        return _ffi.text(_ffi.itsm_report_filter(self._p()))

    @property
    def group_by(self) -> Optional[str]:
        """The field the cohort is broken down by (None: none)."""
        return _ffi.text(_ffi.itsm_report_group_by(self._p()))

    @property
    def groups(self) -> list[Group]:
        """One :class:`Group` per value of ``group_by``: unset first, then
        numbers by value, text by bytes."""
        p = self._p()
        out = []
        for i in range(_ffi.itsm_report_group_count(p)):
            g = _ffi.ReportGroup()
            self._ok(_ffi.itsm_report_group_at(p, i, byref(g)))
            out.append(Group(_ffi.text(g.value), int(g.count), int(g.resolved), int(g.met),
                             int(g.breached)))
        return out

    # ---- writing ---------------------------------------------------------------------------
    def to_json(self) -> str:
        rc, text = _ffi.snprintf_call(_ffi.itsm_report_to_json, self._p())
        self._ok(rc)
        return text

    def to_csv(self) -> str:
        """RFC 4180 CSV (CRLF line ends): section,key,subkey,value."""
        rc, text = _ffi.snprintf_call(_ffi.itsm_report_to_csv, self._p())
        self._ok(rc)
        return text

    @property
    def data(self) -> dict[str, Any]:
        result: dict[str, Any] = _json.loads(self.to_json())
        return result

    @staticmethod
    def _ok(rc: int) -> None:
        if rc != _ffi.OK:
            raise make_error(rc)

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<itsm.Report closed>"
        return f"<itsm.Report {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d} total={self.total}>"


class EngineReportMixin:
    """Reports over a period of an :class:`~itsm.Engine`'s records."""
    __slots__ = ()
    if TYPE_CHECKING:
        _alloc_keep: tuple[Any, ...] | None

        def _entry(self) -> _Entry: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...

    def report(self, start: TimeLike | None = None, end: TimeLike | None = None, *,
               now: TimeLike | None = None, kinds: str | Iterable[str | int] | None = None,
               calendar: str | None = None, filter: str | None = None,
               group_by: str | None = None) -> Report:
        """A :class:`Report` over [start, end) (None: all time) of the
        records of ``kinds`` (names or C values; None: every kind; an empty list
        or a value of no kind is InvalidArgument), durations in working
        time on ``calendar`` (None: "24x7"), aging as of ``now`` (None: the
        engine's clock); only records for which the condition ``filter``
        holds (docs/conditions.md; None: all), broken down by the field
        ``group_by`` (built in or declared by the policy; see ``groups``)."""
        return Report._new(self, start, end, now, kinds, calendar, filter, group_by)
