"""ctypes declarations of the C API (include/itsm.h), one place for all.

Every function gets explicit argtypes and restype: nothing relies on
ctypes' int defaults, so 64-bit values and pointers are never truncated.
"""
from __future__ import annotations

import ctypes
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_int, c_int64,
                    c_size_t, c_uint, c_uint64, c_void_p)

from ._loader import load

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

TIME_MIN = 0
TIME_MAX = 253402300799
TIME_NONE = -1

TYPE_TEXT, TYPE_SYMBOL, TYPE_INT, TYPE_BOOL, TYPE_TIME = 1, 2, 3, 4, 5

STATE_INITIAL = 0x1
STATE_CLOSED = 0x2

ENGINE_OPTS_VERSION = 1
RECORD_OPTS_VERSION = 1
NOTE_OPTS_VERSION = 1
STORE_VERSION = 1
TRANSITION_DEF_VERSION = 1
PARSE_ERROR_TEXT = 160

handle = c_void_p   # every opaque handle


# ---- structs ----------------------------------------------------------------
MALLOC_FN = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
REALLOC_FN = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
FREE_FN = CFUNCTYPE(None, c_void_p, c_void_p)


class Allocator(Structure):
    _fields_ = [("malloc_fn", MALLOC_FN), ("realloc_fn", REALLOC_FN),
                ("free_fn", FREE_FN), ("user", c_void_p)]


class JsonLimits(Structure):
    _fields_ = [("max_document", c_size_t), ("max_string", c_size_t),
                ("max_depth", c_size_t)]


class ParseErrorStruct(Structure):
    _fields_ = [("code", c_int), ("line", c_size_t), ("column", c_size_t),
                ("offset", c_size_t), ("text", c_char * PARSE_ERROR_TEXT)]


CLOCK_FN = CFUNCTYPE(c_int64, c_void_p)
SINK_FN = CFUNCTYPE(None, c_void_p, POINTER(c_void_p), c_size_t)
EMIT_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_size_t)
APPEND_FN = CFUNCTYPE(c_int, c_void_p, POINTER(c_void_p), c_size_t)
SCAN_FN = CFUNCTYPE(c_int, c_void_p, EMIT_FN, c_void_p)
DESTROY_FN = CFUNCTYPE(None, c_void_p)


class Store(Structure):
    _fields_ = [("version", c_int), ("append", APPEND_FN), ("scan", SCAN_FN),
                ("destroy", DESTROY_FN)]


class EngineOpts(Structure):
    _fields_ = [("version", c_uint), ("policy", c_void_p), ("store", POINTER(Store)),
                ("store_user", c_void_p), ("clock", CLOCK_FN), ("clock_user", c_void_p),
                ("sink", SINK_FN), ("sink_user", c_void_p), ("alloc", Allocator),
                ("limits", JsonLimits)]


class Change(Structure):
    _fields_ = [("field", c_int), ("str", c_char_p), ("num", c_int64)]


class RecordOpts(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("id", c_char_p),
                ("fields", POINTER(Change)), ("nfields", c_size_t)]


class NoteOpts(Structure):
    _fields_ = [("version", c_uint), ("kind", c_int), ("text", c_char_p),
                ("expected_restoration", c_int64), ("next_update", c_int64)]


class TimelineEntryStruct(Structure):
    _fields_ = [("kind", c_int), ("at", c_int64), ("author", c_char_p), ("text", c_char_p),
                ("expected_restoration", c_int64), ("next_update", c_int64)]


class LinkStruct(Structure):
    _fields_ = [("kind", c_int), ("target_kind", c_int), ("target_id", c_char_p)]


class TransitionDef(Structure):
    _fields_ = [("version", c_uint), ("from_", c_char_p), ("event", c_char_p),
                ("to", c_char_p), ("guard", c_char_p), ("stamp", c_char_p),
                ("clear", c_char_p), ("counts_reopen", c_int)]


# ---- prototypes -------------------------------------------------------------
def _fn(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    globals()[name] = f
    return f


def _optional(name, restype, *argtypes):
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
_fn("itsm_note_opts_init", c_int, P(NoteOpts), c_uint)
_fn("itsm_record_add_note", c_int, handle, P(NoteOpts))
_fn("itsm_record_timeline_count", c_size_t, handle)
_fn("itsm_record_timeline_at", c_int, handle, c_size_t, P(TimelineEntryStruct))
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
_fn("itsm_policy_check", c_size_t, handle)
_fn("itsm_policy_finding", c_char_p, handle, c_size_t)
_fn("itsm_policy_from_json", c_int, P(c_void_p), c_char_p, c_size_t, P(Allocator),
    P(JsonLimits), P(ParseErrorStruct))
_fn("itsm_policy_parse_json", c_int, P(c_void_p), c_char_p, c_size_t, P(Allocator),
    P(JsonLimits), P(ParseErrorStruct))
_fn("itsm_policy_to_json", c_int, handle, c_void_p, c_size_t, P(c_size_t))


def text(b: bytes | None) -> str | None:
    """A borrowed C string as a Python str (the library hands out UTF-8)."""
    return None if b is None else b.decode("utf-8", "replace")


def snprintf_call(fn, *args) -> tuple[int, str]:
    """Call an snprintf-style writer (buf, cap, *len): (code, text)."""
    n = c_size_t(0)
    buf = ctypes.create_string_buffer(1024)
    rc = fn(*args, buf, len(buf), ctypes.byref(n))
    if rc == ELIMIT:
        buf = ctypes.create_string_buffer(n.value + 1)
        rc = fn(*args, buf, len(buf), ctypes.byref(n))
    return rc, buf.raw[:n.value].decode("utf-8", "replace")
