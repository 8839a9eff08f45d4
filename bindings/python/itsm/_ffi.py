# SPDX-License-Identifier: Apache-2.0
"""ctypes declarations of the C API (include/itsm.h), one place for all.

Every function gets explicit argtypes and restype: nothing relies on
ctypes' int defaults, so 64-bit values and pointers are never truncated.
"""
from __future__ import annotations

import ctypes
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_double, c_int, c_int32,
                    c_int64, c_size_t, c_uint, c_uint32, c_uint64, c_void_p)

from typing import TYPE_CHECKING, Any, TypeVar

from ._loader import load

if TYPE_CHECKING:
    # The itsm_* functions are declared at import by _fn() below, so a type
    # checker sees them only through this.
    def __getattr__(name: str) -> Any: ...

lib, library_path, library_source = load()

# ---- error codes (include/itsm/errors.h) ------------------------------------
OK = 0
ENOMEM = -1
EINVAL = -2
ENOTFOUND = -3
EEXISTS = -4
ETRANSITION = -5
EGUARD = -6
ECONFLICT = -7
ESTORE = -8
EPARSE = -9
ELIMIT = -10
EPOLICY = -11
ESTATE = -12
EUSER = -13
ECLOCK = -14
ETAMPER = -15

TIME_MIN = 0
TIME_MAX = 253402300799
TIME_NONE = -1

TYPE_TEXT, TYPE_SYMBOL, TYPE_INT, TYPE_BOOL, TYPE_TIME, TYPE_ENUM = 1, 2, 3, 4, 5, 6
F_CUSTOM_FIRST = 1024             # custom fields: ITSM_F_CUSTOM_FIRST + declaration order
MAX_CUSTOM_FIELDS = 32

STATE_INITIAL = 0x1
STATE_CLOSED = 0x2

REASSIGN_GROUP = 0                  # itsm_reassign_rule (policy.h)
REASSIGN_GROUP_OR_ASSIGNEE = 1
REASSIGN_GROUP_CHANGE = 2

ENGINE_OPTS_VERSION = 2
RECORD_OPTS_VERSION = 1
NOTE_OPTS_VERSION = 1
STORE_VERSION = 3
TRANSITION_DEF_VERSION = 1
FIELD_DEF_VERSION = 1
PARSE_ERROR_TEXT = 160

handle = c_void_p   # every opaque handle


# ---- structs ----------------------------------------------------------------
# Every layout below is checked against the C headers by
# tests/test_layout.py (offsetof/sizeof from a compiled C program).


