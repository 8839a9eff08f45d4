# SPDX-License-Identifier: Apache-2.0
"""Problem proposals (problem.h, the recurrence push): when an incident
opened or resolved completes a cluster of the policy's recurrence rule, the
engine proposes a problem once per cluster; the host accepts the proposal
into a problem record or dismisses it.

The methods are mixins of :class:`~itsm.Record` and :class:`~itsm.Engine`;
the value types are frozen dataclasses (plain copies).
"""
from __future__ import annotations

import datetime as _dt
from ctypes import byref, c_size_t, c_void_p
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._time import from_c
from ._util import changes, cstr, cstr_optional

if TYPE_CHECKING:
    from .engine import Engine, FieldInput, Record

__all__ = ["ProblemProposal", "ProposalFigures"]


@dataclass(frozen=True)
class ProblemProposal:
    """A problem the engine proposed: ``record`` is the incident whose step
    completed the cluster, ``incidents`` the cluster (ids, oldest first),
    ``status`` "pending", "accepted" or "dismissed"."""
    record: str
    at: _dt.datetime
    status: str
    service: str
    category: str
    ci: Optional[str]
    window: _dt.timedelta
    incidents: tuple[str, ...]
    problem: Optional[str]
    reason: Optional[str]
    decided_at: Optional[_dt.datetime]


@dataclass(frozen=True)
class ProposalFigures:
    """A report's problem proposals made in the period, and what became of them."""
    proposed: int
    pending: int
    accepted: int
    dismissed: int
    incidents: int


def proposal_at(eng_ptr: int, index: int, check: Any) -> ProblemProposal:
    p = _ffi.ProblemProposal()
    check(_ffi.itsm_engine_problem_proposal_at(byref(p), eng_ptr, index))
    ids = tuple(_ffi.text(_ffi.itsm_engine_problem_proposal_incident(eng_ptr, index, i)) or ""
                for i in range(p.incidents))
    at = from_c(p.at)
    assert at is not None
    return ProblemProposal(record=_ffi.text(p.record) or "", at=at,
                           status=_ffi.text(_ffi.itsm_proposal_status_name(p.status)) or str(p.status),
                           service=_ffi.text(p.service) or "", category=_ffi.text(p.category) or "",
                           ci=_ffi.text(p.ci), window=_dt.timedelta(seconds=p.window), incidents=ids,
                           problem=_ffi.text(p.problem), reason=_ffi.text(p.reason),
                           decided_at=from_c(p.decided_at))


def report_proposals(report_ptr: int, ok: Any) -> ProposalFigures:
    f = _ffi.ReportProposals()
    ok(_ffi.itsm_report_proposals_of(byref(f), report_ptr))
    return ProposalFigures(int(f.proposed), int(f.pending), int(f.accepted), int(f.dismissed),
                           int(f.incidents))


class RecordProposalMixin:
    """The problem proposal an incident belongs to, and the host's decision."""
    __slots__ = ()
    if TYPE_CHECKING:
        _engine: Engine
        _ptr: int

        def _mutate(self, fn: Any, *args: Any) -> Record: ...
        def _handle(self) -> int: ...

    @property
    def problem_proposal(self) -> ProblemProposal | None:
        """The proposal this incident is in, or None."""
        ix = c_size_t(0)
        eng = self._engine
        with eng._entry() as p:
            rc = _ffi.itsm_record_problem_proposal(byref(ix), self._handle())
            if rc == _ffi.ENOTFOUND:
                return None
            eng._check(p, rc)
            return proposal_at(p, ix.value, lambda rc: eng._check(p, rc))

    def accept_problem_proposal(self, id: str | None = None, **fields: FieldInput) -> "Record":
        """Accept the pending proposal this incident is in: a problem record
        (with ``id`` and ``fields`` if given) carrying the facts of the
        incident that completed the cluster, related to every incident of
        it. NotFound when the incident is in no proposal; StateError when it
        was decided."""
        arr, n, keep = changes(fields)
        o = _ffi.ProblemOpenOpts()
        _ffi.itsm_problem_open_opts_init(byref(o), _ffi.PROBLEM_OPEN_OPTS_VERSION)
        o.id = cstr_optional(id, "id")
        o.fields = arr if n else None
        o.nfields = n
        out = c_void_p()
        eng = self._engine
        with eng._entry() as p:
            eng._check(p, _ffi.itsm_problem_proposal_accept(byref(out), self._handle(), byref(o)))
            assert out.value is not None
            return eng._wrap(out.value)

    def dismiss_problem_proposal(self, reason: str) -> "Record":
        """Dismiss the pending proposal this incident is in, with the reason;
        its incidents are not proposed again."""
        return self._mutate(_ffi.itsm_problem_proposal_dismiss, cstr(reason, "reason"))


class EngineProposalMixin:
    """The problem proposals an :class:`~itsm.Engine` holds."""
    __slots__ = ()
    if TYPE_CHECKING:
        def _entry(self) -> Any: ...
        def _check(self, ptr: int, rc: int, perr: Any = None) -> None: ...

    @property
    def problem_proposals(self) -> list[ProblemProposal]:
        """Every proposal, in the order made."""
        with self._entry() as p:
            return [proposal_at(p, i, lambda rc: self._check(p, rc))
                    for i in range(_ffi.itsm_engine_problem_proposal_count(p))]
