# SPDX-License-Identifier: Apache-2.0
"""itsm: Python binding of the itsm C library (IT service management
process logic), through ctypes: nothing to compile.

    import itsm
    with itsm.Engine(store=itsm.stores.SQLiteStore("desk.db"), load=True) as eng:
        inc = eng.open("incident", summary="Mail is down", impact=1, urgency=1)
        inc.fire("assign", assignment_group="messaging")

The shared library is found through ``ITSM_LIBRARY``, the build tree or the
system (see :mod:`itsm._loader`); its version is checked at import.
"""
from __future__ import annotations

from . import _ffi
from ._loader import BINDING_VERSION, LibraryNotFoundError, LibraryVersionError
from ._util import FIELDS, KINDS, FieldInfo
from .alloc import Allocator, FailingAllocator
from .change import (Approval, ApprovalDecision, ApprovalLevel, ApprovalLevelState, Collision, Risk,
                     RiskAnswer, ScheduleEntry)
from ._time import TimeLike
from .engine import Engine
from .errors import (AlreadyExists, ClockError, Conflict, GuardFailed, InvalidArgument, ItsmError,
                     LimitExceeded, NotFound, OutOfMemory, ParseError, PolicyError, StateError,
                     StoreError, TamperedStore, TransitionRefused, UserError)
from .handover import (Completeness, Deliverable, Packet, PacketEntry, PacketEntryInput, PacketList,
                       QualityEntry)
from .policy import Policy, ProblemRules, zone_from_tzif
from .record import FieldInput, Links, Record, Timeline
from .request import Task
from .report import DurationStat, Figures, Group, Report, SenderFigures, SlaFigures, Trend
from .satisfaction import SurveyAnswer, SurveyRow
from .oncall import OncallInfo
from .proposal import ProblemProposal, ProposalFigures
from .review import Review, ReviewAction, ReviewActionCounts, ReviewCause
from .service import (Agreement, AgreementReport, AgreementStep, AgingEntry, Decision, MajorDeadline, Match,
                      Matches, Reason, Timer)
from .types import AllowedEvent, Event, FieldChange, GuardNeed, History, JsonLimits, Link, TimelineEntry
from .whatif import (Migration, MigrationFinding, WhatIf, WhatIfDuration, WhatIfFlip, WhatIfGroup, WhatIfSla,
                     WhatIfSummary)
from . import stores

__version__ = "%d.%d.%d" % BINDING_VERSION

#: Where the shared library was loaded from, and how it was found
#: ("ITSM_LIBRARY", "bundled", "build tree", "pkg-config" or "system").
library_path: str = _ffi.library_path
library_source: str = _ffi.library_source


def library_version() -> str:
    """The loaded library's version string, e.g. "0.2.0"."""
    return _ffi.text(_ffi.itsm_version_string()) or ""


def library_version_number() -> int:
    """The loaded library's version as major * 10000 + minor * 100 + patch."""
    return int(_ffi.itsm_version_number())


def errstr(code: int) -> str:
    """The library's short description of an error code."""
    return _ffi.text(_ffi.itsm_errstr(code)) or ""


def errname(code: int) -> str:
    """The symbolic name of an error code ("ITSM_EGUARD")."""
    return _ffi.text(_ffi.itsm_errname(code)) or ""


__all__ = [
    "ClockError",
    "zone_from_tzif",
    "Engine", "Record", "Timeline", "FieldInput", "TimeLike", "Links", "Policy", "Event", "TimelineEntry", "Link",
    "History", "FieldChange", "AllowedEvent", "GuardNeed",
    "Approval", "ApprovalDecision", "ApprovalLevel", "ApprovalLevelState", "Collision", "Risk", "RiskAnswer",
    "ScheduleEntry", "Task",
    "SurveyAnswer", "SurveyRow", "OncallInfo", "ProblemProposal", "ProposalFigures",
    "Review", "ReviewAction", "ReviewActionCounts", "ReviewCause",
    "JsonLimits", "FieldInfo", "ProblemRules", "Timer", "Agreement", "AgreementStep", "AgreementReport",
    "AgingEntry", "MajorDeadline",
    "Decision", "Reason", "Match", "Matches", "Packet", "PacketEntry", "PacketEntryInput", "PacketList",
    "Deliverable", "Completeness", "QualityEntry", "Report", "DurationStat", "Figures",
    "SlaFigures", "SenderFigures", "Trend", "Group", "FIELDS", "KINDS", "Allocator", "FailingAllocator", "stores",
    "ItsmError", "OutOfMemory", "InvalidArgument", "NotFound", "AlreadyExists",
    "TransitionRefused", "GuardFailed", "Conflict", "StoreError", "ParseError",
    "LimitExceeded", "PolicyError", "StateError", "UserError", "TamperedStore",
    "WhatIf", "WhatIfSummary", "WhatIfFlip", "WhatIfSla", "WhatIfGroup", "WhatIfDuration", "Migration",
    "MigrationFinding",
    "LibraryNotFoundError", "LibraryVersionError", "library_path", "library_source",
    "library_version", "library_version_number", "errstr", "errname",
]
