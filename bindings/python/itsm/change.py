# SPDX-License-Identifier: Apache-2.0
"""Change enablement: approvals, risk assessment and the change schedule
(approval.h, change.h).

The methods are mixins of :class:`~itsm.Record`, :class:`~itsm.Engine` and
:class:`~itsm.Policy`; the value types they return are frozen dataclasses
(plain copies that keep no C memory alive), except that a
:class:`ScheduleEntry` or :class:`Collision` holds its
:class:`~itsm.Record`.
"""
from __future__ import annotations

import ctypes
import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from ctypes import byref, c_char_p, c_int, c_int64, c_size_t
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _ffi
from ._time import TimeLike, from_c, from_c_required, to_c, to_c_optional
from ._util import as_flag, as_int, as_size, as_unsigned, cstr, cstr_optional, kind_code, kind_mask
from .errors import InvalidArgument, make_error

if TYPE_CHECKING:
    from .engine import Engine, Record

__all__ = ["ApprovalLevel", "Approval", "ApprovalLevelState", "ApprovalDecision", "Risk", "RiskAnswer",
           "ScheduleEntry", "Collision"]


# ---- value types -----------------------------------------------------------------
@dataclass(frozen=True)
class ApprovalLevel:
    """One level of an approval rule, as a policy declares it.

    ``approvers``: named people; ``group``: an approver group of the
    policy; neither: anyone (but the requester and the implementer).
    ``rule``: "any", "all" or "quorum" (with ``quorum`` approvals).
    ``exception``: not needed for the record to count as approved; it lets
    an emergency change go outside its windows."""
    name: str
    approvers: tuple[str, ...] = ()
    group: Optional[str] = None
    rule: str = "any"
    quorum: int = 0
    exception: bool = False


@dataclass(frozen=True)
class Approval:
    """A record's approval: ``status`` is "none" (nothing to approve),
    "not_started", "pending", "approved" or "rejected"; ``current`` the
    1-based first required level not approved (0: none)."""
    status: str
    rule: Optional[str]
    levels: int
    current: int
    requested_at: Optional[_dt.datetime]
    decided_at: Optional[_dt.datetime]

    @property
    def approved(self) -> bool:
        return self.status in ("approved", "none")

    @property
    def lead_time(self) -> Optional[_dt.timedelta]:
        """From the round's start to its decision; None while undecided."""
        if self.requested_at is None or self.decided_at is None:
            return None
        return self.decided_at - self.requested_at


@dataclass(frozen=True)
class ApprovalLevelState:
    """A level of the rule that applies to a record, with its tally."""
    name: str
    rule: str
    status: str          # "pending", "approved" or "rejected"
    approvals: int
    rejections: int
    needed: int
    voters: int          # eligible named approvers; 0: open to anyone
    exception: bool


@dataclass(frozen=True)
class ApprovalDecision:
    """One decision of the current round: ``verdict`` "approve", "reject" or
    "delegate" (``to`` holds the vote then)."""
    verdict: str
    rule: str
    level: str
    by: str
    to: Optional[str]
    comment: Optional[str]
    at: _dt.datetime


