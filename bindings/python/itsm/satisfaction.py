# SPDX-License-Identifier: Apache-2.0
"""Customer satisfaction: survey answers on closed records and the
policy's scale (satisfaction.h); the report rows are
:attr:`itsm.Report.satisfaction`.

The methods are mixins of :class:`~itsm.Record` and :class:`~itsm.Policy`;
the value types are frozen dataclasses (plain copies).
"""
from __future__ import annotations

import datetime as _dt
from ctypes import byref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._time import from_c
from ._util import as_int, cstr_optional
from .errors import InvalidArgument

if TYPE_CHECKING:
    from .engine import Engine, Record

__all__ = ["SurveyAnswer", "SurveyRow"]


@dataclass(frozen=True)
class SurveyAnswer:
    """The customer's answer to a record's satisfaction survey."""
    score: int
    comment: Optional[str]
    by: Optional[str]
    at: Optional[_dt.datetime]


@dataclass(frozen=True)
class SurveyRow:
    """One row of a report's satisfaction figures: ``by`` is "all",
    "group", "service" or "week"; ``name`` the group or service (None for
    none and for the other rows); ``week`` its Monday for "week" rows.
    ``scores[i]`` counts the answers scoring ``scale[0] + i``."""
    by: str
    name: Optional[str]
    week: Optional[_dt.datetime]
    sent: int
    answered: int
    response_rate: float
    mean_score: float
    scale: tuple[int, int]
    scores: tuple[int, ...]

    @property
    def distribution(self) -> dict[int, int]:
        """{score: answers} over every point of the scale."""
        return {self.scale[0] + i: n for i, n in enumerate(self.scores)}


def survey_rows(report_ptr: int, ok: Any) -> list[SurveyRow]:
    """The rows of a report (itsm_report_survey_at), in the library's order."""
    out = []
    for i in range(_ffi.itsm_report_survey_count(report_ptr)):
        s = _ffi.ReportSurvey()
        ok(_ffi.itsm_report_survey_at(report_ptr, i, byref(s)))
        npoints = s.scale_max - s.scale_min + 1
        out.append(SurveyRow(by=_ffi.SURVEY_DIMENSIONS.get(s.by, str(s.by)), name=_ffi.text(s.name),
                             week=from_c(s.week), sent=int(s.sent), answered=int(s.answered),
                             response_rate=float(s.response_rate), mean_score=float(s.mean_score),
                             scale=(int(s.scale_min), int(s.scale_max)),
                             scores=tuple(int(s.scores[p]) for p in range(npoints))))
    return out


class RecordSatisfactionMixin:
    """The survey answer of a :class:`~itsm.Record`."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int
        def _handle(self) -> int: ...

        def _mutate(self, fn: Any, *args: Any) -> Record: ...

    def answer_survey(self, score: int, comment: str | None = None) -> "Record":
        """Record the customer's answer (a score on the policy's scale, an
        optional comment) as one event.  InvalidArgument for a kind other
        than incident or service request or a score off the scale;
        StateError when the record is not closed or not in the survey
        sample; AlreadyExists when it was answered."""
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidArgument(f"score must be an int, not {type(score).__name__}")
        return self._mutate(_ffi.itsm_record_survey_answer, as_int(score, "score"),
                            cstr_optional(comment, "comment"))

    @property
    def survey_answer(self) -> SurveyAnswer | None:
        """The answer, or None while the survey is unanswered."""
        a = _ffi.SurveyAnswer()
        eng = self._engine
        with eng._entry() as p:
            rc = _ffi.itsm_record_survey(byref(a), self._handle())
            if rc == _ffi.ENOTFOUND:
                return None
            eng._check(p, rc)
        return SurveyAnswer(score=int(a.score), comment=_ffi.text(a.comment), by=_ffi.text(a.by),
                            at=from_c(a.at))


class PolicySatisfactionMixin:
    """The survey scale of a :class:`~itsm.Policy`."""
    __slots__ = ()
    if TYPE_CHECKING:
        def _p(self) -> int: ...
        def _check(self, rc: int) -> None: ...

    @property
    def survey_scale(self) -> tuple[int, int]:
        """(min, max): the whole scores a survey answer may give."""
        s = _ffi.SurveyScale()
        self._check(_ffi.itsm_survey_scale_init(byref(s), _ffi.SURVEY_SCALE_VERSION))
        self._check(_ffi.itsm_policy_survey_scale(byref(s), self._p()))
        return int(s.min), int(s.max)

    def set_survey_scale(self, low: int, high: int) -> None:
        """Whole scores ``0 <= low < high <= 10`` (PolicyError otherwise:
        InvalidArgument)."""
        s = _ffi.SurveyScale()
        self._check(_ffi.itsm_survey_scale_init(byref(s), _ffi.SURVEY_SCALE_VERSION))
        for v, what in ((low, "low"), (high, "high")):
            if isinstance(v, bool) or not isinstance(v, int):
                raise InvalidArgument(f"survey scale {what} must be an int, not {v!r}")
        s.min, s.max = as_int(low, "survey scale low"), as_int(high, "survey scale high")
        self._check(_ffi.itsm_policy_set_survey_scale(self._p(), byref(s)))
