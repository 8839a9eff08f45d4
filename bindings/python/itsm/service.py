# SPDX-License-Identifier: Apache-2.0
"""Service levels, escalation, major incidents, communication, problems and
knowledge (sla.h, escalation.h, communication.h, problem.h, knowledge.h).

The methods are defined here as mixins of :class:`~itsm.Engine` and
:class:`~itsm.Record`; the value types they return are frozen dataclasses
(plain copies that keep no C memory alive), except that a
:class:`AgingEntry` or :class:`Match` holds its :class:`~itsm.Record`.
"""
from __future__ import annotations

import ctypes
import datetime as _dt
from ctypes import byref, c_char_p, c_int, c_int64, c_size_t, c_void_p
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Optional

from . import _ffi
from ._time import EPOCH as _EPOCH, TimeLike, from_c, to_c, to_c_optional
from ._util import as_flag, as_int, as_size, changes, cstr, cstr_optional
from .errors import InvalidArgument, ItsmError, make_error
from .policy import Policy

if TYPE_CHECKING:
    from .engine import Engine, FieldInput, Record, _Entry
    from .handover import Packet

__all__ = ["Timer", "Agreement", "AgreementStep", "AgreementReport", "AgingEntry", "MajorDeadline", "Decision", "Reason", "Match", "Matches"]


def _td(seconds: int) -> _dt.timedelta:
    return _dt.timedelta(seconds=seconds)


# ---- value types -------------------------------------------------------------
@dataclass(frozen=True)
class Timer:
    """One service-level timer of a record, as of ``at``.

    ``status``: "none" (no target applies), "running", "paused" or
    "stopped"; ``target`` (None for next_update or no target), ``elapsed``,
    ``paused`` and ``remaining`` are working time (timedelta; ``remaining``
    is negative when overdue); ``due`` is when it breaches if it keeps
    running (None when paused or stopped)."""
    name: str
    status: str
    breached: bool
    target: Optional[_dt.timedelta]
    elapsed: _dt.timedelta
    paused: _dt.timedelta
    due: Optional[_dt.datetime]
    remaining: _dt.timedelta
    warnings: int
    calendar: Optional[str]
    at: _dt.datetime

    @property
    def running(self) -> bool:
        return self.status == "running"


@dataclass(frozen=True)
class Agreement:
    """A record's instance of an agreement (itsm/agreement.h), as of ``at``.

    ``type``: "sla", "ola" or "uc"; ``status``: "none" (never applied),
    "pending" (applies, not started), "running", "paused", "stopped" or
    "cancelled"; ``verdict``: "pending", "met" or "breached". ``target``
    (None without one), ``elapsed``, ``paused`` and ``remaining`` are
    working time; ``due`` is when the target is reached if the clock keeps
    running (None otherwise)."""
    name: str
    type: str
    status: str
    verdict: str
    target: Optional[_dt.timedelta]
    calendar: Optional[str]
    elapsed: _dt.timedelta
    paused: _dt.timedelta
    due: Optional[_dt.datetime]
    remaining: _dt.timedelta
    warnings: int
    breaches: int
    started_at: Optional[_dt.datetime]
    stopped_at: Optional[_dt.datetime]
    at: _dt.datetime


@dataclass(frozen=True)
class AgreementStep:
    """One step of a record's agreement history: ``step`` is "applied",
    "started", "paused", "resumed", "stopped", "reset", "warning",
    "breached" or "cancelled"; ``level`` numbers warnings and breaches;
    ``verdict`` is set on "stopped" (and "breached")."""
    at: _dt.datetime
    agreement: str
    step: str
    level: int
    verdict: str


@dataclass(frozen=True)
class AgreementReport:
    """The instances of one agreement over every record of the engine."""
    name: str
    applied: int
    met: int
    breached: int
    open: int
    cancelled: int


@dataclass(frozen=True)
class AgingEntry:
    """An open record in the aging list: its age, and the working time left
    to its resolution breach (None: no resolution deadline)."""
    record: object
    age: _dt.timedelta
    time_left: Optional[_dt.timedelta]