@dataclass(frozen=True)
class Risk:
    """A record's risk assessment: ``level`` is None until every question
    of the questionnaire is answered."""
    level: Optional[str]
    score: int
    answered: int
    questions: int

    @property
    def assessed(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class RiskAnswer:
    question: str
    answer: str
    score: int
    by: Optional[str]
    at: _dt.datetime


@dataclass(frozen=True)
class ScheduleEntry:
    """A change on the forward schedule: its window and how many changes
    on the schedule it collides with."""
    record: Any
    start: _dt.datetime
    end: _dt.datetime
    collisions: int


@dataclass(frozen=True)
class Collision:
    """Another change on the schedule whose window overlaps: on the same
    configuration item ("ci") or service, and when."""
    record: Any
    on: str
    value: str
    start: _dt.datetime
    end: _dt.datetime


def _names(values: Iterable[str], what: str) -> tuple[ctypes.Array[c_char_p], int]:
    items = [cstr(v, what) for v in ([values] if isinstance(values, str) else values)]
    return (c_char_p * max(len(items), 1))(*items), len(items)


# ---- record mixin -------------------------------------------------------------------
class RecordChangeMixin:
    """Approvals, risk answers and the planned window of a :class:`~itsm.Record`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int
        def _handle(self) -> int: ...

        def _mutate(self, fn: Any, *args: Any) -> Record: ...
        def _read(self, fn: Any, *args: Any) -> Any: ...

    # ---- approvals (approval.h) ---------------------------------------------------
    def approve(self, by: str, *, level: str | None = None, comment: str | None = None) -> "Record":
        """Approve as ``by`` at ``level`` (default: the first required level
        not yet approved).  InvalidArgument when ``by`` may not decide there
        (not an approver, or the requester or implementer); StateError when
        the round has not opened, an earlier level waits, or ``by`` decided."""
        return self._mutate(_ffi.itsm_record_approve, cstr_optional(level, "level"), cstr(by, "by"),
                            cstr_optional(comment, "comment"))

    def reject_approval(self, by: str, *, level: str | None = None, comment: str | None = None) -> "Record":
        """Reject as ``by`` at ``level`` (as :meth:`approve`)."""
        return self._mutate(_ffi.itsm_record_reject_approval, cstr_optional(level, "level"), cstr(by, "by"),
                            cstr_optional(comment, "comment"))

    def delegate_approval(self, by: str, to: str, *, level: str | None = None,
                          comment: str | None = None) -> "Record":
        """Hand ``by``'s vote at ``level`` to ``to``, who casts it with their
        own decision."""
        return self._mutate(_ffi.itsm_record_delegate_approval, cstr_optional(level, "level"), cstr(by, "by"),
                            cstr(to, "to"), cstr_optional(comment, "comment"))

    @property
    def approval(self) -> Approval:
        """The approval as of the record's current fields."""
        info = _ffi.ApprovalInfo()
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_approval(byref(info), self._handle()))
        return Approval(status=_ffi.APPROVAL_STATUS.get(info.status, str(info.status)),
                        rule=_ffi.text(info.rule), levels=int(info.levels), current=int(info.current),
                        requested_at=from_c(info.requested_at), decided_at=from_c(info.decided_at))

    @property
    def approval_levels(self) -> list[ApprovalLevelState]:
        """Every level of the rule that applies ([] when none applies)."""
        a = self.approval
        out = []
        eng = self._engine
        for i in range(a.levels):
            lv = _ffi.ApprovalLevel()
            with eng._entry() as p:
                eng._check(p, _ffi.itsm_record_approval_level(byref(lv), self._handle(), i))
            out.append(ApprovalLevelState(name=_ffi.text(lv.name) or "", rule=a.rule or "",
                                          status=_ffi.LEVEL_STATUS.get(lv.status, str(lv.status)),
                                          approvals=int(lv.approvals), rejections=int(lv.rejections),
                                          needed=int(lv.needed), voters=int(lv.voters),
                                          exception=bool(lv.exception)))
        return out

    @property
    def approval_decisions(self) -> list[ApprovalDecision]:
        """The decisions of the current round, in order."""
        eng = self._engine
        out = []
        with eng._entry() as p:
            for i in range(_ffi.itsm_record_approval_count(self._handle())):
                d = _ffi.ApprovalDecision()
                eng._check(p, _ffi.itsm_record_approval_at(byref(d), self._handle(), i))
                out.append(ApprovalDecision(verdict=_ffi.VERDICTS.get(d.verdict, str(d.verdict)),
                                            rule=_ffi.text(d.rule) or "", level=_ffi.text(d.level) or "",
                                            by=_ffi.text(d.by) or "", to=_ffi.text(d.to),
                                            comment=_ffi.text(d.comment), at=from_c_required(d.at)))
        return out

    # ---- risk (change.h) ------------------------------------------------------------
    def answer_risk(self, question: str, answer: str) -> "Record":
        """Answer one question of the policy's risk questionnaire (an event;
        a second answer replaces the first)."""
        return self._mutate(_ffi.itsm_record_answer_risk, cstr(question, "question"), cstr(answer, "answer"))

    @property
    def risk(self) -> Risk:
        info = _ffi.RiskInfo()
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_record_risk(byref(info), self._handle()))
        return Risk(level=_ffi.text(info.level), score=int(info.score), answered=int(info.answered),
                    questions=int(info.questions))

    @property
    def risk_answers(self) -> list[RiskAnswer]:
        """The answers in force, in the order their questions were first answered."""
        eng = self._engine
        out = []
        with eng._entry() as p:
            for i in range(_ffi.itsm_record_risk_answer_count(self._handle())):
                a = _ffi.RiskAnswer()
                eng._check(p, _ffi.itsm_record_risk_answer_at(byref(a), self._handle(), i))
                out.append(RiskAnswer(question=_ffi.text(a.question) or "", answer=_ffi.text(a.answer) or "",
                                      score=int(a.score), by=_ffi.text(a.by), at=from_c_required(a.at)))
        return out

    # ---- the change schedule (change.h) -----------------------------------------------
    def plan(self, start: TimeLike | None, end: TimeLike | None) -> "Record":
        """Plan the change's window [start, end); ``plan(None, None)`` removes
        the plan of a change that is not on the schedule.  Re-planning a
        change on the schedule is checked against the blackouts and the
        maintenance window (GuardFailed naming them)."""
        return self._mutate(_ffi.itsm_change_plan, to_c_optional(start, "start"), to_c_optional(end, "end"))

    @property
    def planned(self) -> Optional[tuple[_dt.datetime, _dt.datetime]]:
        """The planned window (start, end), or None."""
        s, e = c_int64(0), c_int64(0)
        with self._engine._entry():
            rc = _ffi.itsm_change_planned(byref(s), byref(e), self._handle())
        if rc == _ffi.ENOTFOUND:
            return None
        if rc != _ffi.OK:
            raise make_error(rc)
        return from_c_required(s.value), from_c_required(e.value)

    @property
    def on_schedule(self) -> bool:
        """Open, planned and in a schedule state of the policy."""
        return bool(self._read(_ffi.itsm_change_on_schedule))

    @property
    def schedule_findings(self) -> int:
        """schedule_collision findings raised on this change so far."""
        return int(self._read(_ffi.itsm_change_findings))

    def collisions(self, *, limit: int = 100) -> list[Collision]:
        """Changes on the schedule whose windows overlap this one's on its
        configuration item or service, by their start."""
        cap = as_size(limit, "limit")
        buf = _ffi.sized_array(_ffi.Collision, cap)
        n = c_size_t(0)
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_change_collisions(buf, cap, byref(n), self._handle()))
            return [Collision(record=eng._wrap(c.with_), on=_ffi.COLLISION_ON.get(c.on, str(c.on)),
                              value=_ffi.text(c.value) or "", start=from_c_required(c.from_), end=from_c_required(c.to))
                    for c in buf[:n.value]]