class Sized(Structure):
    """A result struct that begins with ``size_t size`` (include/itsm/common.h):
    created with its size set, so the library fills exactly this struct.
    Positional arguments start at the member after ``size``.  In an array
    only element 0 is initialised this way: set ``arr[0].size`` (see
    :func:`sized_array`)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(ctypes.sizeof(type(self)), *args, **kw)


_S = TypeVar("_S", bound=Sized)


def sized_array(cls: type[_S], n: int) -> ctypes.Array[_S]:
    """An array of ``n`` (at least 1) result structs whose element 0 carries
    the element size, as the array-filling calls want."""
    arr = (cls * max(int(n), 1))()
    arr[0].size = ctypes.sizeof(cls)
    return arr


MALLOC_FN = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
REALLOC_FN = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
FREE_FN = CFUNCTYPE(None, c_void_p, c_void_p)


class Allocator(Structure):
    _fields_ = [("malloc_fn", MALLOC_FN), ("realloc_fn", REALLOC_FN),
                ("free_fn", FREE_FN), ("user", c_void_p)]


class JsonLimits(Structure):
    _fields_ = [("max_document", c_size_t), ("max_string", c_size_t),
                ("max_depth", c_size_t)]


class ParseErrorStruct(Structure):   # fixed layout (common.h)
    _fields_ = [("code", c_int), ("line", c_size_t), ("column", c_size_t),
                ("offset", c_size_t), ("text", c_char * PARSE_ERROR_TEXT)]


CLOCK_FN = CFUNCTYPE(c_int64, c_void_p)
SINK_FN = CFUNCTYPE(None, c_void_p, POINTER(c_void_p), c_size_t)
EMIT_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_size_t)
APPEND_FN = CFUNCTYPE(c_int, c_void_p, POINTER(c_void_p), c_size_t)
SCAN_FN = CFUNCTYPE(c_int, c_void_p, EMIT_FN, c_void_p)
DESTROY_FN = CFUNCTYPE(None, c_void_p)


READ_RECORD_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, EMIT_FN, c_void_p)
GROUP_FN = CFUNCTYPE(c_int, c_void_p, c_int)


class Store(Structure):
    _fields_ = [("version", c_int), ("append", APPEND_FN), ("scan", SCAN_FN),
                ("destroy", DESTROY_FN), ("read_record", READ_RECORD_FN),
                ("group", GROUP_FN)]


class EngineOpts(Structure):
    _fields_ = [("version", c_uint), ("policy", c_void_p), ("store", POINTER(Store)),
                ("store_user", c_void_p), ("clock", CLOCK_FN), ("clock_user", c_void_p),
                ("sink", SINK_FN), ("sink_user", c_void_p), ("alloc", Allocator),
                ("limits", JsonLimits), ("errmsg", c_void_p), ("errmsg_cap", c_size_t)]


class Change(Structure):
    _fields_ = [("field", c_int), ("str", c_char_p), ("num", c_int64)]


class RecordOpts(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("id", c_char_p),
                ("fields", POINTER(Change)), ("nfields", c_size_t)]


class NoteOpts(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("text", c_char_p),
                ("expected_restoration", c_int64), ("next_update", c_int64)]


class TimelineEntryStruct(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("at", c_int64), ("author", c_char_p), ("text", c_char_p),
                ("expected_restoration", c_int64), ("next_update", c_int64), ("type", c_char_p),
                ("revision", c_uint64), ("event", c_char_p), ("from_state", c_char_p),
                ("to_state", c_char_p), ("nchanges", c_size_t), ("json", c_char_p)]


class GuardNeedStruct(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("field", c_char_p), ("value", c_char_p),
                ("link_kind", c_int), ("term", c_char_p)]


class AllowedEventStruct(Sized):
    _fields_ = [("size", c_size_t), ("event", c_char_p), ("to_state", c_char_p),
                ("nmissing", c_size_t)]


class FieldChangeStruct(Sized):
    _fields_ = [("size", c_size_t), ("field", c_char_p), ("old_value", c_char_p),
                ("new_value", c_char_p)]


class LinkStruct(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("target_kind", c_int), ("target_id", c_char_p)]


class TransitionDef(Structure):
    _fields_ = [("version", c_uint), ("from_", c_char_p), ("event", c_char_p),
                ("to", c_char_p), ("guard", c_char_p), ("stamp", c_char_p),
                ("clear", c_char_p), ("counts_reopen", c_int)]


class FieldDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("type", c_int),
                ("min", c_int64), ("max", c_int64), ("values", POINTER(c_char_p)),
                ("nvalues", c_size_t), ("kinds", c_uint), ("required", c_uint)]


# ---- prototypes -------------------------------------------------------------
def _fn(name: str, restype: Any, *argtypes: Any) -> Any:
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    globals()[name] = f
    return f


def _optional(name: str, restype: Any, *argtypes: Any) -> Any:
    """Declare a function a newer library may have; None when absent."""
    try:
        return _fn(name, restype, *argtypes)
    except AttributeError:
        globals()[name] = None
        return None


P = POINTER
_fn("itsm_version_number", c_int)
_fn("itsm_version_string", c_char_p)
_fn("itsm_errstr", c_char_p, c_int)
_fn("itsm_errname", c_char_p, c_int)

# engine.h
_fn("itsm_engine_opts_init", c_int, P(EngineOpts), c_uint)
_fn("itsm_engine_new", c_int, P(c_void_p), P(EngineOpts))
_fn("itsm_engine_free", None, handle)
_fn("itsm_errmsg", c_char_p, handle)
_fn("itsm_errcode", c_int, handle)
_fn("itsm_engine_policy", handle, handle)
_fn("itsm_engine_set_actor", c_int, handle, c_char_p)
_fn("itsm_engine_now", c_int64, handle)
_fn("itsm_engine_record_count", c_size_t, handle)
_fn("itsm_engine_record_at", c_int, P(c_void_p), handle, c_size_t)
_fn("itsm_engine_replay_json", c_int, handle, c_char_p, c_size_t, P(ParseErrorStruct))
_fn("itsm_engine_load", c_int, handle)
_fn("itsm_engine_field", c_int, P(c_int), handle, c_char_p)
_fn("itsm_engine_replay", c_int, handle, c_char_p, c_size_t, P(ParseErrorStruct))
_fn("itsm_engine_begin", c_int, handle)
_fn("itsm_engine_commit", c_int, handle)
_fn("itsm_engine_rollback", c_int, handle)
_fn("itsm_engine_group_events", c_size_t, handle)

# record.h
_fn("itsm_kind_name", c_char_p, c_int)
_fn("itsm_kind_from_name", c_int, P(c_int), c_char_p)
_fn("itsm_field_name", c_char_p, c_int)
_fn("itsm_field_from_name", c_int, P(c_int), c_char_p)
_fn("itsm_field_type_of", c_int, c_int)
_fn("itsm_field_is_engine_owned", c_int, c_int)
_fn("itsm_record_opts_init", c_int, P(RecordOpts), c_uint)
_fn("itsm_record_open", c_int, P(c_void_p), handle, P(RecordOpts))
_fn("itsm_record_find", c_int, P(c_void_p), handle, c_char_p)
_fn("itsm_record_id", c_char_p, handle)
_fn("itsm_record_kind", c_int, handle)
_fn("itsm_record_state", c_char_p, handle)
_fn("itsm_record_is_open", c_int, handle)
_fn("itsm_record_revision", c_uint64, handle)
_fn("itsm_record_engine", handle, handle)
_fn("itsm_record_str", c_char_p, handle, c_int)
_fn("itsm_record_int", c_int64, handle, c_int)
_fn("itsm_record_has", c_int, handle, c_int)
_fn("itsm_record_update", c_int, handle, P(Change), c_size_t)
_fn("itsm_record_set_str", c_int, handle, c_int, c_char_p)
_fn("itsm_record_set_int", c_int, handle, c_int, c_int64)
_fn("itsm_record_fire", c_int, handle, c_char_p, P(Change), c_size_t)
_fn("itsm_record_allowed_count", c_size_t, handle)
_fn("itsm_record_allowed_at", c_int, handle, c_size_t, P(AllowedEventStruct))
_fn("itsm_record_allowed_need_at", c_int, handle, c_size_t, c_size_t, P(GuardNeedStruct))
_fn("itsm_guard_missing_count", c_size_t, handle)
_fn("itsm_guard_missing_at", c_int, handle, c_size_t, P(GuardNeedStruct))
_fn("itsm_note_opts_init", c_int, P(NoteOpts), c_uint)
_fn("itsm_record_add_note", c_int, handle, P(NoteOpts))
_fn("itsm_record_timeline_count", c_size_t, handle)
_fn("itsm_record_timeline_at", c_int, handle, c_size_t, P(TimelineEntryStruct))
_fn("itsm_record_timeline", c_int, P(c_void_p), handle)
_fn("itsm_timeline_free", None, handle)
_fn("itsm_timeline_count", c_size_t, handle)
_fn("itsm_timeline_complete", c_int, handle)
_fn("itsm_timeline_at", c_int, handle, c_size_t, P(TimelineEntryStruct))
_fn("itsm_timeline_change_at", c_int, handle, c_size_t, c_size_t, P(FieldChangeStruct))
_fn("itsm_record_link", c_int, handle, c_int, handle)
_fn("itsm_record_link_count", c_size_t, handle)
_fn("itsm_record_link_at", c_int, handle, c_size_t, P(LinkStruct))

# event.h
_fn("itsm_event_type", c_char_p, handle)
_fn("itsm_event_record_id", c_char_p, handle)
_fn("itsm_event_record_kind", c_int, handle)
_fn("itsm_event_revision", c_uint64, handle)
_fn("itsm_event_time", c_int64, handle)
_fn("itsm_event_actor", c_char_p, handle)
_fn("itsm_event_name", c_char_p, handle)
_fn("itsm_event_from_state", c_char_p, handle)
_fn("itsm_event_to_state", c_char_p, handle)
_fn("itsm_event_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
_fn("itsm_event_json_to_binary", c_int, c_char_p, c_size_t, c_void_p, c_size_t, P(c_size_t), P(ParseErrorStruct))
_fn("itsm_event_binary_to_json", c_int, c_char_p, c_size_t, c_void_p, c_size_t, P(c_size_t), P(ParseErrorStruct))

# policy.h
_fn("itsm_policy_new_default", c_int, P(c_void_p), P(Allocator))
_fn("itsm_policy_new_empty", c_int, P(c_void_p), P(Allocator))
_fn("itsm_policy_clone", c_int, P(c_void_p), handle)
_fn("itsm_policy_free", None, handle)
_fn("itsm_policy_errmsg", c_char_p, handle)
_fn("itsm_policy_lifecycle_clear", c_int, handle, c_int)
_fn("itsm_policy_add_state", c_int, handle, c_int, c_char_p, c_uint)
_fn("itsm_policy_add_event", c_int, handle, c_int, c_char_p)
_fn("itsm_transition_def_init", c_int, P(TransitionDef), c_uint)
_fn("itsm_policy_add_transition", c_int, handle, c_int, P(TransitionDef))
_fn("itsm_policy_set_priority", c_int, handle, c_int, c_int, c_int)
_fn("itsm_policy_priority", c_int, handle, c_int, c_int)
_fn("itsm_policy_set_reassignment_rule", c_int, handle, c_int)
_fn("itsm_policy_reassignment_rule", c_int, handle)
_fn("itsm_field_def_init", c_int, P(FieldDef), c_uint)
_fn("itsm_policy_add_field", c_int, handle, P(FieldDef), P(c_int))
_fn("itsm_policy_field_count", c_size_t, handle)
_fn("itsm_policy_field", c_int, P(c_int), handle, c_char_p)
_fn("itsm_policy_field_name", c_char_p, handle, c_int)
_fn("itsm_policy_field_type", c_int, handle, c_int)
_fn("itsm_policy_field_def", c_int, P(FieldDef), handle, c_int)
_fn("itsm_role_name", c_char_p, c_int)
_fn("itsm_role_from_name", c_int, P(c_int), c_char_p)
_fn("itsm_policy_set_role", c_int, handle, c_int, c_int, c_char_p)
_fn("itsm_policy_role", c_char_p, handle, c_int, c_int)
_fn("itsm_policy_check", c_size_t, handle)
_fn("itsm_policy_finding", c_char_p, handle, c_size_t)
_fn("itsm_policy_from_json", c_int, P(c_void_p), c_char_p, c_size_t, P(Allocator),
    P(JsonLimits), P(ParseErrorStruct))
_fn("itsm_policy_parse_json", c_int, P(c_void_p), c_char_p, c_size_t, P(Allocator),
    P(JsonLimits), P(ParseErrorStruct))
_fn("itsm_policy_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
# policy versions (policy.h, engine.h, event.h)
_fn("itsm_policy_set_name", c_int, handle, c_char_p)
_fn("itsm_policy_name", c_char_p, handle)
_fn("itsm_policy_hash", c_int, handle, c_void_p)
_fn("itsm_engine_adopt_policy", c_int, handle, handle)
_fn("itsm_engine_policy_version", c_char_p, handle)
_fn("itsm_record_policy_version", c_char_p, handle)
_fn("itsm_event_policy_version", c_char_p, handle)
_fn("itsm_record_policy", handle, handle)
_fn("itsm_event_fields", c_uint64, handle)
_fn("itsm_engine_reserve", c_int, handle, c_size_t, c_size_t)


# ---- service levels, escalation, communication (sla.h, escalation.h, communication.h)
CALENDAR_DEF_VERSION = 2
SLA_DEF_VERSION = 1
AGREEMENT_DEF_VERSION = 1
MAJOR_POLICY_VERSION = 1
PROBLEM_RULES_VERSION = 2
DECISION_OPTS_VERSION = 1
PROBLEM_OPEN_OPTS_VERSION = 1
KNOWLEDGE_QUERY_VERSION = 1
REPORT_OPTS_VERSION = 2
REASON_TEXT = 160
DECISION_MAX_REASONS = 8
ANSWER_NO, ANSWER_YES, ANSWER_FROM_RECORD = 0, 1, -1
INT64_MAX = 2 ** 63 - 1

TIMERS = {"response": 0, "resolution": 1, "ola": 2, "next_update": 3}
TIMER_STATUS = {0: "none", 1: "running", 2: "paused", 3: "stopped"}
MAJOR_STATES = {0: "none", 1: "proposed", 2: "accepted", 3: "rejected"}
MAJOR_PHASES = {0: "none", 1: "initial", 2: "post", 3: "resolution"}
AUDIENCES = {0: None, 1: "broadcast", 2: "callers"}
AGING_ORDERS = {"age": 1, "breach": 2}
MATCH_SOURCES = {1: "known_error", 2: "article", 3: "incident"}
PACKET_STATES = {1: "draft", 2: "proposed", 3: "acknowledged", 4: "rejected"}
PACKET_TEXTS = ("object", "defect", "what_is", "what_is_not", "where_is", "where_is_not",
                "when_is", "when_is_not", "extent_is", "extent_is_not", "status", "sender",
                "sender_group", "receiver", "receiver_group")
PACKET_LISTS = ("actions", "communications", "hypotheses", "other_places", "identical_things",
                "engaged_groups", "open_actions")
DELIVERABLE_STATUS = {"pending": 1, "delivered": 2, "approved": 3, "rejected": 4}
MEASURES = ("respond_wall", "respond_work", "resolve_wall", "resolve_work", "approval_wall",
            "approval_work")
AGING_BUCKETS = 5


class WorkSpan(Structure):
    _fields_ = [("day", c_int), ("start", c_int32), ("end", c_int32)]


class CalendarDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("utc_offset", c_int32),
                ("start", c_int32 * 7), ("end", c_int32 * 7),
                ("holidays", POINTER(c_char_p)), ("nholidays", c_size_t),
                ("zone", c_char_p), ("spans", POINTER(WorkSpan)), ("nspans", c_size_t)]


class SlaDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("response", c_uint32 * 5),
                ("resolution", c_uint32 * 5), ("calendar", c_char_p * 5)]


class AgreementTarget(Structure):
    _fields_ = [("priority", c_int), ("seconds", c_uint32), ("calendar", c_char_p)]


class AgreementDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("type", c_int),
                ("applies", c_char_p), ("start", c_char_p), ("pause", c_char_p),
                ("stop", c_char_p), ("reset", c_char_p),
                ("targets", POINTER(AgreementTarget)), ("ntargets", c_size_t),
                ("warnings", POINTER(c_uint)), ("nwarnings", c_size_t),
                ("breaches", POINTER(c_uint)), ("nbreaches", c_size_t), ("climb", c_int)]


class AgreementInfo(Sized):
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("type", c_int), ("status", c_int),
                ("verdict", c_int), ("target", c_uint32), ("calendar", c_char_p),
                ("elapsed", c_int64), ("paused", c_int64), ("due", c_int64), ("remaining", c_int64),
                ("warnings", c_uint), ("breaches", c_uint), ("started_at", c_int64),
                ("stopped_at", c_int64)]


class AgreementEntry(Sized):
    _fields_ = [("size", c_size_t), ("at", c_int64), ("agreement", c_char_p), ("step", c_int),
                ("level", c_uint), ("verdict", c_int)]


class AgreementReport(Sized):
    _fields_ = [("size", c_size_t), ("applied", c_size_t), ("met", c_size_t), ("breached", c_size_t),
                ("open", c_size_t), ("cancelled", c_size_t)]


AGREEMENT_TYPES = {1: "sla", 2: "ola", 3: "uc"}
AGREEMENT_STATUS = {0: "none", 1: "pending", 2: "running", 3: "paused", 4: "stopped", 5: "cancelled"}
AGREEMENT_VERDICTS = {0: "pending", 1: "met", 2: "breached"}


class TimerInfo(Sized):
    _fields_ = [("size", c_size_t), ("status", c_int), ("breached", c_int), ("target", c_uint32),
                ("elapsed", c_int64), ("paused", c_int64), ("due", c_int64),
                ("remaining", c_int64), ("warnings", c_uint), ("calendar", c_char_p),
                ("priority", c_int)]


class AgingEntry(Sized):
    _fields_ = [("size", c_size_t), ("rec", c_void_p), ("age", c_int64), ("time_left", c_int64)]


class MajorPolicy(Structure):
    _fields_ = [("version", c_uint), ("propose_at_priority", c_int),
                ("breadth_threshold", c_uint32), ("communication_due", c_uint32),
                ("groups_due", c_uint32)]


class ProblemRules(Structure):
    _fields_ = [("version", c_uint), ("recurrence_count", c_int),
                ("recurrence_window", c_int64), ("major_review", c_int),
                ("recurrence_ci", c_int), ("recurrence_push", c_int)]


class DecisionOpts(Structure):
    _fields_ = [("version", c_uint), ("cause_known", c_int), ("root_cause_needed", c_int),
                ("fix_needs_change", c_int)]


class DecisionReason(Structure):
    _fields_ = [("code", c_int), ("text", c_char * REASON_TEXT)]


class Decision(Sized):
    _fields_ = [("size", c_size_t), ("verdict", c_int), ("problem_proposed", c_int), ("recurrence", c_size_t),
                ("nreasons", c_size_t), ("reasons", DecisionReason * DECISION_MAX_REASONS)]


class ProblemOpenOpts(Structure):
    _fields_ = [("version", c_uint), ("id", c_char_p), ("fields", POINTER(Change)),
                ("nfields", c_size_t)]


class Match(Sized):
    _fields_ = [("size", c_size_t), ("record", c_void_p), ("source", c_int), ("score", c_int), ("words", c_size_t),
                ("workaround", c_char_p), ("level1_fix", c_int)]


class KnowledgeQuery(Structure):
    _fields_ = [("version", c_uint), ("service", c_char_p), ("category", c_char_p),
                ("words", c_char_p), ("incidents", c_int)]


class PacketEntry(Sized):
    _fields_ = [("size", c_size_t), ("text", c_char_p), ("who", c_char_p), ("at", c_int64)]


class Deliverable(Sized):
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("owner", c_char_p), ("approver", c_char_p),
                ("status", c_int), ("approved_by", c_char_p), ("required", c_int)]


class QualityEntry(Sized):
    _fields_ = [("size", c_size_t), ("record_id", c_char_p), ("sender_group", c_char_p), ("at", c_int64),
                ("seq", c_uint32), ("score", c_int), ("missing", c_char_p)]


class ReportOpts(Structure):
    _fields_ = [("version", c_uint), ("from_", c_int64), ("to", c_int64), ("now", c_int64),
                ("kinds", c_uint), ("calendar", c_char_p),
                # version 2
                ("filter", c_char_p), ("group_by", c_char_p)]


class ReportRow(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("name", c_char_p), ("count", c_size_t)]


class ReportStat(Sized):
    _fields_ = [("size", c_size_t), ("count", c_size_t), ("mean", c_double), ("min", c_int64), ("max", c_int64),
                ("p50", c_int64), ("p90", c_int64), ("p95", c_int64), ("p99", c_int64)]


class ReportFigures(Sized):
    _fields_ = [("size", c_size_t), ("resolved", c_size_t), ("first_contact", c_size_t),
                ("first_contact_rate", c_double), ("reassignments", c_size_t),
                ("reassigned_records", c_size_t), ("ever_resolved", c_size_t),
                ("reopened_records", c_size_t), ("reopens", c_size_t), ("reopen_rate", c_double)]


class ReportSlaFigures(Sized):
    _fields_ = [("size", c_size_t), ("tracked", c_size_t), ("met", c_size_t), ("breached", c_size_t),
                ("compliance", c_double)]


class ReportProcess(Sized):
    _fields_ = [("size", c_size_t), ("completed", c_size_t), ("stayed_first_line", c_size_t),
                ("functional_escalations", c_size_t), ("escalated_records", c_size_t),
                ("group_changes", c_size_t), ("ping_pong_records", c_size_t), ("ping_pong_returns", c_size_t)]


class ReportSender(Sized):
    _fields_ = [("size", c_size_t), ("sender_group", c_char_p), ("packets", c_size_t), ("mean_score", c_double),
                ("complete", c_size_t)]


class ReportTrend(Sized):
    _fields_ = [("size", c_size_t), ("week", c_int64), ("category", c_char_p), ("opened", c_size_t),
                ("resolved", c_size_t)]


class ReportGroup(Sized):
    _fields_ = [("size", c_size_t), ("value", c_char_p), ("count", c_size_t), ("resolved", c_size_t),
                ("met", c_size_t), ("breached", c_size_t)]


# sla.h
_fn("itsm_calendar_def_init", c_int, P(CalendarDef), c_uint)
_fn("itsm_policy_set_calendar", c_int, handle, P(CalendarDef))
_fn("itsm_calendar_work", c_int, P(c_int64), handle, c_char_p, c_int64, c_int64)
_fn("itsm_calendar_add", c_int, P(c_int64), handle, c_char_p, c_int64, c_int64)
_fn("itsm_calendar_utc_offset", c_int, P(c_int32), handle, c_char_p, c_int64)
_fn("itsm_zone_from_tzif", c_int, c_char_p, c_size_t, c_char_p, c_size_t)
_fn("itsm_policy_check_condition", c_int, handle, c_char_p, c_size_t, P(ParseErrorStruct))
_fn("itsm_record_condition", c_int, P(c_int), handle, c_char_p, c_size_t, P(ParseErrorStruct))
_fn("itsm_sla_def_init", c_int, P(SlaDef), c_uint)
_fn("itsm_policy_set_sla", c_int, handle, P(SlaDef))
_fn("itsm_agreement_def_init", c_int, P(AgreementDef), c_uint)
_fn("itsm_policy_set_agreement", c_int, handle, P(AgreementDef), P(ParseErrorStruct))
_fn("itsm_policy_remove_agreement", c_int, handle, c_char_p)
_fn("itsm_policy_agreement_count", c_size_t, handle)
_fn("itsm_policy_agreement_name", c_char_p, handle, c_size_t)
_fn("itsm_record_agreement", c_int, P(AgreementInfo), handle, c_char_p, c_int64)
_fn("itsm_record_agreement_steps", c_size_t, handle)
_fn("itsm_record_agreement_step", c_int, P(AgreementEntry), handle, c_size_t)
_fn("itsm_agreement_step_name", c_char_p, c_int)
_fn("itsm_engine_agreement_report", c_int, P(AgreementReport), handle, c_char_p)
_fn("itsm_policy_set_default_sla", c_int, handle, c_char_p)
_fn("itsm_policy_set_service_sla", c_int, handle, c_char_p, c_char_p)
_fn("itsm_policy_add_sla_rule", c_int, handle, c_char_p, c_char_p)
_fn("itsm_policy_set_ola", c_int, handle, c_char_p, c_uint32, c_char_p)
_fn("itsm_policy_set_pause", c_int, handle, c_char_p, c_uint)
_fn("itsm_policy_set_warnings", c_int, handle, P(c_uint), c_size_t)
# newer additions (in the working tree while this binding grew): None when absent
_optional("itsm_policy_set_sla_stop_states", c_int, handle, P(c_char_p), c_size_t)
_optional("itsm_policy_set_ola_climb", c_int, handle, c_int)
_fn("itsm_record_timer", c_int, P(TimerInfo), handle, c_int, c_int64)
_fn("itsm_record_sla", c_char_p, handle)
_fn("itsm_record_set_sla", c_int, handle, c_char_p)
_fn("itsm_engine_tick", c_int, handle, c_int64, P(c_size_t))
_fn("itsm_engine_next_deadline", c_int64, handle)
_fn("itsm_engine_aging", c_int, P(AgingEntry), c_size_t, P(c_size_t), handle, c_int, c_int64)

# escalation.h
_fn("itsm_policy_add_route", c_int, handle, c_char_p, c_char_p, c_char_p)
_fn("itsm_policy_add_route_when", c_int, handle, c_char_p, c_char_p)
_fn("itsm_policy_route", c_char_p, handle, c_char_p, c_char_p)
_fn("itsm_policy_set_ladder", c_int, handle, P(c_char_p), c_size_t, c_int, c_int)
_fn("itsm_policy_set_major", c_int, handle, P(MajorPolicy))
_fn("itsm_record_escalate", c_int, handle, c_int, c_char_p, c_char_p)
_fn("itsm_record_first_contact_resolution", c_int, handle)
_fn("itsm_record_escalate_hierarchical", c_int, handle, c_char_p)
_fn("itsm_record_escalation_audience", c_char_p, handle)
_fn("itsm_major_propose", c_int, handle, c_char_p)
_fn("itsm_major_decide", c_int, handle, c_int, c_char_p)
_fn("itsm_major_communication_issued", c_int, handle)
_fn("itsm_major_engage_groups", c_int, handle, P(c_char_p), c_size_t)
_fn("itsm_major_attach", c_int, handle, handle)
_fn("itsm_record_major_state", c_int, handle)
_fn("itsm_record_major_phase", c_int, handle)
_fn("itsm_record_major_deadline", c_int, P(c_int64), P(c_int), P(c_int), handle, c_int)

# communication.h
_fn("itsm_policy_set_cadence", c_int, handle, P(c_uint32), c_int)
_fn("itsm_policy_set_closure", c_int, handle, c_uint32, c_uint, c_int)
_fn("itsm_record_audience", c_int, handle)
_fn("itsm_outage_declare", c_int, handle, c_int64, c_int64)
_fn("itsm_outage_end", c_int, handle)
_fn("itsm_engine_outage", handle, handle, c_char_p)
_fn("itsm_record_survey_sampled", c_int, handle)
_fn("itsm_record_knowledge_candidate", c_int, handle)
_fn("itsm_record_auto_close_due", c_int64, handle)

# problem.h
_fn("itsm_problem_rules_init", c_int, P(ProblemRules), c_uint)
_fn("itsm_policy_problem_rules", c_int, P(ProblemRules), handle)
_fn("itsm_policy_set_problem_rules", c_int, handle, P(ProblemRules))
_fn("itsm_verdict_name", c_char_p, c_int)
_fn("itsm_reason_name", c_char_p, c_int)
_fn("itsm_decision_opts_init", c_int, P(DecisionOpts), c_uint)
_fn("itsm_problem_decide", c_int, P(Decision), handle, P(DecisionOpts))
_fn("itsm_problem_recurrence", c_int, P(c_size_t), handle, c_char_p, c_char_p, c_int64)
_fn("itsm_problem_open_opts_init", c_int, P(ProblemOpenOpts), c_uint)
_fn("itsm_problem_open_from_incident", c_int, P(c_void_p), handle, P(ProblemOpenOpts))
_fn("itsm_change_open_from_problem", c_int, P(c_void_p), handle, P(ProblemOpenOpts))
_fn("itsm_problem_close", c_int, handle, c_char_p, c_char_p)

# knowledge.h
_fn("itsm_knowledge_query_init", c_int, P(KnowledgeQuery), c_uint)
_fn("itsm_knowledge_search", c_int, P(Match), c_size_t, P(c_size_t), handle, P(KnowledgeQuery))
_fn("itsm_diagnose", c_int, P(Match), c_size_t, P(c_size_t), handle)
_fn("itsm_knowledge_decide", c_int, P(c_char_p), handle)

# handover.h
_fn("itsm_packet_kind_name", c_char_p, c_int)
_fn("itsm_packet_kind_from_name", c_int, P(c_int), c_char_p)
_fn("itsm_packet_new", c_int, P(c_void_p), handle, c_int)
_fn("itsm_packet_free", None, handle)
_fn("itsm_packet_clone", c_int, P(c_void_p), handle)
_fn("itsm_packet_kind_of", c_int, handle)
_fn("itsm_packet_state_of", c_int, handle)
_fn("itsm_packet_record_id", c_char_p, handle)
_fn("itsm_packet_record_kind", c_int, handle)
_fn("itsm_packet_created_at", c_int64, handle)
_fn("itsm_packet_seq", c_uint32, handle)
_fn("itsm_packet_errmsg", c_char_p, handle)
_fn("itsm_packet_set_text", c_int, handle, c_int, c_char_p)
_fn("itsm_packet_text_of", c_char_p, handle, c_int)
_fn("itsm_packet_set_next_update", c_int, handle, c_int64)
_fn("itsm_packet_next_update", c_int64, handle)
_fn("itsm_packet_set_contact_verified", c_int, handle, c_int)
_fn("itsm_packet_contact_verified", c_int, handle)
_fn("itsm_packet_add", c_int, handle, c_int, P(PacketEntry))
_fn("itsm_packet_clear", c_int, handle, c_int)
_fn("itsm_packet_count", c_size_t, handle, c_int)
_fn("itsm_packet_at", c_int, handle, c_int, c_size_t, P(PacketEntry))
_fn("itsm_deliverable_status_name", c_char_p, c_int)
_fn("itsm_packet_add_deliverable", c_int, handle, c_char_p, c_char_p, c_char_p, c_int)
_fn("itsm_packet_set_deliverable_status", c_int, handle, c_char_p, c_int, c_char_p)
_fn("itsm_packet_deliverable_count", c_size_t, handle)
_fn("itsm_packet_deliverable_at", c_int, handle, c_size_t, P(Deliverable))
_fn("itsm_packet_gate_open", c_int, handle)
_fn("itsm_policy_set_handover_checklist", c_int, handle, c_int, c_char_p)
_fn("itsm_policy_handover_checklist", c_int, handle, c_int, c_void_p, c_size_t, P(c_size_t))
_fn("itsm_packet_completeness", c_int, P(c_int), handle, handle, c_void_p, c_size_t)
_fn("itsm_packet_propose", c_int, handle, handle)
_fn("itsm_packet_acknowledge", c_int, handle, handle, c_char_p)
_fn("itsm_packet_reject", c_int, handle, handle, c_char_p, c_char_p)
_fn("itsm_engine_handover_count", c_size_t, handle)
_fn("itsm_engine_handover_at", c_int, P(c_void_p), handle, c_size_t)
_fn("itsm_engine_handover_find", c_int, P(c_void_p), handle, c_uint32)
_fn("itsm_packet_decided_by", c_char_p, handle)
_fn("itsm_packet_decided_at", c_int64, handle)
_fn("itsm_packet_reason", c_char_p, handle)
# tamper evidence (integrity.h)
_fn("itsm_record_chain_head", c_int, handle, c_void_p)
_fn("itsm_event_chain", c_int, handle, c_void_p)
_fn("itsm_engine_audit_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
_fn("itsm_engine_symbol", c_int, handle, c_char_p, P(c_char_p))
_fn("itsm_packet_proposed_at", c_int64, handle)
_fn("itsm_quality_log_count", c_size_t, handle)
_fn("itsm_quality_log_at", c_int, handle, c_size_t, P(QualityEntry))
_fn("itsm_handover_report_to_json", c_int, handle, c_int64, c_int64, c_void_p, c_size_t,
    P(c_size_t))
_fn("itsm_packet_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
_fn("itsm_packet_from_json", c_int, P(c_void_p), c_char_p, c_size_t, P(Allocator),
    P(JsonLimits), P(ParseErrorStruct))
_fn("itsm_packet_equal", c_int, handle, handle)

# report.h
_fn("itsm_report_opts_init", c_int, P(ReportOpts), c_uint)
_fn("itsm_report_new", c_int, P(c_void_p), handle, P(ReportOpts))
_fn("itsm_report_free", None, handle)
_fn("itsm_report_from", c_int64, handle)
_fn("itsm_report_to", c_int64, handle)
_fn("itsm_report_now", c_int64, handle)
_fn("itsm_report_calendar", c_char_p, handle)
_fn("itsm_report_total", c_size_t, handle)
_fn("itsm_report_by_kind", c_size_t, handle, c_int)
_fn("itsm_report_by_priority", c_size_t, handle, c_int)
_fn("itsm_report_state_count", c_size_t, handle)
_fn("itsm_report_state_at", c_int, handle, c_size_t, P(ReportRow))
_fn("itsm_report_category_count", c_size_t, handle)
_fn("itsm_report_category_at", c_int, handle, c_size_t, P(ReportRow))
_fn("itsm_report_measure_name", c_char_p, c_int)
_fn("itsm_report_duration", c_int, P(ReportStat), handle, c_int)
_fn("itsm_report_figures_of", c_int, P(ReportFigures), handle)
_fn("itsm_report_process_available", c_int, handle)
_fn("itsm_report_process_of", c_int, P(ReportProcess), handle)
_fn("itsm_report_sla", c_int, P(ReportSlaFigures), handle)
_fn("itsm_report_sender_count", c_size_t, handle)
_fn("itsm_report_sender_at", c_int, handle, c_size_t, P(ReportSender))
_fn("itsm_report_aging_bound", c_int64, c_size_t)
_fn("itsm_report_aging", c_size_t, handle, c_size_t)
_fn("itsm_report_trend_count", c_size_t, handle)
_fn("itsm_report_trend_at", c_int, handle, c_size_t, P(ReportTrend))
_fn("itsm_report_filter", c_char_p, handle)
_fn("itsm_report_group_by", c_char_p, handle)
_fn("itsm_report_group_count", c_size_t, handle)
_fn("itsm_report_group_at", c_int, handle, c_size_t, P(ReportGroup))
_fn("itsm_report_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
_fn("itsm_report_to_csv", c_int, handle, c_void_p, c_size_t, P(c_size_t))


# approval.h
class ApprovalLevelDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("people", c_void_p), ("npeople", c_size_t),
                ("group", c_char_p), ("mode", c_int), ("quorum", c_uint), ("exception", c_int)]


class ApprovalRuleDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("kind", c_int), ("change_types", c_void_p),
                ("nchange_types", c_size_t), ("risks", c_void_p), ("nrisks", c_size_t), ("state", c_char_p),
                ("levels", c_void_p), ("nlevels", c_size_t), ("separation", c_uint)]


class ApprovalInfo(Sized):
    _fields_ = [("size", c_size_t), ("status", c_int), ("rule", c_char_p), ("levels", c_size_t),
                ("current", c_size_t), ("requested_at", c_int64), ("decided_at", c_int64)]


class ApprovalLevel(Sized):
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("mode", c_int), ("status", c_int),
                ("approvals", c_size_t), ("rejections", c_size_t), ("needed", c_size_t), ("voters", c_size_t),
                ("exception", c_int)]


class ApprovalDecision(Sized):
    _fields_ = [("size", c_size_t), ("verdict", c_int), ("rule", c_char_p), ("level", c_char_p),
                ("by", c_char_p), ("to", c_char_p), ("comment", c_char_p), ("at", c_int64)]


APPROVAL_LEVEL_DEF_VERSION = 1
APPROVAL_RULE_DEF_VERSION = 1
APPROVAL_MAX_LEVELS = 8
APPROVAL_MAX_RULES = 64
APPROVAL_MAX_PEOPLE = 256
APPROVAL_MAX_GROUPS = 256
APPROVAL_SOD_REQUESTER = 0x1
APPROVAL_SOD_IMPLEMENTER = 0x2
APPROVAL_MODES = {"any": 1, "all": 2, "quorum": 3}
APPROVAL_STATUS = {0: "none", 1: "not_started", 2: "pending", 3: "approved", 4: "rejected"}
LEVEL_STATUS = {1: "pending", 2: "approved", 3: "rejected"}
VERDICTS = {1: "approve", 2: "reject", 3: "delegate"}
_fn("itsm_approval_mode_name", c_char_p, c_int)
_fn("itsm_approval_level_def_init", c_int, P(ApprovalLevelDef), c_uint)
_fn("itsm_approval_rule_def_init", c_int, P(ApprovalRuleDef), c_uint)
_fn("itsm_policy_add_approval_rule", c_int, handle, P(ApprovalRuleDef))
_fn("itsm_policy_clear_approval_rules", c_int, handle)
_fn("itsm_policy_set_approver_group", c_int, handle, c_char_p, P(c_char_p), c_size_t)
_fn("itsm_policy_approval_rule_count", c_size_t, handle)
_fn("itsm_record_approve", c_int, handle, c_char_p, c_char_p, c_char_p)
_fn("itsm_record_reject_approval", c_int, handle, c_char_p, c_char_p, c_char_p)
_fn("itsm_record_delegate_approval", c_int, handle, c_char_p, c_char_p, c_char_p, c_char_p)
_fn("itsm_approval_status_name", c_char_p, c_int)
_fn("itsm_record_approval", c_int, P(ApprovalInfo), handle)
_fn("itsm_record_approval_level", c_int, P(ApprovalLevel), handle, c_size_t)
_fn("itsm_approval_verdict_name", c_char_p, c_int)
_fn("itsm_record_approval_count", c_size_t, handle)
_fn("itsm_record_approval_at", c_int, P(ApprovalDecision), handle, c_size_t)


# change.h
class RiskQuestionDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("text", c_char_p), ("answers", c_void_p),
                ("scores", c_void_p), ("nanswers", c_size_t)]


class RiskInfo(Sized):
    _fields_ = [("size", c_size_t), ("level", c_char_p), ("score", c_int64), ("answered", c_size_t),
                ("questions", c_size_t)]


class RiskAnswer(Sized):
    _fields_ = [("size", c_size_t), ("question", c_char_p), ("answer", c_char_p), ("score", c_int),
                ("by", c_char_p), ("at", c_int64)]


class BlackoutDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("from_", c_int64), ("to", c_int64),
                ("calendar", c_char_p), ("services", c_void_p), ("nservices", c_size_t)]


class ScheduleRules(Structure):
    _fields_ = [("version", c_uint), ("states", c_void_p), ("nstates", c_size_t), ("exception_types", c_void_p),
                ("nexception_types", c_size_t)]


class ScheduleQuery(Structure):
    _fields_ = [("version", c_uint), ("from_", c_int64), ("to", c_int64), ("service", c_char_p),
                ("ci", c_char_p), ("planned", c_int)]


class ScheduleEntry(Sized):
    _fields_ = [("size", c_size_t), ("rec", c_void_p), ("start", c_int64), ("end", c_int64),
                ("collisions", c_size_t)]


class Collision(Sized):
    _fields_ = [("size", c_size_t), ("with_", c_void_p), ("on", c_int), ("value", c_char_p),
                ("from_", c_int64), ("to", c_int64)]


RISK_QUESTION_DEF_VERSION = 1
RISK_MAX_QUESTIONS = 32
RISK_MAX_ANSWERS = 16
RISK_MAX_LEVELS = 8
RISK_MAX_SCORE = 1000
BLACKOUT_DEF_VERSION = 1
SCHEDULE_RULES_VERSION = 1
SCHEDULE_QUERY_VERSION = 1
SCHEDULE_MAX_BLACKOUTS = 64
SCHEDULE_MAX_WINDOWS = 256
SCHEDULE_MAX_NAMES = 16
COLLISION_ON = {1: "ci", 2: "service"}
_fn("itsm_risk_question_def_init", c_int, P(RiskQuestionDef), c_uint)
_fn("itsm_policy_set_risk_question", c_int, handle, P(RiskQuestionDef))
_fn("itsm_policy_clear_risk_questions", c_int, handle)
_fn("itsm_policy_set_risk_levels", c_int, handle, P(c_char_p), P(c_int), c_size_t)
_fn("itsm_policy_set_risk_kinds", c_int, handle, c_uint)
_fn("itsm_policy_risk_question_count", c_size_t, handle)
_fn("itsm_record_answer_risk", c_int, handle, c_char_p, c_char_p)
_fn("itsm_record_risk", c_int, P(RiskInfo), handle)
_fn("itsm_record_risk_answer_count", c_size_t, handle)
_fn("itsm_record_risk_answer_at", c_int, P(RiskAnswer), handle, c_size_t)
_fn("itsm_policy_set_maintenance_window", c_int, handle, c_char_p, c_char_p)
_fn("itsm_blackout_def_init", c_int, P(BlackoutDef), c_uint)
_fn("itsm_policy_set_blackout", c_int, handle, P(BlackoutDef))
_fn("itsm_policy_remove_blackout", c_int, handle, c_char_p)
_fn("itsm_schedule_rules_init", c_int, P(ScheduleRules), c_uint)
_fn("itsm_policy_set_schedule_rules", c_int, handle, P(ScheduleRules))
_fn("itsm_change_plan", c_int, handle, c_int64, c_int64)
_fn("itsm_change_planned", c_int, P(c_int64), P(c_int64), handle)
_fn("itsm_change_on_schedule", c_int, handle)
_fn("itsm_change_findings", c_size_t, handle)
_fn("itsm_schedule_query_init", c_int, P(ScheduleQuery), c_uint)
_fn("itsm_change_schedule", c_int, P(ScheduleEntry), c_size_t, P(c_size_t), handle, P(ScheduleQuery))
_fn("itsm_change_collisions", c_int, P(Collision), c_size_t, P(c_size_t), handle)



# request.h
class TaskInfo(Sized):
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("group", c_char_p), ("assignee", c_char_p),
                ("step", c_int), ("priority", c_int), ("ola_minutes", c_int64), ("state", c_int),
                ("opened_at", c_int64), ("due", c_int64), ("closed_at", c_int64), ("breached", c_int)]


CATALOGUE_MAX_ITEMS = 256
CATALOGUE_MAX_TASKS = 32
TASK_MAX_OLA_MINUTES = 525600
TASK_STATES = {0: "waiting", 1: "open", 2: "done", 3: "canceled"}
_fn("itsm_request_choose_item", c_int, handle, c_char_p)
_fn("itsm_request_item", c_char_p, handle)
_fn("itsm_task_state_name", c_char_p, c_int)
_fn("itsm_request_task_assign", c_int, handle, c_char_p, c_char_p)
_fn("itsm_request_task_close", c_int, handle, c_char_p, c_int, c_char_p)
_fn("itsm_request_task_count", c_size_t, handle)
_fn("itsm_request_task_at", c_int, P(TaskInfo), handle, c_size_t)

# conformance.h
class ObservedMove(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("record", c_char_p), ("from_", c_char_p),
                ("to", c_char_p), ("event", c_char_p), ("refused", c_int), ("fields", c_void_p)]


class ConformanceSummary(Sized):
    _fields_ = [("size", c_size_t), ("records", c_size_t), ("moves", c_size_t), ("allowed", c_size_t),
                ("guard_failed", c_size_t), ("refused", c_size_t), ("fitness", c_double),
                ("deviating_records", c_size_t), ("bypass_records", c_size_t)]


class ConformanceMove(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("from_", c_char_p), ("to", c_char_p), ("count", c_size_t),
                ("allowed", c_size_t), ("guard_failed", c_size_t), ("refused", c_size_t), ("fitness", c_double),
                ("deviation", c_int), ("skipped", c_char_p)]


class ConformanceRule(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("from_", c_char_p), ("event", c_char_p), ("to", c_char_p),
                ("guard", c_char_p), ("used", c_size_t), ("guard_failed", c_size_t), ("agreement", c_double)]


OBSERVED_MOVE_VERSION = 1
_fn("itsm_conformance_new", c_int, P(c_void_p), handle, P(Allocator))
_fn("itsm_conformance_free", None, handle)
_fn("itsm_conformance_errmsg", c_char_p, handle)
_fn("itsm_conformance_add_json", c_int, handle, c_char_p, c_size_t, P(ParseErrorStruct))
_fn("itsm_conformance_add_event", c_int, handle, handle)
_fn("itsm_conformance_scan", c_int, handle, P(Store), c_void_p)
_fn("itsm_observed_move_init", c_int, P(ObservedMove), c_uint)
_fn("itsm_conformance_observe", c_int, handle, P(ObservedMove))
_fn("itsm_deviation_name", c_char_p, c_int)
_fn("itsm_conformance_summary_of", c_int, P(ConformanceSummary), handle)
_fn("itsm_conformance_move_count", c_size_t, handle)
_fn("itsm_conformance_move_at", c_int, handle, c_size_t, P(ConformanceMove))
_fn("itsm_conformance_rule_count", c_size_t, handle)
_fn("itsm_conformance_rule_at", c_int, handle, c_size_t, P(ConformanceRule))
_fn("itsm_conformance_state_count", c_size_t, handle, c_int)
_fn("itsm_conformance_state_at", c_int, handle, c_int, c_size_t, P(c_char_p), P(c_uint))
_fn("itsm_conformance_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
_fn("itsm_conformance_to_csv", c_int, handle, c_void_p, c_size_t, P(c_size_t))


def text(b: bytes | None) -> str | None:
    """A borrowed C string as a Python str (the library hands out UTF-8)."""
    return None if b is None else b.decode("utf-8", "replace")


def snprintf_call(fn: Any, *args: Any) -> tuple[int, str]:
    """Call an snprintf-style writer (buf, cap, *len): (code, text)."""
    n = c_size_t(0)
    buf = ctypes.create_string_buffer(1024)
    rc = fn(*args, buf, len(buf), ctypes.byref(n))
    if rc == ELIMIT:
        buf = ctypes.create_string_buffer(n.value + 1)
        rc = fn(*args, buf, len(buf), ctypes.byref(n))
    return int(rc), buf.raw[:n.value].decode("utf-8", "replace")


# satisfaction.h
class SurveyScale(Structure):
    _fields_ = [("version", c_uint), ("min", c_int), ("max", c_int)]


class SurveyAnswer(Sized):
    _fields_ = [("size", c_size_t), ("score", c_int), ("comment", c_char_p), ("by", c_char_p),
                ("at", c_int64)]


SURVEY_MAX_POINTS = 11
SURVEY_SCALE_VERSION = 1


class ReportSurvey(Sized):
    _fields_ = [("size", c_size_t), ("by", c_int), ("name", c_char_p), ("week", c_int64),
                ("sent", c_size_t), ("answered", c_size_t), ("response_rate", c_double),
                ("mean_score", c_double), ("scale_min", c_int), ("scale_max", c_int),
                ("scores", c_size_t * SURVEY_MAX_POINTS)]


SURVEY_DIMENSIONS = {0: "all", 1: "group", 2: "service", 3: "week"}
_fn("itsm_survey_scale_init", c_int, P(SurveyScale), c_uint)
_fn("itsm_policy_survey_scale", c_int, P(SurveyScale), handle)
_fn("itsm_policy_set_survey_scale", c_int, handle, P(SurveyScale))
_fn("itsm_record_survey_answer", c_int, handle, c_int, c_char_p)
_fn("itsm_record_survey", c_int, P(SurveyAnswer), handle)
_fn("itsm_survey_dimension_name", c_char_p, c_int)
_fn("itsm_report_survey_count", c_size_t, handle)
_fn("itsm_report_survey_at", c_int, handle, c_size_t, P(ReportSurvey))


# review.h: the post-incident review of a major incident
class ReviewInfo(Sized):
    _fields_ = [("size", c_size_t), ("opened_at", c_int64), ("opened_by", c_char_p), ("complete", c_int),
                ("completed_at", c_int64), ("completed_by", c_char_p), ("causes", c_size_t),
                ("actions", c_size_t), ("open_actions", c_size_t), ("unowned_actions", c_size_t),
                ("overdue_actions", c_size_t)]


class ReviewCause(Sized):
    _fields_ = [("size", c_size_t), ("text", c_char_p), ("by", c_char_p), ("at", c_int64)]


class ReviewAction(Sized):
    _fields_ = [("size", c_size_t), ("id", c_char_p), ("text", c_char_p), ("owner", c_char_p), ("due", c_int64),
                ("added_at", c_int64), ("added_by", c_char_p), ("done", c_int), ("done_at", c_int64),
                ("done_by", c_char_p), ("note", c_char_p), ("overdue", c_int)]


REVIEW_MAX_ITEMS = 256
_fn("itsm_review_open", c_int, handle)
_fn("itsm_review_add_cause", c_int, handle, c_char_p)
_fn("itsm_review_add_action", c_int, handle, c_char_p, c_char_p, c_char_p, c_int64)
_fn("itsm_review_assign_action", c_int, handle, c_char_p, c_char_p)
_fn("itsm_review_action_done", c_int, handle, c_char_p, c_char_p)
_fn("itsm_review_complete", c_int, handle)
_fn("itsm_record_review", c_int, P(ReviewInfo), handle)
_fn("itsm_review_cause_at", c_int, P(ReviewCause), handle, c_size_t)
_fn("itsm_review_action_at", c_int, P(ReviewAction), handle, c_size_t)
_fn("itsm_review_timeline", c_int, P(c_void_p), handle)
_fn("itsm_engine_review_actions", c_int, handle, P(c_size_t), P(c_size_t), P(c_size_t))


# oncall.h
class OncallStep(Structure):
    _fields_ = [("targets", POINTER(c_char_p)), ("ntargets", c_size_t), ("ack_timeout", c_uint)]


class OncallDef(Structure):
    _fields_ = [("version", c_uint), ("name", c_char_p), ("steps", POINTER(OncallStep)), ("nsteps", c_size_t),
                ("repeat", c_uint), ("services", POINTER(c_char_p)), ("nservices", c_size_t),
                ("max_priority", c_int)]


class OncallInfo(Sized):
    _fields_ = [("size", c_size_t), ("status", c_int), ("policy", c_char_p), ("step", c_uint),
                ("round", c_uint), ("pages", c_uint), ("due", c_int64), ("acked_by", c_char_p),
                ("acked_at", c_int64)]


class Alert(Structure):
    _fields_ = [("version", c_uint), ("dedup_key", c_char_p), ("group", c_char_p),
                ("fields", POINTER(Change)), ("nfields", c_size_t)]


ONCALL_DEF_VERSION = 1
ALERT_VERSION = 1
ONCALL_STATUS = {0: "none", 1: "paging", 2: "acknowledged", 3: "exhausted", 4: "stopped"}
ALERT_OUTCOMES = {1: "opened", 2: "duplicate", 3: "grouped"}
_fn("itsm_oncall_def_init", c_int, P(OncallDef), c_uint)
_fn("itsm_policy_add_oncall", c_int, handle, P(OncallDef))
_fn("itsm_policy_set_alert_window", c_int, handle, c_uint)
_fn("itsm_oncall_page", c_int, handle, c_char_p)
_fn("itsm_oncall_acknowledge", c_int, handle, c_char_p)
_fn("itsm_record_oncall", c_int, P(OncallInfo), handle)
_fn("itsm_alert_init", c_int, P(Alert), c_uint)
_fn("itsm_alert_ingest", c_int, P(c_void_p), P(c_int), handle, P(Alert))
_fn("itsm_record_alert_count", c_uint32, handle)


# problem.h: problem proposals (the recurrence push)
class ProblemProposal(Sized):
    _fields_ = [("size", c_size_t), ("record", c_char_p), ("at", c_int64), ("status", c_int),
                ("service", c_char_p), ("category", c_char_p), ("ci", c_char_p), ("window", c_int64),
                ("incidents", c_size_t), ("problem", c_char_p), ("reason", c_char_p), ("decided_at", c_int64)]


class ReportProposals(Sized):
    _fields_ = [("size", c_size_t), ("proposed", c_size_t), ("pending", c_size_t), ("accepted", c_size_t),
                ("dismissed", c_size_t), ("incidents", c_size_t)]


PROBLEM_PROPOSAL_MAX = 64
_fn("itsm_proposal_status_name", c_char_p, c_int)
_fn("itsm_engine_problem_proposal_count", c_size_t, handle)
_fn("itsm_engine_problem_proposal_at", c_int, P(ProblemProposal), handle, c_size_t)
_fn("itsm_engine_problem_proposal_incident", c_char_p, handle, c_size_t, c_size_t)
_fn("itsm_record_problem_proposal", c_int, P(c_size_t), handle)
_fn("itsm_problem_proposal_accept", c_int, P(c_void_p), handle, P(ProblemOpenOpts))
_fn("itsm_problem_proposal_dismiss", c_int, handle, c_char_p)
_fn("itsm_report_proposals_of", c_int, P(ReportProposals), handle)


# whatif.h: a store's events judged under a candidate policy
WHATIF_OPTS_VERSION = 1


class WhatifOpts(Structure):
    _fields_ = [("version", c_uint), ("as_of", c_int64), ("alloc", Allocator), ("errmsg", c_char_p),
                ("errmsg_cap", c_size_t)]


class WhatifSummary(Sized):
    _fields_ = [("size", c_size_t), ("as_of", c_int64), ("events", c_size_t), ("records", c_size_t),
                ("clocks", c_size_t), ("flips", c_size_t), ("to_breached", c_size_t), ("to_met", c_size_t),
                ("actual_breached", c_size_t), ("candidate_breached", c_size_t)]


class WhatifFlip(Sized):
    _fields_ = [("size", c_size_t), ("record", c_char_p), ("group", c_char_p), ("priority", c_int),
                ("clock", c_int), ("actual_sla", c_char_p), ("candidate_sla", c_char_p), ("actual", c_int),
                ("candidate", c_int), ("actual_target", c_uint32), ("candidate_target", c_uint32),
                ("actual_elapsed", c_int64), ("candidate_elapsed", c_int64)]


class WhatifSla(Sized):
    _fields_ = [("size", c_size_t), ("name", c_char_p), ("clock", c_int), ("actual_met", c_size_t),
                ("actual_breached", c_size_t), ("actual_pending", c_size_t), ("candidate_met", c_size_t),
                ("candidate_breached", c_size_t), ("candidate_pending", c_size_t)]


class WhatifGroup(Sized):
    _fields_ = [("size", c_size_t), ("group", c_char_p), ("records", c_size_t), ("actual_breached", c_size_t),
                ("candidate_breached", c_size_t), ("to_breached", c_size_t), ("to_met", c_size_t)]


class WhatifDuration(Sized):
    _fields_ = [("size", c_size_t), ("count", c_size_t), ("changed", c_size_t), ("actual_mean", c_double),
                ("candidate_mean", c_double), ("mean_delta", c_double), ("actual_p50", c_int64),
                ("candidate_p50", c_int64), ("actual_p90", c_int64), ("candidate_p90", c_int64),
                ("max_delta", c_int64)]


_fn("itsm_whatif_opts_init", c_int, P(WhatifOpts), c_uint)
_fn("itsm_whatif_new", c_int, P(c_void_p), handle, handle, P(WhatifOpts))
_fn("itsm_whatif_free", None, handle)
_fn("itsm_whatif_verdict_name", c_char_p, c_int)
_fn("itsm_whatif_clock_name", c_char_p, c_int)
_fn("itsm_whatif_measure_name", c_char_p, c_int)
_fn("itsm_whatif_summary_of", c_int, P(WhatifSummary), handle)
_fn("itsm_whatif_flip_count", c_size_t, handle)
_fn("itsm_whatif_flip_at", c_int, handle, c_size_t, P(WhatifFlip))
_fn("itsm_whatif_sla_count", c_size_t, handle)
_fn("itsm_whatif_sla_at", c_int, handle, c_size_t, P(WhatifSla))
_fn("itsm_whatif_group_count", c_size_t, handle)
_fn("itsm_whatif_group_at", c_int, handle, c_size_t, P(WhatifGroup))
_fn("itsm_whatif_duration_of", c_int, P(WhatifDuration), handle, c_int)
_fn("itsm_whatif_to_json", c_int, handle, c_size_t, c_void_p, c_size_t, P(c_size_t))


# migration.h: what a candidate policy would do to the open records
class MigrationFinding(Sized):
    _fields_ = [("size", c_size_t), ("kind", c_int), ("record", c_char_p), ("record_kind", c_int),
                ("state", c_char_p), ("event", c_char_p), ("name", c_char_p), ("agreement", c_int),
                ("clock", c_int), ("actual_target", c_uint32), ("candidate_target", c_uint32),
                ("actual_due", c_int64), ("candidate_due", c_int64), ("delta", c_int64), ("detail", c_char_p)]


_fn("itsm_migration_kind_name", c_char_p, c_int)
_fn("itsm_engine_migration_check", c_int, P(c_void_p), handle, handle)
_fn("itsm_migration_free", None, handle)
_fn("itsm_migration_now", c_int64, handle)
_fn("itsm_migration_records", c_size_t, handle)
_fn("itsm_migration_count", c_size_t, handle)
_fn("itsm_migration_count_of", c_size_t, handle, c_int)
_fn("itsm_migration_at", c_int, handle, c_size_t, P(MigrationFinding))
_fn("itsm_migration_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))