@dataclass(frozen=True)
class MajorDeadline:
    """A deadline of a major incident's initial phase."""
    name: str                 # "communication" or "groups"
    due: Optional[_dt.datetime]
    done: bool
    missed: bool


@dataclass(frozen=True)
class Reason:
    """Why a verdict was given: ``code`` ("cause_unknown", "recurrence"...)
    and the engine's text."""
    code: str
    text: str

    def __str__(self) -> str:
        return self.text or self.code


@dataclass(frozen=True)
class Decision:
    """The verdict for a finished incident (``record.decide_problem()``):
    ``verdict`` is "close", "to_problem" or "to_change"; ``reasons`` lists
    every rule's reason in the order the rules ran."""
    verdict: str
    problem_proposed: bool
    recurrence: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def __bool__(self) -> bool:   # "is there follow-up work?"
        return self.verdict != "close"


@dataclass(frozen=True)
class Match:
    """A knowledge match: the matching record, where it came from
    ("known_error", "article", "incident"), its score, the symptom words
    shared, its workaround and whether the desk can apply it at level 1."""
    record: object
    source: str
    score: int
    words: int
    workaround: Optional[str]
    level1_fix: bool


class Matches(list["Match"]):
    """A list of :class:`Match`, best first; ``total`` is how many matched
    in all (more than ``len()`` when the limit cut some)."""
    total: int = 0


def _answer(value: bool | None, what: str) -> int:
    if value is None:
        return _ffi.ANSWER_FROM_RECORD
    if not isinstance(value, bool):     # "no" is truthy: an answer is a bool, never a guess
        raise TypeError(f"{what} must be a bool or None, not {type(value).__name__}")
    return _ffi.ANSWER_YES if value else _ffi.ANSWER_NO


def _matches(eng: Any, p: int, buf: Any, n: int, total: int) -> Matches:
    out = Matches()
    for i in range(min(n, total)):
        m = buf[i]
        out.append(Match(record=eng._wrap(m.record), source=_ffi.MATCH_SOURCES.get(m.source,
                                                                                      str(m.source)),
                         score=m.score, words=int(m.words), workaround=_ffi.text(m.workaround),
                         level1_fix=bool(m.level1_fix)))
    out.total = total
    return out


def _plain_error(code: int, message: str) -> ItsmError:
    return make_error(code, message)