# ---- engine mixin ---------------------------------------------------------------------
class EngineChangeMixin:
    """The forward schedule of change."""
    __slots__ = ()
    if TYPE_CHECKING:
        def _entry(self) -> Any: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...
        def _wrap(self, rptr: int) -> Record: ...

    def change_schedule(self, start: TimeLike | None = None, end: TimeLike | None = None, *,
                        service: str | None = None, ci: str | None = None, planned: bool = False,
                        limit: int = 100) -> list[ScheduleEntry]:
        """The changes on the schedule (``planned=True``: every open planned
        change) whose windows overlap [start, end), optionally on one
        service or configuration item, by start, then end, then id."""
        q = _ffi.ScheduleQuery()
        _ffi.itsm_schedule_query_init(byref(q), _ffi.SCHEDULE_QUERY_VERSION)
        if start is not None:
            q.from_ = to_c(start, "start")
        if end is not None:
            q.to = to_c(end, "end")
        q.service = cstr_optional(service, "service")
        q.ci = cstr_optional(ci, "ci")
        q.planned = as_flag(planned, "planned")
        cap = as_size(limit, "limit")
        buf = _ffi.sized_array(_ffi.ScheduleEntry, cap)
        n = c_size_t(0)
        with self._entry() as p:
            self._check(p, _ffi.itsm_change_schedule(buf, cap, byref(n), p, byref(q)))
            return [ScheduleEntry(record=self._wrap(e.rec), start=from_c_required(e.start), end=from_c_required(e.end),
                                  collisions=int(e.collisions)) for e in buf[:n.value]]


