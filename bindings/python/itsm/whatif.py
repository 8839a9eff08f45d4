# SPDX-License-Identifier: Apache-2.0
"""What-if (whatif.h): the engine's stored events judged again under a
candidate policy, compared with the actual run; and the migration check
(migration.h): what the candidate would do to the open records.

``engine.whatif(candidate)`` runs the library's what-if once and returns a
:class:`WhatIf` holding every figure as plain Python values (the C handle
is freed before it returns); ``to_json()`` gives the library's own document.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
from ctypes import byref, c_size_t, c_void_p, create_string_buffer
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._time import TimeLike, from_c, to_c
from .errors import InvalidArgument

if TYPE_CHECKING:
    from .engine import _Entry

__all__ = ["WhatIf", "WhatIfSummary", "WhatIfFlip", "WhatIfSla", "WhatIfGroup", "WhatIfDuration",
           "Migration", "MigrationFinding"]


def _td(s: float) -> _dt.timedelta:
    return _dt.timedelta(seconds=s)


def _name(fn: Any, v: int) -> str:
    return _ffi.text(fn(v)) or ""


def _str(b: Optional[bytes]) -> str:
    return _ffi.text(b) or ""


@dataclass(frozen=True)
class WhatIfSummary:
    as_of: _dt.datetime            # when open clocks were judged
    events: int                    # events replayed into each side
    records: int
    clocks: int                    # clocks with a verdict on either side
    flips: int
    to_breached: int
    to_met: int
    actual_breached: int
    candidate_breached: int


@dataclass(frozen=True)
class WhatIfFlip:
    """One clock of one record whose verdict differs ("none", "pending",
    "met", "breached"); clock is "response", "resolution" or "agreement"."""
    record: str
    group: Optional[str]
    priority: int
    clock: str
    actual_sla: Optional[str]
    candidate_sla: Optional[str]
    actual: str
    candidate: str
    actual_target: _dt.timedelta
    candidate_target: _dt.timedelta
    actual_elapsed: _dt.timedelta
    candidate_elapsed: _dt.timedelta


@dataclass(frozen=True)
class WhatIfSla:
    name: str
    clock: str
    actual_met: int
    actual_breached: int
    actual_pending: int
    candidate_met: int
    candidate_breached: int
    candidate_pending: int


@dataclass(frozen=True)
class WhatIfGroup:
    group: Optional[str]
    records: int
    actual_breached: int
    candidate_breached: int
    to_breached: int
    to_met: int


@dataclass(frozen=True)
class WhatIfDuration:
    count: int
    changed: int
    actual_mean: _dt.timedelta
    candidate_mean: _dt.timedelta
    mean_delta: _dt.timedelta
    actual_p50: _dt.timedelta
    candidate_p50: _dt.timedelta
    actual_p90: _dt.timedelta
    candidate_p90: _dt.timedelta
    max_delta: _dt.timedelta


@dataclass(frozen=True)
class WhatIf:
    """The difference a candidate policy makes (whatif.h): ``durations``
    by "resolve_wall" and "resolve_work"."""
    summary: WhatIfSummary
    flips: tuple[WhatIfFlip, ...]
    slas: tuple[WhatIfSla, ...]
    groups: tuple[WhatIfGroup, ...]
    durations: dict[str, WhatIfDuration]
    json_text: str

    def to_json(self) -> dict[str, Any]:
        """The library's JSON document (every flip listed), parsed."""
        result: dict[str, Any] = _json.loads(self.json_text)
        return result