# ---- record mixin -------------------------------------------------------------
class RecordServiceMixin:
    """Service-level, escalation, communication, problem and knowledge calls
    of a :class:`~itsm.Record`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int
        def _handle(self) -> int: ...

    def _mutate(self, fn: Any, *args: Any) -> "Record":
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, fn(self._handle(), *args))
        return self  # type: ignore[return-value]  # the mixin is only a Record's

    def _read(self, fn: Any, *args: Any) -> Any:
        with self._engine._entry():
            return fn(self._handle(), *args)

    # ---- SLA timers (sla.h) ---------------------------------------------------
    def timer(self, name: str = "resolution", now: TimeLike | None = None) -> Timer:
        """One timer ("response", "resolution", "ola", "next_update") as of
        ``now`` (default: the engine's clock)."""
        if name not in _ffi.TIMERS:
            raise InvalidArgument(f"unknown timer {name!r} (one of: {', '.join(_ffi.TIMERS)})",
                                  code=_ffi.EINVAL)
        eng = self._engine
        with eng._entry() as p:
            if now is None:
                t = _ffi.itsm_engine_now(p)
                eng._check(p, _ffi.OK)
            else:
                t = to_c(now, "now")
            info = _ffi.TimerInfo()
            rc = _ffi.itsm_record_timer(byref(info), self._handle(), _ffi.TIMERS[name], t)
            if rc != _ffi.OK:
                raise _plain_error(rc, f"timer: bad time {t} (1970..9999)")
            return Timer(name=name, status=_ffi.TIMER_STATUS.get(info.status, str(info.status)),
                         breached=bool(info.breached),
                         target=_td(info.target) if info.target else None,
                         elapsed=_td(info.elapsed), paused=_td(info.paused), due=from_c(info.due),
                         remaining=_td(info.remaining), warnings=int(info.warnings),
                         calendar=_ffi.text(info.calendar), at=from_c(t) or _EPOCH)

    @property
    def timers(self) -> dict[str, Timer]:
        """Every timer by name, as of the engine's clock."""
        now = self._engine.now()
        return {name: self.timer(name, now) for name in _ffi.TIMERS}

    @property
    def sla(self) -> str | None:
        """The SLA that applies (by override, service or default); None when
        the record is not tracked.  Assigning puts the record on another SLA
        by hand (None: back to its service's)."""
        return _ffi.text(self._read(_ffi.itsm_record_sla))

    @sla.setter
    def sla(self, name: str | None) -> None:
        self.set_sla(name)

    @property
    def policy_version(self) -> str:
        """The id of the policy version the record is judged under
        (docs/policy.md, "Versions")."""
        return _ffi.text(self._read(_ffi.itsm_record_policy_version)) or ""

    @property
    def policy(self) -> Policy:
        """A copy of the policy of the version the record is judged under
        (an independent Policy; the engine's may be newer)."""
        with self._engine._entry():
            rc, text = _ffi.snprintf_call(_ffi.itsm_policy_to_json, _ffi.itsm_record_policy(self._handle()))
        if rc != _ffi.OK:
            raise make_error(rc)
        return Policy.from_json(text, check=False)

    def set_sla(self, name: str | None) -> "Record":
        return self._mutate(_ffi.itsm_record_set_sla, cstr_optional(name, "SLA name"))

    # ---- agreements (agreement.h) -----------------------------------------------
    def agreement(self, name: str, now: TimeLike | None = None) -> Agreement:
        """The record's instance of agreement ``name`` as of ``now`` (default:
        the engine's clock).  NotFound for an agreement the policy lacks."""
        eng = self._engine
        with eng._entry() as p:
            if now is None:
                t = _ffi.itsm_engine_now(p)
                eng._check(p, _ffi.OK)
            else:
                t = to_c(now, "now")
            info = _ffi.AgreementInfo()
            eng._check(p, _ffi.itsm_record_agreement(byref(info), self._handle(), cstr(name, "agreement name"), t))
            return Agreement(name=_ffi.text(info.name) or name,
                             type=_ffi.AGREEMENT_TYPES.get(info.type, str(info.type)),
                             status=_ffi.AGREEMENT_STATUS.get(info.status, str(info.status)),
                             verdict=_ffi.AGREEMENT_VERDICTS.get(info.verdict, str(info.verdict)),
                             target=_td(info.target) if info.target else None,
                             calendar=_ffi.text(info.calendar), elapsed=_td(info.elapsed),
                             paused=_td(info.paused), due=from_c(info.due), remaining=_td(info.remaining),
                             warnings=int(info.warnings), breaches=int(info.breaches),
                             started_at=from_c(info.started_at), stopped_at=from_c(info.stopped_at),
                             at=from_c(t) or _EPOCH)

    @property
    def agreements(self) -> dict[str, Agreement]:
        """Every agreement of the policy that ever applied to the record, by
        name, as of the engine's clock."""
        eng = self._engine
        now = eng.now()
        with eng._entry() as p:
            pol = _ffi.itsm_engine_policy(p)
            names = [_ffi.text(_ffi.itsm_policy_agreement_name(pol, i)) or ""
                     for i in range(_ffi.itsm_policy_agreement_count(pol))]
        out = {n: self.agreement(n, now) for n in names}
        return {n: a for n, a in out.items() if a.status != "none"}

    @property
    def agreement_history(self) -> list[AgreementStep]:
        """Every step of the record's agreements, in the order they happened."""
        eng = self._engine
        steps: list[AgreementStep] = []
        with eng._entry() as p:
            n = _ffi.itsm_record_agreement_steps(self._handle())
            for i in range(n):
                e = _ffi.AgreementEntry()
                eng._check(p, _ffi.itsm_record_agreement_step(byref(e), self._handle(), i))
                steps.append(AgreementStep(at=from_c(e.at) or _EPOCH, agreement=_ffi.text(e.agreement) or "",
                                           step=_ffi.text(_ffi.itsm_agreement_step_name(e.step)) or str(e.step),
                                           level=int(e.level),
                                           verdict=_ffi.AGREEMENT_VERDICTS.get(e.verdict, str(e.verdict))))
        return steps

    # ---- escalation (escalation.h) ----------------------------------------------
    def escalate(self, tried: str, *, level: int = 0, group: str | None = None) -> "Record":
        """Functional escalation to the next level (or ``level``), handing the
        record to ``group`` (None: the routing table's, else the current
        group).  ``tried`` says what was tried.  Raises LimitExceeded at
        level 3."""
        return self._mutate(_ffi.itsm_record_escalate, as_int(level, "level"), cstr_optional(group, "group"),
                            cstr(tried, "tried"))

    @property
    def first_contact_resolution(self) -> bool:
        """Resolved at functional level 1 (or none) with no reassignment and
        never reopened: a reopen says the first fix did not hold, and a
        record resolved again stays without it.  An accepted major incident
        never has it: the desk handed it to the major incident team."""
        return bool(self._read(_ffi.itsm_record_first_contact_resolution))

    def escalate_hierarchical(self, reason: str) -> "Record":
        """Climb one rung of the management ladder, with a reason.
        LimitExceeded at the top; StateError on a closed or resolved record
        (no work is owed to escalate: reopen it first), the record unchanged."""
        return self._mutate(_ffi.itsm_record_escalate_hierarchical, cstr(reason, "reason"))

    @property
    def escalation_audience(self) -> str | None:
        """The role of the record's current rung (None at level 0)."""
        return _ffi.text(self._read(_ffi.itsm_record_escalation_audience))

    # ---- major incidents --------------------------------------------------------
    def propose_major(self, reason: str) -> "Record":
        """Propose this record as a major incident.  AlreadyExists if it is
        proposed or accepted already."""
        return self._mutate(_ffi.itsm_major_propose, cstr(reason, "reason"))

    def decide_major(self, accept: bool, manager: str) -> "Record":
        """The major incident manager's decision on the proposal."""
        return self._mutate(_ffi.itsm_major_decide, as_flag(accept, "accept"), cstr(manager, "manager"))

    def accept_major(self, manager: str) -> "Record":
        """Accept the proposal: starts the initial 15 minutes."""
        return self.decide_major(True, manager)

    def reject_major(self, manager: str) -> "Record":
        return self.decide_major(False, manager)

    def communication_issued(self) -> "Record":
        """Record that the initial communication went out."""
        return self._mutate(_ffi.itsm_major_communication_issued)

    def engage_groups(self, *groups: str | Iterable[str]) -> "Record":
        """Record the technical resolving groups engaged (1..4 names)."""
        if len(groups) == 1 and not isinstance(groups[0], str):
            groups = tuple(groups[0])
        names = [cstr(g, "group") for g in groups]
        arr = (c_char_p * max(len(names), 1))(*names)
        return self._mutate(_ffi.itsm_major_engage_groups, arr, len(names))

    def attach(self, child: "Record | str") -> "Record":
        """Attach ``child`` (a Record or id) to this accepted major incident."""
        eng = self._engine
        if isinstance(child, str):
            child = eng.find(child)
        if getattr(child, "_engine", None) is not eng:
            raise InvalidArgument("attach needs a record of the same engine", code=_ffi.EINVAL)
        return self._mutate(_ffi.itsm_major_attach, child._handle())

    @property
    def major_state(self) -> str:
        """"none", "proposed", "accepted" or "rejected"."""
        return _ffi.MAJOR_STATES.get(self._read(_ffi.itsm_record_major_state), "none")

    @property
    def major_phase(self) -> str:
        """"none", "initial", "post" or "resolution"."""
        return _ffi.MAJOR_PHASES.get(self._read(_ffi.itsm_record_major_phase), "none")

    def major_deadline(self, which: str = "communication") -> MajorDeadline:
        """A deadline of the initial phase: "communication" or "groups".
        StateError when the record is not an accepted major incident."""
        idx = {"communication": 0, "groups": 1}.get(which)
        if idx is None:
            raise InvalidArgument(f"deadline must be 'communication' or 'groups', not {which!r}",
                                  code=_ffi.EINVAL)
        due, done, missed = c_int64(0), c_int(0), c_int(0)
        with self._engine._entry():
            rc = _ffi.itsm_record_major_deadline(byref(due), byref(done), byref(missed),
                                                 self._handle(), idx)
        if rc != _ffi.OK:
            raise _plain_error(rc, "not an accepted major incident" if rc == _ffi.ESTATE else "")
        return MajorDeadline(which, from_c(due.value), bool(done.value), bool(missed.value))

    @property
    def major_deadlines(self) -> dict[str, MajorDeadline]:
        """Both initial-phase deadlines by name ({} unless accepted)."""
        if self.major_state != "accepted":
            return {}
        return {w: self.major_deadline(w) for w in ("communication", "groups")}

    # ---- communication and closure (communication.h) ----------------------------
    @property
    def audience(self) -> str | None:
        """Who updates reach: "broadcast", "callers", or None (no priority)."""
        return _ffi.AUDIENCES.get(self._read(_ffi.itsm_record_audience))

    def declare_outage(self, expected_restoration: TimeLike, next_update: TimeLike) -> "Record":
        """Declare this record the known outage of its service.  StateError
        unless it is an open, unresolved incident (a service request reports
        no outage), the record unchanged; AlreadyExists when the service has
        one."""
        return self._mutate(_ffi.itsm_outage_declare,
                            to_c(expected_restoration, "expected_restoration"),
                            to_c(next_update, "next_update"))

    def end_outage(self) -> "Record":
        return self._mutate(_ffi.itsm_outage_end)

    @property
    def survey_sampled(self) -> bool:
        return bool(self._read(_ffi.itsm_record_survey_sampled))

    @property
    def knowledge_candidate(self) -> bool:
        return bool(self._read(_ffi.itsm_record_knowledge_candidate))

    @property
    def auto_close_due(self) -> _dt.datetime | None:
        return from_c(self._read(_ffi.itsm_record_auto_close_due))

    # ---- problems (problem.h) ---------------------------------------------------
    def decide_problem(self, *, cause_known: bool | None = None,
                       root_cause_needed: bool | None = None,
                       fix_needs_change: bool | None = None) -> Decision:
        """The verdict for this finished incident, with its reasons.  None
        takes an answer from the record; ``root_cause_needed`` is required
        when the cause is unknown (InvalidArgument otherwise).  An answer is
        a bool or None: anything else ("no", 0) is a TypeError."""
        o = _ffi.DecisionOpts()
        _ffi.itsm_decision_opts_init(byref(o), _ffi.DECISION_OPTS_VERSION)
        o.cause_known = _answer(cause_known, "cause_known")
        o.root_cause_needed = _answer(root_cause_needed, "root_cause_needed")
        o.fix_needs_change = _answer(fix_needs_change, "fix_needs_change")
        d = _ffi.Decision()
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_problem_decide(byref(d), self._handle(), byref(o)))
        reasons = tuple(Reason(_ffi.text(_ffi.itsm_reason_name(r.code)) or str(r.code),
                               r.text.decode("utf-8", "replace"))
                        for r in d.reasons[:d.nreasons])
        return Decision(_ffi.text(_ffi.itsm_verdict_name(d.verdict)) or str(d.verdict),
                        bool(d.problem_proposed), int(d.recurrence), reasons)

    def _open_from(self, fn: Any, id: str | None, fields: dict[str, Any]) -> "Record":
        arr, n, keep = changes(fields, self._engine._custom)
        o = _ffi.ProblemOpenOpts()
        _ffi.itsm_problem_open_opts_init(byref(o), _ffi.PROBLEM_OPEN_OPTS_VERSION)
        o.id = cstr_optional(id, "id")
        o.fields = arr if n else None
        o.nfields = n
        out = c_void_p()
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, fn(byref(out), self._handle(), byref(o)))
            assert out.value is not None
            return eng._wrap(out.value)

    def open_problem(self, id: str | None = None, **fields: FieldInput) -> "Record":
        """Open a problem record from this incident (linked both ways)."""
        return self._open_from(_ffi.itsm_problem_open_from_incident, id, fields)

    def open_change(self, id: str | None = None, **fields: FieldInput) -> "Record":
        """Open a change from this problem's known error (linked both ways)."""
        return self._open_from(_ffi.itsm_change_open_from_problem, id, fields)

    def close_problem(self, resolution_code: str, notes: str) -> "Record":
        """Close this problem: "fix_applied" (resolves, resumes waiting
        incidents) or "risk_accepted" / "duplicate" / "canceled"."""
        return self._mutate(_ffi.itsm_problem_close, cstr(resolution_code, "resolution_code"),
                            cstr(notes, "notes"))

    # ---- knowledge (knowledge.h) ------------------------------------------------
    def diagnose(self, limit: int = 20) -> Matches:
        """Known errors, articles and past incidents that match this record."""
        cap = as_size(limit, "limit")
        buf = _ffi.sized_array(_ffi.Match, cap)
        n = c_size_t(0)
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_diagnose(buf, cap, byref(n), self._handle()))
            return _matches(eng, p, buf, cap, n.value)

    def decide_knowledge(self) -> str:
        """Decide and set knowledge_decision ("linked", "matched",
        "candidate"); returns the value it has."""
        out = c_char_p()
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_knowledge_decide(byref(out), self._handle()))
        return _ffi.text(out.value) or ""

    # ---- handover (handover.h) --------------------------------------------------
    def packet(self, kind: str = "shift", **content: Any) -> "Packet":
        """A new handover :class:`~itsm.Packet` of ``kind`` for this record,
        prefilled from it; ``content`` sets slots right away
        (``receiver="mim.lead"``)."""
        from .handover import Packet
        pkt = Packet._new(self, kind)
        try:
            for k, v in content.items():
                setattr(pkt, k, v)
        except BaseException:
            pkt.close()
            raise
        return pkt