# ---- policy mixin ------------------------------------------------------------------------
Score = int
#: A blackout's period: (start, end), or a calendar's name.
Period = Union[tuple[TimeLike, TimeLike], str]


class PolicyChangeMixin:
    """Approval rules, the risk questionnaire and the change schedule of a
    :class:`~itsm.Policy`."""
    __slots__ = ()
    if TYPE_CHECKING:
        def _p(self) -> int: ...
        def _check(self, rc: int) -> None: ...

    # ---- approvals ---------------------------------------------------------------------
    def add_approval_rule(self, name: str, kind: str | int, levels: Sequence[ApprovalLevel] = (), *,
                          change_types: Iterable[str] = (), risks: Iterable[str] = (),
                          state: str | None = None,
                          separation: Iterable[str] = ("requester", "implementer")) -> None:
        """Add a rule after the others (the first that matches a record
        applies).  No ``levels``: records it matches need no approval."""
        d = _ffi.ApprovalRuleDef()
        _ffi.itsm_approval_rule_def_init(byref(d), _ffi.APPROVAL_RULE_DEF_VERSION)
        d.name = cstr(name, "rule name")
        d.kind = kind_code(kind)
        types, d.nchange_types = _names(change_types, "change type")
        rks, d.nrisks = _names(risks, "risk level")
        d.change_types = ctypes.cast(types, ctypes.c_void_p)
        d.risks = ctypes.cast(rks, ctypes.c_void_p)
        d.state = cstr_optional(state, "state")
        sep = 0
        for s in ([separation] if isinstance(separation, str) else separation):
            if s == "requester":
                sep |= _ffi.APPROVAL_SOD_REQUESTER
            elif s == "implementer":
                sep |= _ffi.APPROVAL_SOD_IMPLEMENTER
            else:
                raise InvalidArgument(f"separation holds 'requester' and 'implementer', not {s!r}",
                                      code=_ffi.EINVAL)
        d.separation = sep
        keep: list[Any] = [types, rks]
        arr = (_ffi.ApprovalLevelDef * max(len(levels), 1))()
        for i, lv in enumerate(levels):
            if lv.rule not in _ffi.APPROVAL_MODES:
                raise InvalidArgument(f"rule must be 'any', 'all' or 'quorum', not {lv.rule!r}",
                                      code=_ffi.EINVAL)
            people, npeople = _names(lv.approvers, "approver")
            keep.append(people)
            ld = arr[i]
            _ffi.itsm_approval_level_def_init(byref(ld), _ffi.APPROVAL_LEVEL_DEF_VERSION)
            ld.name = cstr(lv.name, "level name")
            ld.people = ctypes.cast(people, ctypes.c_void_p)
            ld.npeople = npeople
            ld.group = cstr_optional(lv.group, "group")
            ld.mode = _ffi.APPROVAL_MODES[lv.rule]
            ld.quorum = as_unsigned(lv.quorum, "quorum")
            ld.exception = as_flag(lv.exception, "exception")
        d.levels = ctypes.cast(arr, ctypes.c_void_p)
        d.nlevels = len(levels)
        self._check(_ffi.itsm_policy_add_approval_rule(self._p(), byref(d)))
        del keep

    def clear_approval_rules(self) -> None:
        """Remove every approval rule (the approver groups stay)."""
        self._check(_ffi.itsm_policy_clear_approval_rules(self._p()))

    def set_approver_group(self, name: str, members: Iterable[str]) -> None:
        """Define an approver group (no members: remove it)."""
        arr, n = _names(members, "member")
        self._check(_ffi.itsm_policy_set_approver_group(self._p(), cstr(name, "group name"), arr, n))

    @property
    def approval_rule_count(self) -> int:
        return int(_ffi.itsm_policy_approval_rule_count(self._p()))

    # ---- risk --------------------------------------------------------------------------
    def set_risk_question(self, name: str, answers: Mapping[str, Score], *, text: str | None = None) -> None:
        """Add (or replace) a question: its answers with their scores (0..1000)."""
        if not isinstance(answers, Mapping):
            raise TypeError(f"answers must be a mapping of answer to score, not {type(answers).__name__}")
        items = list(answers.items())
        names, n = _names([k for k, _ in items], "answer")
        scores = (c_int * max(n, 1))(*[as_int(v, f"score of {k!r}") for k, v in items])
        d = _ffi.RiskQuestionDef()
        _ffi.itsm_risk_question_def_init(byref(d), _ffi.RISK_QUESTION_DEF_VERSION)
        d.name = cstr(name, "question name")
        d.text = cstr_optional(text, "question text")
        d.answers = ctypes.cast(names, ctypes.c_void_p)
        d.scores = ctypes.cast(scores, ctypes.c_void_p)
        d.nanswers = n
        self._check(_ffi.itsm_policy_set_risk_question(self._p(), byref(d)))

    def clear_risk_questions(self) -> None:
        self._check(_ffi.itsm_policy_clear_risk_questions(self._p()))

    def set_risk_levels(self, levels: Sequence[tuple[str, Optional[int]]]) -> None:
        """The risk levels, lowest first, each with its highest total (the
        last holds every higher total: give None)."""
        # A str would unpack letter by letter: say what is wanted instead.
        given: object = levels
        pairs = None if isinstance(given, (str, bytes)) else list(levels)
        if pairs is None or not all(isinstance(lv, tuple) and len(lv) == 2 for lv in pairs):
            raise TypeError("levels must be a sequence of (name, highest total) pairs")
        names, n = _names([name for name, _ in pairs], "risk level")
        up_to = (c_int * max(n, 1))(*[0 if u is None else as_int(u, f"bound of {name!r}")
                                      for name, u in pairs])
        self._check(_ffi.itsm_policy_set_risk_levels(self._p(), names, up_to, n))

    def set_risk_kinds(self, kinds: Iterable[str | int]) -> None:
        """Which record kinds are assessed (default: changes only)."""
        bits = kind_mask([kinds] if isinstance(kinds, str) else kinds, "kinds")
        self._check(_ffi.itsm_policy_set_risk_kinds(self._p(), bits))

    @property
    def risk_question_count(self) -> int:
        return int(_ffi.itsm_policy_risk_question_count(self._p()))

    # ---- the change schedule --------------------------------------------------------------
    def set_maintenance_window(self, service: str, calendar: str | None) -> None:
        """The service's maintenance window: the working time of a calendar
        (None removes it)."""
        self._check(_ffi.itsm_policy_set_maintenance_window(self._p(), cstr(service, "service"),
                                                            cstr_optional(calendar, "calendar")))

    def set_blackout(self, name: str, period: Period, *, services: Iterable[str] = ()) -> None:
        """Add (or replace) a blackout: a fixed ``(start, end)`` or the
        working time of a calendar named by ``period``, for some services
        (none: every change)."""
        d = _ffi.BlackoutDef()
        _ffi.itsm_blackout_def_init(byref(d), _ffi.BLACKOUT_DEF_VERSION)
        d.name = cstr(name, "blackout name")
        if isinstance(period, str):
            d.calendar = cstr(period, "calendar")
        else:
            start, end = period
            d.from_ = to_c(start, "start")
            d.to = to_c(end, "end")
        arr, n = _names(services, "service")
        d.services = ctypes.cast(arr, ctypes.c_void_p)
        d.nservices = n
        self._check(_ffi.itsm_policy_set_blackout(self._p(), byref(d)))

    def remove_blackout(self, name: str) -> None:
        self._check(_ffi.itsm_policy_remove_blackout(self._p(), cstr(name, "blackout name")))

    def set_schedule_rules(self, states: Iterable[str], exception_types: Iterable[str] = ("emergency",)) -> None:
        """The change states that put a change on the schedule, and the
        change types that may use an exception level."""
        st, nst = _names(states, "state")
        ex, nex = _names(exception_types, "change type")
        r = _ffi.ScheduleRules()
        _ffi.itsm_schedule_rules_init(byref(r), _ffi.SCHEDULE_RULES_VERSION)
        r.states = ctypes.cast(st, ctypes.c_void_p)
        r.nstates = nst
        r.exception_types = ctypes.cast(ex, ctypes.c_void_p)
        r.nexception_types = nex
        self._check(_ffi.itsm_policy_set_schedule_rules(self._p(), byref(r)))