def _collect(ptr: int) -> WhatIf:
    s = _ffi.WhatifSummary()
    _ffi.itsm_whatif_summary_of(byref(s), ptr)
    as_of = from_c(s.as_of)
    assert as_of is not None
    summary = WhatIfSummary(as_of, s.events, s.records, s.clocks, s.flips, s.to_breached, s.to_met,
                            s.actual_breached, s.candidate_breached)
    flips = []
    for i in range(_ffi.itsm_whatif_flip_count(ptr)):
        f = _ffi.WhatifFlip()
        _ffi.itsm_whatif_flip_at(ptr, i, byref(f))
        vn = _ffi.itsm_whatif_verdict_name
        flips.append(WhatIfFlip(_str(f.record), _ffi.text(f.group) if f.group else None, f.priority,
                                _name(_ffi.itsm_whatif_clock_name, f.clock),
                                _ffi.text(f.actual_sla) if f.actual_sla else None,
                                _ffi.text(f.candidate_sla) if f.candidate_sla else None,
                                _name(vn, f.actual), _name(vn, f.candidate), _td(f.actual_target),
                                _td(f.candidate_target), _td(f.actual_elapsed), _td(f.candidate_elapsed)))
    slas = []
    for i in range(_ffi.itsm_whatif_sla_count(ptr)):
        r = _ffi.WhatifSla()
        _ffi.itsm_whatif_sla_at(ptr, i, byref(r))
        slas.append(WhatIfSla(_str(r.name), _name(_ffi.itsm_whatif_clock_name, r.clock), r.actual_met,
                              r.actual_breached, r.actual_pending, r.candidate_met, r.candidate_breached,
                              r.candidate_pending))
    groups = []
    for i in range(_ffi.itsm_whatif_group_count(ptr)):
        g = _ffi.WhatifGroup()
        _ffi.itsm_whatif_group_at(ptr, i, byref(g))
        groups.append(WhatIfGroup(_ffi.text(g.group) if g.group else None, g.records, g.actual_breached,
                                  g.candidate_breached, g.to_breached, g.to_met))
    durations = {}
    for m in (0, 1):
        d = _ffi.WhatifDuration()
        _ffi.itsm_whatif_duration_of(byref(d), ptr, m)
        durations[_name(_ffi.itsm_whatif_measure_name, m)] = WhatIfDuration(
            d.count, d.changed, _td(d.actual_mean), _td(d.candidate_mean), _td(d.mean_delta), _td(d.actual_p50),
            _td(d.candidate_p50), _td(d.actual_p90), _td(d.candidate_p90), _td(d.max_delta))
    n = c_size_t()
    _ffi.itsm_whatif_to_json(ptr, c_size_t(-1).value, None, 0, byref(n))
    buf = create_string_buffer(n.value + 1)
    _ffi.itsm_whatif_to_json(ptr, c_size_t(-1).value, buf, n.value + 1, byref(n))
    return WhatIf(summary, tuple(flips), tuple(slas), tuple(groups), durations, buf.value.decode("utf-8"))


@dataclass(frozen=True)
class MigrationFinding:
    """One thing a candidate policy would do to an open record (migration.h).
    ``kind``: "state_removed", "transition_removed", "guard_fails",
    "sla_starts", "sla_stops", "timer_moves" or "not_replayed"."""
    kind: str
    record: str
    record_kind: str
    state: str
    event: Optional[str] = None            # transition_removed, guard_fails
    name: Optional[str] = None             # the SLA or agreement
    agreement: bool = False
    clock: Optional[str] = None            # timer_moves: "response", "resolution", "agreement"
    actual_target: Optional[_dt.timedelta] = None
    candidate_target: Optional[_dt.timedelta] = None
    actual_due: Optional[_dt.datetime] = None
    candidate_due: Optional[_dt.datetime] = None
    delta: Optional[_dt.timedelta] = None
    detail: Optional[str] = None           # guard_fails: the terms missing; not_replayed: why


@dataclass(frozen=True)
class Migration:
    """The migration check of a candidate policy: the open records checked,
    as of ``now``, and the findings in record order."""
    now: _dt.datetime
    records: int
    findings: tuple[MigrationFinding, ...]
    json_text: str

    def of_kind(self, kind: str) -> list[MigrationFinding]:
        return [f for f in self.findings if f.kind == kind]

    def to_json(self) -> dict[str, Any]:
        """The library's JSON document, parsed."""
        result: dict[str, Any] = _json.loads(self.json_text)
        return result