# ---- engine mixin ----------------------------------------------------------------
class EngineServiceMixin:
    """Engine-wide service-level, communication, problem and knowledge calls."""
    __slots__ = ()
    if TYPE_CHECKING:
        _ptr: int | None

        def _entry(self) -> _Entry: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...
        def _wrap(self, rptr: int) -> Record: ...
        def find(self, id: str) -> Record: ...

    def tick(self, now: TimeLike | None = None) -> int:
        """Fire every timer due at or before ``now`` (default: the engine's
        clock): breaches, warnings, escalation steps, overdue updates,
        auto-close, missed major-incident deadlines.  Returns how many fired."""
        fired = c_size_t(0)
        with self._entry() as p:
            if now is None:
                t = _ffi.itsm_engine_now(p)
                self._check(p, _ffi.OK)
            else:
                t = to_c(now, "now")
            self._check(p, _ffi.itsm_engine_tick(p, t, byref(fired)))
        return fired.value

    @property
    def next_deadline(self) -> _dt.datetime | None:
        """The earliest instant a timer is scheduled for (None: none)."""
        with self._entry() as p:
            return from_c(_ffi.itsm_engine_next_deadline(p))

    def agreement_report(self, name: str) -> AgreementReport:
        """The instances of agreement ``name`` over every record: how many
        apply, were met, breached, are still open, were cancelled."""
        r = _ffi.AgreementReport()
        with self._entry() as p:
            self._check(p, _ffi.itsm_engine_agreement_report(byref(r), p, cstr(name, "agreement name")))
        return AgreementReport(name, int(r.applied), int(r.met), int(r.breached), int(r.open),
                               int(r.cancelled))

    def aging(self, order: str = "age", *, limit: int = 100,
              now: TimeLike | None = None) -> list[AgingEntry]:
        """Up to ``limit`` open records, oldest first (``order="age"``) or
        soonest resolution deadline first (``"breach"``)."""
        if order not in _ffi.AGING_ORDERS:
            raise InvalidArgument(f"order must be 'age' or 'breach', not {order!r}",
                                  code=_ffi.EINVAL)
        cap = as_size(limit, "limit")
        buf = _ffi.sized_array(_ffi.AgingEntry, cap)
        n = c_size_t(0)
        with self._entry() as p:
            t = to_c(now, "now") if now is not None else _ffi.itsm_engine_now(p)
            rc = _ffi.itsm_engine_aging(buf, cap, byref(n), p, _ffi.AGING_ORDERS[order], t)
            if rc != _ffi.OK:
                raise _plain_error(rc, "aging: bad arguments")
            return [AgingEntry(self._wrap(e.rec), _td(e.age),
                               None if e.time_left == _ffi.INT64_MAX else _td(e.time_left))
                    for e in buf[:n.value]]

    def calendar_work(self, calendar: str, start: TimeLike, end: TimeLike) -> _dt.timedelta:
        """Working time between two instants on a calendar of the engine's policy."""
        from .policy import _calendar_work
        with self._entry() as p:
            return _calendar_work(_ffi.itsm_engine_policy(p), calendar, start, end)

    def calendar_add(self, calendar: str, start: TimeLike, work: _dt.timedelta | int) -> _dt.datetime:
        """The instant ``work`` of working time after ``start`` on an engine calendar."""
        from .policy import _calendar_add
        with self._entry() as p:
            return _calendar_add(_ffi.itsm_engine_policy(p), calendar, start, work)

    def route(self, category: str | None = None, service: str | None = None) -> str | None:
        """The group the engine's routing table gives."""
        with self._entry() as p:
            return _ffi.text(_ffi.itsm_policy_route(_ffi.itsm_engine_policy(p),
                                                    cstr_optional(category, "category"),
                                                    cstr_optional(service, "service")))

    def propose_major(self, record: "Record | str", reason: str) -> "Record":
        """Propose a record (or id) as a major incident; returns the record."""
        if isinstance(record, str):
            record = self.find(record)
        if not callable(getattr(record, "propose_major", None)):
            raise TypeError(f"record must be a Record or an id, not {type(record).__name__}")
        return record.propose_major(reason)

    def outage(self, service: str) -> "Record | None":
        """The record holding the known outage of ``service``; None if none."""
        b = cstr(service, "service")
        with self._entry() as p:
            r = _ffi.itsm_engine_outage(p, b)
            return self._wrap(r) if r else None

    def recurrence(self, service: str, category: str, at: TimeLike | None = None) -> int:
        """Incidents on (service, category) opened within the recurrence
        window ending at ``at`` (default: now)."""
        out = c_size_t(0)
        with self._entry() as p:
            t = to_c(at, "at") if at is not None else _ffi.itsm_engine_now(p)
            self._check(p, _ffi.itsm_problem_recurrence(byref(out), p, cstr(service, "service"),
                                                        cstr(category, "category"), t))
        return out.value

    def search_knowledge(self, words: str | None = None, *, service: str | None = None,
                         category: str | None = None, incidents: bool = False,
                         limit: int = 20) -> Matches:
        """Known errors and articles (and, with ``incidents``, past
        incidents) matching the symptom ``words``, best first; without
        words, those on the ``service`` and/or ``category`` given."""
        q = _ffi.KnowledgeQuery()
        _ffi.itsm_knowledge_query_init(byref(q), _ffi.KNOWLEDGE_QUERY_VERSION)
        q.service = cstr_optional(service, "service")
        q.category = cstr_optional(category, "category")
        q.words = cstr_optional(words, "words")
        q.incidents = as_flag(incidents, "incidents")
        cap = as_size(limit, "limit")
        buf = _ffi.sized_array(_ffi.Match, cap)
        n = c_size_t(0)
        with self._entry() as p:
            self._check(p, _ffi.itsm_knowledge_search(buf, cap, byref(n), p, byref(q)))
            return _matches(self, p, buf, cap, n.value)