def _opt(b: Optional[bytes]) -> Optional[str]:
    return _ffi.text(b) if b else None


def _migration(ptr: int) -> Migration:
    found = []
    for i in range(_ffi.itsm_migration_count(ptr)):
        f = _ffi.MigrationFinding()
        _ffi.itsm_migration_at(ptr, i, byref(f))
        kind = _name(_ffi.itsm_migration_kind_name, f.kind)
        timer = kind == "timer_moves"
        found.append(MigrationFinding(
            kind, _str(f.record), _name(_ffi.itsm_kind_name, f.record_kind), _str(f.state), _opt(f.event),
            _opt(f.name), bool(f.agreement), _name(_ffi.itsm_whatif_clock_name, f.clock) if timer else None,
            _td(f.actual_target) if timer else None, _td(f.candidate_target) if timer else None,
            from_c(f.actual_due) if timer else None, from_c(f.candidate_due) if timer else None,
            _td(f.delta) if timer else None, _opt(f.detail)))
    n = c_size_t()
    _ffi.itsm_migration_to_json(ptr, None, 0, byref(n))
    buf = create_string_buffer(n.value + 1)
    _ffi.itsm_migration_to_json(ptr, buf, n.value + 1, byref(n))
    now = from_c(_ffi.itsm_migration_now(ptr))
    assert now is not None
    return Migration(now, int(_ffi.itsm_migration_records(ptr)), tuple(found), buf.value.decode("utf-8"))


class EngineWhatifMixin:
    __slots__ = ()

    if TYPE_CHECKING:
        def _entry(self) -> _Entry: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...

    def whatif(self, candidate: Any, *, as_of: Optional[TimeLike] = None) -> WhatIf:
        """The engine's stored events judged again under ``candidate`` (a
        :class:`~itsm.Policy`) and compared with its own policy's run
        (whatif.h); open clocks judged as of ``as_of`` (None: the latest
        stored event). The engine is not changed. Raises InvalidArgument
        (no candidate, an engine whose store cannot be scanned), PolicyError
        (findings in the candidate) or the replay's error."""
        from .policy import Policy
        if not isinstance(candidate, Policy):
            raise InvalidArgument("candidate must be an itsm.Policy")
        o = _ffi.WhatifOpts()
        _ffi.itsm_whatif_opts_init(byref(o), _ffi.WHATIF_OPTS_VERSION)
        if as_of is not None:
            o.as_of = to_c(as_of, "as_of")
        out = c_void_p()
        with self._entry() as p:
            rc = _ffi.itsm_whatif_new(byref(out), p, candidate._p(), byref(o))
            self._check(p, rc)
        ptr = out.value
        assert ptr is not None
        try:
            return _collect(ptr)
        finally:
            _ffi.itsm_whatif_free(ptr)

    def migration_check(self, candidate: Any) -> Migration:
        """What adopting ``candidate`` (a :class:`~itsm.Policy`) would do to
        the open records (migration.h), as of the engine's clock: states it
        removes, transitions that could fire now and no longer could, SLAs
        and agreements that start or stop applying, clocks that move. The
        engine is not changed. Raises InvalidArgument (no candidate, an
        engine whose store cannot be scanned) or PolicyError."""
        from .policy import Policy
        if not isinstance(candidate, Policy):
            raise InvalidArgument("candidate must be an itsm.Policy")
        out = c_void_p()
        with self._entry() as p:
            rc = _ffi.itsm_engine_migration_check(byref(out), p, candidate._p())
            self._check(p, rc)
        ptr = out.value
        assert ptr is not None
        try:
            return _migration(ptr)
        finally:
            _ffi.itsm_migration_free(ptr)
