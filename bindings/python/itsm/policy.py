# SPDX-License-Identifier: Apache-2.0
"""The policy: lifecycles as data and the priority matrix."""
from __future__ import annotations

import ctypes
import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, Union
from ctypes import byref, c_int, c_int64, c_void_p
from dataclasses import dataclass

from . import _ffi
from ._time import TimeLike, from_c, to_c
from ._util import (FieldInfo, as_flag, as_int, as_int32, as_int64, as_uint32, as_unsigned, cstr, cstr_optional,
                    custom_fields, doc_bytes, kind_code, kind_mask, packet_kind_code, seconds, seconds_optional,
                    type_code)
from .errors import (InvalidArgument, ItsmError, PolicyError, StateError, from_parse_error,
                     make_error)
from .types import JsonLimits
from .change import PolicyChangeMixin
from .satisfaction import PolicySatisfactionMixin
from .oncall import PolicyOncallMixin

#: A duration: a timedelta or whole seconds.
Duration = Union[_dt.timedelta, int]
#: Working hours per weekday: 7 entries Monday first, or a mapping from
#: "mon".."sun" (or 0..6) to (start, end) as "HH:MM", datetime.time or
#: seconds; None for no working time that day.
Span = tuple[Union[str, _dt.time, int], Union[str, _dt.time, int]]
DaySpan = Union[Span, Sequence[Span], None]
Hours = Union[Sequence[DaySpan], Mapping[Union[str, int], DaySpan]]
#: Per-priority values: 5 entries (priority 1 first), a mapping
#: {priority: value}, or None for none.
ByPriority = Union[Sequence[Optional[Duration]], Mapping[int, Optional[Duration]], None]


def _ptr_of(out: c_void_p) -> int:
    assert out.value is not None
    return out.value


class Policy(PolicyChangeMixin, PolicySatisfactionMixin, PolicyOncallMixin):
    """A policy document held by the library (``itsm_policy``).

    ``Policy()`` is the default policy; see also :meth:`default`,
    :meth:`empty` and :meth:`from_json`.  An engine copies the policy it is
    given, so a Policy can be changed or closed once the engine exists.
    Free it with :meth:`close` (or ``with``); the garbage collector frees
    it otherwise.
    """

    __slots__ = ("_ptr", "__weakref__")

    def __init__(self) -> None:
        self._ptr: int | None = None
        out = c_void_p()
        rc = _ffi.itsm_policy_new_default(byref(out), None)
        if rc != _ffi.OK:
            raise make_error(rc)
        self._ptr = out.value

    @classmethod
    def _adopt(cls, ptr: int) -> "Policy":
        self = object.__new__(cls)
        self._ptr = ptr
        return self

    # ---- construction ----------------------------------------------------
    @classmethod
    def default(cls) -> "Policy":
        """The default policy: five lifecycles and the default matrix."""
        return cls()

    @classmethod
    def empty(cls) -> "Policy":
        """No lifecycles, the default priority matrix."""
        out = c_void_p()
        rc = _ffi.itsm_policy_new_empty(byref(out), None)
        if rc != _ffi.OK:
            raise make_error(rc)
        return cls._adopt(_ptr_of(out))

    @classmethod
    def from_json(cls, document: str | bytes, *, check: bool = True,
                  limits: JsonLimits | None = None) -> "Policy":
        """Read a policy document (str or bytes).

        Raises :class:`~itsm.ParseError` / :class:`~itsm.LimitExceeded` with
        ``line`` and ``column`` for a syntax or schema error; with ``check``
        (the default) a policy with findings raises :class:`~itsm.PolicyError`
        whose ``findings`` lists every one.  ``check=False`` skips the check
        so a tool can list findings with :meth:`check`.
        """
        data = doc_bytes(document, "policy document")
        out = c_void_p()
        perr = _ffi.ParseErrorStruct()
        lim = limits._to_c() if limits is not None else None
        fn = _ffi.itsm_policy_from_json if check else _ffi.itsm_policy_parse_json
        rc = fn(byref(out), data, len(data), None, byref(lim) if lim is not None else None,
                byref(perr))
        if rc == _ffi.OK:
            return cls._adopt(_ptr_of(out))
        text = perr.text.decode("utf-8", "replace")
        if rc == _ffi.EPOLICY:
            err = PolicyError(text or "the policy is inconsistent")
            try:
                err.findings = cls.from_json(document, check=False, limits=limits).check()
            except ItsmError:
                err.findings = [text]
            raise err
        where = f"line {perr.line}, column {perr.column}: " if perr.line else ""
        raise from_parse_error(rc, f"policy {where}{text}" if text else "", perr)

    def copy(self) -> "Policy":
        out = c_void_p()
        rc = _ffi.itsm_policy_clone(byref(out), self._p())
        if rc != _ffi.OK:
            raise make_error(rc)
        return Policy._adopt(_ptr_of(out))

    __copy__ = copy

    def __deepcopy__(self, memo: object) -> "Policy":
        return self.copy()

    # ---- lifetime ------------------------------------------------------------
    def close(self) -> None:
        """Free the C policy now. Further calls raise StateError."""
        ptr, self._ptr = self._ptr, None
        if ptr:
            _ffi.itsm_policy_free(ptr)

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> "Policy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:   # interpreter shutdown
            pass

    def _p(self) -> int:
        if self._ptr is None:
            raise StateError("policy is closed")
        return self._ptr

    def _check(self, rc: int) -> None:
        if rc != _ffi.OK:
            msg = _ffi.text(_ffi.itsm_policy_errmsg(self._ptr)) or ""
            raise make_error(rc, msg)

    # ---- the version identity (docs/policy.md, "Versions") --------------------
    @property
    def name(self) -> str | None:
        """The version's name (None: unnamed); part of the document and so of
        its hash.  Assigning sets it (1..64 bytes, no control characters) or,
        with None, clears it."""
        return _ffi.text(_ffi.itsm_policy_name(self._p()))

    @name.setter
    def name(self, value: str | None) -> None:
        self._check(_ffi.itsm_policy_set_name(self._p(), cstr_optional(value, "policy name")))

    def hash(self) -> str:
        """The content hash: SHA-256 of :meth:`to_json`, 64 hex digits.  Its
        first 16 are the version id every event records (``pv``)."""
        buf = ctypes.create_string_buffer(65)
        rc = _ffi.itsm_policy_hash(self._p(), buf)
        if rc != _ffi.OK:
            raise make_error(rc)
        return buf.value.decode()

    # ---- documents and checks -------------------------------------------------
    def to_json(self) -> str:
        """The policy document (docs/policy.md)."""
        rc, text = _ffi.snprintf_call(_ffi.itsm_policy_to_json, self._p())
        if rc != _ffi.OK:
            raise make_error(rc)
        return text

    def check(self) -> list[str]:
        """Check every lifecycle; the findings (empty when sound)."""
        p = self._p()
        n = _ffi.itsm_policy_check(p)
        out = []
        for i in range(n):
            f = _ffi.text(_ffi.itsm_policy_finding(p, i))
            if f is not None:
                out.append(f)
        if n and not out:   # the check itself failed (out of memory)
            raise make_error(_ffi.ENOMEM, _ffi.text(_ffi.itsm_policy_errmsg(p)) or "")
        return out

    # ---- priority matrix ------------------------------------------------------
    def priority(self, impact: int, urgency: int) -> int | None:
        """The priority (1..5) for impact and urgency (1..3); None when out of range."""
        try:
            i, u = as_int(impact, "impact"), as_int(urgency, "urgency")
        except InvalidArgument:     # beyond a C int: out of range as well
            return None
        return _ffi.itsm_policy_priority(self._p(), i, u) or None

    def set_priority(self, impact: int, urgency: int, priority: int) -> None:
        self._check(_ffi.itsm_policy_set_priority(self._p(), as_int(impact, "impact"),
                                                  as_int(urgency, "urgency"),
                                                  as_int(priority, "priority")))

    @property
    def priority_matrix(self) -> tuple[tuple[int, ...], ...]:
        """``matrix[impact - 1][urgency - 1]`` is the priority."""
        p = self._p()
        return tuple(tuple(_ffi.itsm_policy_priority(p, i, u) for u in (1, 2, 3))
                     for i in (1, 2, 3))

    @priority_matrix.setter
    def priority_matrix(self, matrix: Sequence[Sequence[int]]) -> None:
        for i, row in enumerate(matrix, 1):
            for u, prio in enumerate(row, 1):
                self.set_priority(i, u, prio)

    # ---- counters ---------------------------------------------------------------
    _REASSIGNMENT_RULES = {"group": _ffi.REASSIGN_GROUP,
                           "group_or_assignee": _ffi.REASSIGN_GROUP_OR_ASSIGNEE,
                           "group_change": _ffi.REASSIGN_GROUP_CHANGE}

    @property
    def reassignment_rule(self) -> str:
        """What counts a reassignment: ``"group"`` (the default: the group
        moves from one group to another) or ``"group_or_assignee"`` (that, or
        the assignee moves from one person to another in the same group) or
        ``"group_change"`` (any change of group after opening, to or from none:
        ServiceNow's reassignment_count)."""
        code = _ffi.itsm_policy_reassignment_rule(self._p())
        for name, c in self._REASSIGNMENT_RULES.items():
            if c == code:
                return name
        return str(code)

    @reassignment_rule.setter
    def reassignment_rule(self, rule: str) -> None:
        p = self._p()
        if not isinstance(rule, str):
            raise TypeError(f"reassignment_rule must be a str, not {type(rule).__name__}")
        code = self._REASSIGNMENT_RULES.get(rule)
        if code is None:
            raise InvalidArgument(f"unknown reassignment rule '{rule}' (one of: "
                                  f"{', '.join(self._REASSIGNMENT_RULES)})", code=_ffi.EINVAL)
        self._check(_ffi.itsm_policy_set_reassignment_rule(p, code))

    # ---- custom fields ------------------------------------------------------------
    @staticmethod
    def _kind_bits(kinds: Iterable[str | int] | None, what: str) -> int:
        if kinds is None:
            return 0
        if isinstance(kinds, (str, int)):
            raise TypeError(f"{what} must be a list of kinds such as ['incident']")
        return kind_mask(kinds, what)

    def add_field(self, name: str, type: str, *, range: tuple[int, int] | None = None,
                  values: Sequence[str] | None = None, kinds: Iterable[str | int] | None = None,
                  required: Iterable[str | int] | None = None) -> int:
        """Declare a custom field (itsm_policy_add_field): ``type`` one of
        "text", "symbol", "int" (give ``range=(min, max)``), "bool", "time",
        "enum" (give ``values``); ``kinds`` it applies to (None: every kind;
        an empty list is refused);
        ``required``: the kinds that must give it when opened.  Engines made
        from this policy take it by name like a built-in field
        (``record.update(tier="gold")``, ``record.get("tier")``).  Returns
        the field's C value."""
        d = _ffi.FieldDef()
        _ffi.itsm_field_def_init(byref(d), _ffi.FIELD_DEF_VERSION)
        b = cstr(name, "field name")
        d.name = b
        d.type = type_code(type)
        if range is not None:
            d.min, d.max = as_int64(range[0], "range minimum"), as_int64(range[1], "range maximum")
        keep: Any = None
        if values is not None:
            if isinstance(values, (str, bytes)):
                raise TypeError("values must be a list of str")
            vals = [cstr(v, "enum value") for v in values]
            keep = (ctypes.c_char_p * max(len(vals), 1))(*vals)
            d.values = ctypes.cast(keep, ctypes.POINTER(ctypes.c_char_p))
            d.nvalues = len(vals)
        if kinds is not None and not isinstance(kinds, (str, int)):
            kinds = list(kinds)
            if not kinds:   # 0 bits would mean every kind
                raise InvalidArgument("kinds is empty: give None for every kind", code=_ffi.EINVAL)
        d.kinds = self._kind_bits(kinds, "kinds")
        d.required = self._kind_bits(required, "required")
        out = c_int(0)
        self._check(_ffi.itsm_policy_add_field(self._p(), byref(d), byref(out)))
        del keep
        return out.value

    @property
    def custom_fields(self) -> dict[str, FieldInfo]:
        """The declared custom fields, by name, in declaration order."""
        return custom_fields(self._p())

    def field_values(self, name: str) -> list[str]:
        """An enum custom field's values."""
        fid = custom_fields(self._p()).get(name)
        if fid is None:
            raise InvalidArgument(f"no custom field '{name}'", code=_ffi.EINVAL)
        d = _ffi.FieldDef()
        _ffi.itsm_field_def_init(byref(d), _ffi.FIELD_DEF_VERSION)
        self._check(_ffi.itsm_policy_field_def(byref(d), self._p(), fid.id))
        return [(d.values[i] or b"").decode() for i in range(d.nvalues)]

    # ---- roles ------------------------------------------------------------------
    @staticmethod
    def _role_code(role: str) -> int:
        if not isinstance(role, str):
            raise TypeError(f"role must be a str, not {type(role).__name__}")
        code = c_int(0)
        if _ffi.itsm_role_from_name(byref(code), cstr(role, "role")) != _ffi.OK:
            raise InvalidArgument(f"unknown role '{role}'", code=_ffi.EINVAL)
        return code.value

    def set_role(self, kind: str | int, role: str, name: str | None) -> None:
        """Map ``role`` (``"resolve"``, ``"known_error"``, ``"auto_close"``,
        ...: what the engine needs to find in a lifecycle) of ``kind`` to a
        state, event or value of this policy; ``None`` goes back to the
        default. See itsm/policy.h "roles"."""
        self._check(_ffi.itsm_policy_set_role(self._p(), kind_code(kind), self._role_code(role),
                                              cstr_optional(name, "name")))

    def role(self, kind: str | int, role: str) -> str | None:
        """The name ``role`` of ``kind`` maps to, or None when unset."""
        v = _ffi.itsm_policy_role(self._p(), kind_code(kind), self._role_code(role))
        return v.decode() if v is not None else None

    # ---- building lifecycles ---------------------------------------------------
    def clear_lifecycle(self, kind: str | int) -> None:
        self._check(_ffi.itsm_policy_lifecycle_clear(self._p(), kind_code(kind)))

    def add_state(self, kind: str | int, name: str, *, initial: bool = False, closed: bool = False) -> None:
        flags = ((_ffi.STATE_INITIAL if as_flag(initial, "initial") else 0)
                 | (_ffi.STATE_CLOSED if as_flag(closed, "closed") else 0))
        self._check(_ffi.itsm_policy_add_state(self._p(), kind_code(kind), cstr(name, "state"),
                                               flags))

    def add_event(self, kind: str | int, name: str) -> None:
        self._check(_ffi.itsm_policy_add_event(self._p(), kind_code(kind), cstr(name, "event")))

    def add_transition(self, kind: str | int, from_state: str, event: str, to_state: str, *,
                       guard: str | None = None, stamp: str | None = None,
                       clear: str | None = None, counts_reopen: bool = False) -> None:
        """Add ``from_state --event--> to_state`` (``from_state`` may be "*":
        any open state).  ``guard``, ``stamp`` and ``clear`` are the
        space-separated lists of policy.h."""
        d = _ffi.TransitionDef()
        _ffi.itsm_transition_def_init(byref(d), _ffi.TRANSITION_DEF_VERSION)
        d.from_ = cstr(from_state, "from_state")
        d.event = cstr(event, "event")
        d.to = cstr(to_state, "to_state")
        d.guard = cstr_optional(guard, "guard")
        d.stamp = cstr_optional(stamp, "stamp")
        d.clear = cstr_optional(clear, "clear")
        d.counts_reopen = as_flag(counts_reopen, "counts_reopen")
        self._check(_ffi.itsm_policy_add_transition(self._p(), kind_code(kind), byref(d)))

    # ---- service levels (sla.h) ---------------------------------------------
    def set_calendar(self, name: str, *, hours: Hours, utc_offset: Duration = 0,
                     zone: str | None = None, holidays: Iterable[str | _dt.date] = ()) -> None:
        """Add (or replace) a working-time calendar.

        ``hours``: per weekday (Monday first) the working span as
        ``(start, end)`` - ``datetime.time``, "HH:MM" or seconds from local
        midnight - or a list of such spans (at most 8 a day), or None for no
        working time; a 7-sequence, or a mapping from weekday (0..6 or
        "mon".."sun") to span(s).  ``utc_offset``: a timedelta or seconds
        east of UTC.  ``zone``: instead of an offset, a POSIX TZ rule with
        daylight saving such as "CET-1CEST,M3.5.0,M10.5.0/3" (see
        ``zone_from_tzif``).  ``holidays``: local dates (``datetime.date``
        or "YYYY-MM-DD") or yearly rules ("Dec 25", "4th Thu Nov",
        "last Mon May")."""
        d = _ffi.CalendarDef()
        _ffi.itsm_calendar_def_init(byref(d), _ffi.CALENDAR_DEF_VERSION)
        d.name = cstr(name, "calendar name")
        d.utc_offset = as_int32(seconds(utc_offset, "utc_offset"), "utc_offset")
        d.zone = cstr_optional(zone, "zone")
        spans: list[_ffi.WorkSpan] = []
        for i, day in enumerate(_week(hours)):
            if day is None:
                continue
            if len(day) == 2 and not isinstance(day[0], (tuple, list)):
                day = [day]
            for start, end in day:
                spans.append(_ffi.WorkSpan(i, _day_seconds(start), _day_seconds(end)))
        arr_spans = (_ffi.WorkSpan * max(len(spans), 1))(*spans)
        d.spans = arr_spans
        d.nspans = len(spans)
        days = [cstr(h.isoformat() if isinstance(h, _dt.date) else h, "holiday")
                for h in holidays]
        arr = (ctypes.c_char_p * max(len(days), 1))(*days)
        d.holidays = arr if days else None
        d.nholidays = len(days)
        self._check(_ffi.itsm_policy_set_calendar(self._p(), byref(d)))

    def check_condition(self, text: str) -> None:
        """Check a condition (docs/conditions.md) against this policy's names.

        Raises :class:`~itsm.ParseError` (or :class:`~itsm.LimitExceeded`)
        with ``line`` and ``column`` within the text and the reason."""
        b = doc_bytes(text, "condition")
        perr = _ffi.ParseErrorStruct()
        rc = _ffi.itsm_policy_check_condition(self._p(), b, len(b), byref(perr))
        if rc != _ffi.OK:
            raise from_parse_error(rc, perr.text.decode("utf-8", "replace"), perr)

    def calendar_utc_offset(self, calendar: str, at: TimeLike) -> _dt.timedelta:
        """The calendar's offset from UTC in effect at instant ``at``."""
        out = ctypes.c_int32(0)
        rc = _ffi.itsm_calendar_utc_offset(byref(out), self._p(), cstr(calendar, "calendar"),
                                           to_c(at, "at"))
        if rc != _ffi.OK:
            raise make_error(rc, f"no calendar '{calendar}'" if rc == _ffi.ENOTFOUND
                             else "calendar_utc_offset: bad time (1970..9999)")
        return _dt.timedelta(seconds=out.value)

    def calendar_work(self, calendar: str, start: TimeLike, end: TimeLike) -> _dt.timedelta:
        """Working time between two instants on a calendar of this policy."""
        return _calendar_work(self._p(), calendar, start, end)

    def calendar_add(self, calendar: str, start: TimeLike, work: Duration) -> _dt.datetime:
        """The instant ``work`` (a timedelta or seconds) of working time after ``start``."""
        return _calendar_add(self._p(), calendar, start, work)

    def set_sla(self, name: str, *, response: ByPriority = None, resolution: ByPriority = None,
                calendar: str | Sequence[str | None] | Mapping[int, str | None] | None = None) -> None:
        """Add or replace an SLA.  ``response`` / ``resolution``: per
        priority 1..5 a target (timedelta or seconds of working time; None
        or 0: no target), as a 5-sequence or a mapping {priority: target}.
        ``calendar``: one calendar name for every priority, a 5-sequence or
        a mapping (None: "24x7")."""
        d = _ffi.SlaDef()
        _ffi.itsm_sla_def_init(byref(d), _ffi.SLA_DEF_VERSION)
        d.name = cstr(name, "SLA name")
        for i, v in enumerate(_by_priority(response, "response")):
            d.response[i] = _u32(v, "response")
        for i, v in enumerate(_by_priority(resolution, "resolution")):
            d.resolution[i] = _u32(v, "resolution")
        cals = [calendar] * 5 if calendar is None or isinstance(calendar, str) \
            else _by_priority(calendar, "calendar")
        for i, c in enumerate(cals):
            d.calendar[i] = cstr_optional(c, "calendar")
        self._check(_ffi.itsm_policy_set_sla(self._p(), byref(d)))

    def set_agreement(self, name: str, *, stop: str, targets: Sequence[tuple[int, Duration, str | None]],
                      type: str = "sla", applies: str | None = None, start: str | None = None,
                      pause: str | None = None, reset: str | None = None,
                      warnings: Sequence[float] = (), breaches: Sequence[float] = (),
                      climb: bool = False) -> None:
        """Add or replace an agreement (itsm/agreement.h): a contract clock
        defined by conditions (docs/conditions.md).  ``type``: "sla", "ola"
        or "uc".  ``targets``: ``(priority, target, calendar)`` triples,
        priority 0 for any priority without its own.  ``warnings`` (below 1)
        and ``breaches`` (1 and above): fractions of the target.  A refused
        condition raises :class:`~itsm.ParseError` with ``line`` and
        ``column`` within it."""
        d = _ffi.AgreementDef()
        _ffi.itsm_agreement_def_init(byref(d), _ffi.AGREEMENT_DEF_VERSION)
        d.name = cstr(name, "agreement name")
        types = {"sla": 1, "ola": 2, "uc": 3}
        if type not in types:
            raise InvalidArgument(f"agreement type {type!r} is not sla, ola or uc", code=_ffi.EINVAL)
        d.type = types[type]
        d.applies = cstr_optional(applies, "applies")
        d.start = cstr_optional(start, "start")
        d.pause = cstr_optional(pause, "pause")
        d.stop = cstr(stop, "stop")
        d.reset = cstr_optional(reset, "reset")
        tg = (_ffi.AgreementTarget * max(len(targets), 1))(
            *[_ffi.AgreementTarget(as_int(p, "target priority"), as_uint32(seconds(t, "target"), "target"),
                                   cstr_optional(c, "calendar"))
              for p, t, c in targets])
        d.targets = tg
        d.ntargets = len(targets)
        w = (ctypes.c_uint * max(len(warnings), 1))(*[_permille(f, "warning") for f in warnings])
        b = (ctypes.c_uint * max(len(breaches), 1))(*[_permille(f, "breach") for f in breaches])
        d.warnings, d.nwarnings = w, len(warnings)
        d.breaches, d.nbreaches = b, len(breaches)
        d.climb = as_flag(climb, "climb")
        perr = _ffi.ParseErrorStruct()
        rc = _ffi.itsm_policy_set_agreement(self._p(), byref(d), byref(perr))
        if rc == _ffi.EPARSE or (rc == _ffi.ELIMIT and perr.line):
            raise from_parse_error(rc, perr.text.decode("utf-8", "replace"), perr)
        self._check(rc)

    def remove_agreement(self, name: str) -> None:
        """Remove an agreement (:class:`~itsm.NotFound` if there is none)."""
        self._check(_ffi.itsm_policy_remove_agreement(self._p(), cstr(name, "agreement name")))

    @property
    def agreements(self) -> list[str]:
        """The names of the policy's agreements, in order."""
        p = self._p()
        return [_ffi.text(_ffi.itsm_policy_agreement_name(p, i)) or ""
                for i in range(_ffi.itsm_policy_agreement_count(p))]

    def set_default_sla(self, sla: str) -> None:
        """The SLA of records whose service has no mapping."""
        self._check(_ffi.itsm_policy_set_default_sla(self._p(), cstr(sla, "SLA name")))

    def set_service_sla(self, service: str, sla: str | None) -> None:
        """Records on ``service`` get ``sla`` (None removes the mapping)."""
        self._check(_ffi.itsm_policy_set_service_sla(self._p(), cstr(service, "service"),
                                                     cstr_optional(sla, "SLA name")))

    def add_sla_rule(self, when: str, sla: str) -> None:
        """Records for which the condition ``when`` holds (docs/conditions.md:
        any field, built in or declared, the state or the kind) get ``sla``;
        rules are tried in the order added, before the service mapping."""
        self._check(_ffi.itsm_policy_add_sla_rule(self._p(), cstr(when, "condition"),
                                                  cstr(sla, "SLA name")))

    def set_ola(self, group: str, target: Duration, calendar: str | None = None) -> None:
        """The OLA target (timedelta or seconds; 0/None removes it) for the
        time ``group`` holds a record."""
        self._check(_ffi.itsm_policy_set_ola(self._p(), cstr(group, "group"),
                                             _u32(target, "target"),
                                             cstr_optional(calendar, "calendar")))

    def set_pause(self, reason: str, timers: Iterable[str] = ("resolution",)) -> None:
        """While hold_reason is ``reason`` the named timers ("response",
        "resolution", "ola") stop; an empty list removes the rule."""
        mask = 0
        for t in ([timers] if isinstance(timers, str) else timers):
            if t not in _ffi.TIMERS:
                raise InvalidArgument(f"unknown timer {t!r} (one of: {', '.join(_ffi.TIMERS)})",
                                      code=_ffi.EINVAL)
            mask |= 1 << _ffi.TIMERS[t]
        self._check(_ffi.itsm_policy_set_pause(self._p(), cstr(reason, "reason"), mask))

    def set_warnings(self, permille: Iterable[int]) -> None:
        """Warnings at these fractions of each target, in permille
        (ascending, 1..999, at most 8); an empty list: none."""
        vals = [as_unsigned(v, "warning") for v in permille]
        arr = (ctypes.c_uint * max(len(vals), 1))(*vals)
        self._check(_ffi.itsm_policy_set_warnings(self._p(), arr, len(vals)))

    def set_sla_stop_states(self, states: Iterable[str]) -> None:
        """The states that stop the resolution clock (and start auto-close);
        at most 8, default ["resolved", "fulfilled"]; an empty list: none."""
        fn = _newer("itsm_policy_set_sla_stop_states")
        names = [cstr(n, "state") for n in ([states] if isinstance(states, str) else states)]
        arr = (ctypes.c_char_p * max(len(names), 1))(*names)
        self._check(fn(self._p(), arr if names else None, len(names)))

    # ---- escalation (escalation.h) --------------------------------------------
    def set_ola_climb(self, climb_on_ola_breach: bool) -> None:
        """Whether an OLA breach also climbs a hierarchical step (default on)."""
        self._check(_newer("itsm_policy_set_ola_climb")(self._p(),
                                                             as_flag(climb_on_ola_breach, "climb_on_ola_breach")))

    def add_route(self, group: str, *, category: str | None = None,
                  service: str | None = None) -> None:
        """Records of ``category`` on ``service`` (None: any) go to ``group``."""
        self._check(_ffi.itsm_policy_add_route(self._p(), cstr_optional(category, "category"),
                                               cstr_optional(service, "service"),
                                               cstr(group, "group")))

    def add_route_when(self, when: str, group: str) -> None:
        """New incidents for which the condition ``when`` holds go to
        ``group``; tried in the order added, before the category/service
        table."""
        self._check(_ffi.itsm_policy_add_route_when(self._p(), cstr(when, "condition"),
                                                    cstr(group, "group")))

    def route(self, category: str | None = None, service: str | None = None) -> str | None:
        """The group the routing table gives; None when no rule matches."""
        return _ffi.text(_ffi.itsm_policy_route(self._p(), cstr_optional(category, "category"),
                                                cstr_optional(service, "service")))

    def set_ladder(self, roles: Iterable[str], *, climb_on_breach: bool = True,
                   climb_on_warning: bool = False) -> None:
        """The hierarchical escalation ladder: 1..9 role names, lowest first."""
        names = [cstr(r, "role") for r in roles]
        arr = (ctypes.c_char_p * max(len(names), 1))(*names)
        self._check(_ffi.itsm_policy_set_ladder(self._p(), arr, len(names),
                                                as_flag(climb_on_breach, "climb_on_breach"),
                                                as_flag(climb_on_warning, "climb_on_warning")))

    def set_major(self, *, propose_at_priority: int = 1, breadth_threshold: int = 10,
                  communication_due: Duration = 900, groups_due: Duration = 900) -> None:
        """Major-incident rules: propose at priority <= ``propose_at_priority``
        (0: never) or with ``breadth_threshold`` open incidents on one service
        (0: off); the initial-phase deadlines after acceptance (timedelta or
        seconds)."""
        m = _ffi.MajorPolicy(_ffi.MAJOR_POLICY_VERSION, as_int(propose_at_priority, "propose_at_priority"),
                             _u32(breadth_threshold, "breadth_threshold"),
                             _u32(communication_due, "communication_due"),
                             _u32(groups_due, "groups_due"))
        self._check(_ffi.itsm_policy_set_major(self._p(), byref(m)))

    # ---- communication and closure (communication.h) --------------------------
    def set_cadence(self, cadence: Sequence[Duration | None] | Mapping[int, Duration | None], *, broadcast_max_priority: int = 2) -> None:
        """Customer-update cadence per priority 1..5 (5-sequence or mapping;
        timedelta or working seconds)."""
        vals = [_u32(v, "cadence") for v in _by_priority(cadence, "cadence")]
        arr = (ctypes.c_uint32 * 5)(*vals)
        self._check(_ffi.itsm_policy_set_cadence(self._p(), arr,
                                                 as_int(broadcast_max_priority, "broadcast_max_priority")))

    def set_closure(self, *, auto_close_after: Duration = 259200, survey_permille: int = 100,
                    knowledge_candidate: bool = True) -> None:
        """Auto-close period (timedelta or wall seconds; 0/None: off), survey
        sample rate in permille, knowledge candidates on/off."""
        self._check(_ffi.itsm_policy_set_closure(self._p(), _u32(auto_close_after,
                                                                 "auto_close_after"),
                                                 as_unsigned(survey_permille, "survey_permille"),
                                                 as_flag(knowledge_candidate, "knowledge_candidate")))

    # ---- problem rules (problem.h) ----------------------------------------------
    @property
    def problem_rules(self) -> "ProblemRules":
        """The problem rules (a frozen :class:`ProblemRules`); assign one to change them."""
        r = _ffi.ProblemRules()
        _ffi.itsm_problem_rules_init(byref(r), _ffi.PROBLEM_RULES_VERSION)
        self._check(_ffi.itsm_policy_problem_rules(byref(r), self._p()))
        return ProblemRules(r.recurrence_count, _dt.timedelta(seconds=r.recurrence_window),
                            bool(r.major_review), bool(r.recurrence_ci), bool(r.recurrence_push))

    @problem_rules.setter
    def problem_rules(self, rules: "ProblemRules") -> None:
        self.set_problem_rules(recurrence_count=rules.recurrence_count,
                               recurrence_window=rules.recurrence_window,
                               major_review=rules.major_review, recurrence_ci=rules.recurrence_ci,
                               recurrence_push=rules.recurrence_push)

    def set_problem_rules(self, *, recurrence_count: int | None = None,
                          recurrence_window: Duration | None = None,
                          major_review: bool | None = None, recurrence_ci: bool | None = None,
                          recurrence_push: bool | None = None) -> None:
        """Change some of the problem rules (the others stay)."""
        cur = self.problem_rules
        r = _ffi.ProblemRules()
        _ffi.itsm_problem_rules_init(byref(r), _ffi.PROBLEM_RULES_VERSION)
        r.recurrence_count = cur.recurrence_count if recurrence_count is None \
            else as_int(recurrence_count, "recurrence_count")
        r.recurrence_window = as_int64(seconds(cur.recurrence_window if recurrence_window is None
                                               else recurrence_window, "recurrence_window"),
                                       "recurrence_window")
        r.major_review = as_flag(cur.major_review if major_review is None else major_review, "major_review")
        r.recurrence_ci = as_flag(cur.recurrence_ci if recurrence_ci is None else recurrence_ci, "recurrence_ci")
        r.recurrence_push = as_flag(cur.recurrence_push if recurrence_push is None else recurrence_push,
                                    "recurrence_push")
        self._check(_ffi.itsm_policy_set_problem_rules(self._p(), byref(r)))

    # ---- handover checklists (handover.h) ---------------------------------------
    def set_handover_checklist(self, kind: str, items: Iterable[str]) -> None:
        """The checklist of a packet kind ("desk_to_major"...): item names,
        as a list or a space-separated str."""
        text = items if isinstance(items, str) else " ".join(items)
        self._check(_ffi.itsm_policy_set_handover_checklist(self._p(), packet_kind_code(kind),
                                                            cstr(text, "items")))

    def handover_checklist(self, kind: str) -> list[str]:
        """The checklist item names of a packet kind."""
        rc, text = _ffi.snprintf_call(_ffi.itsm_policy_handover_checklist, self._p(),
                                      packet_kind_code(kind))
        self._check(rc)
        return text.split()

    def __repr__(self) -> str:
        return "<itsm.Policy closed>" if self._ptr is None else "<itsm.Policy>"


@dataclass(frozen=True)
class ProblemRules:
    """When incidents call for a problem record (problem.h)."""
    recurrence_count: int = 3                      # 0: the recurrence rule is off
    recurrence_window: _dt.timedelta = _dt.timedelta(days=30)
    major_review: bool = True
    recurrence_ci: bool = False                    # count per configuration item too
    recurrence_push: bool = True                   # the engine proposes problems itself


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _week(hours: Hours) -> list[Any]:
    out: list[Any]
    if isinstance(hours, Mapping):
        out = [None] * 7
        for k, v in hours.items():
            if isinstance(k, str):
                if k[:3].lower() not in _WEEKDAYS:
                    raise InvalidArgument(f"unknown weekday {k!r}", code=_ffi.EINVAL)
                i = _WEEKDAYS.index(k[:3].lower())
            else:
                i = as_int(k, "weekday")
                if not 0 <= i <= 6:
                    raise InvalidArgument(f"weekday {i} is not 0..6 (Monday = 0)", code=_ffi.EINVAL)
            out[i] = v
        return out
    out = list(hours)
    if len(out) != 7:
        raise InvalidArgument("hours needs 7 entries, Monday first", code=_ffi.EINVAL)
    return out


def _day_seconds(v: object) -> int:
    if isinstance(v, _dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second
    if isinstance(v, str):
        parts = v.split(":")
        try:
            nums = [int(p) for p in parts] + [0] * (3 - len(parts))
        except ValueError:
            raise InvalidArgument(f"bad time of day {v!r} (want HH:MM)", code=_ffi.EINVAL) from None
        return as_int32(nums[0] * 3600 + nums[1] * 60 + nums[2], f"time of day {v!r}")
    return as_int32(seconds(v, "time of day"), "time of day")


def _by_priority(values: Any, what: str) -> list[Any]:
    if values is None:
        return [None] * 5
    out: list[Any]
    if isinstance(values, Mapping):
        out = [None] * 5
        for prio, v in values.items():
            if not 1 <= as_int(prio, f"{what} priority") <= 5:
                raise InvalidArgument(f"{what}: priority {prio} is not 1..5", code=_ffi.EINVAL)
            out[int(prio) - 1] = v
        return out
    out = list(values)
    if len(out) != 5:
        raise InvalidArgument(f"{what} needs 5 values (priorities 1..5)", code=_ffi.EINVAL)
    return out


def _u32(v: object, what: str) -> int:
    """A duration (or None: 0) for a uint32_t of seconds."""
    return as_uint32(seconds_optional(v, what), what)


def _permille(fraction: object, what: str) -> int:
    """A fraction of a target (0.8, 1.5) as the permille an ``unsigned`` holds."""
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)):
        raise TypeError(f"{what} must be a number such as 0.8, not {type(fraction).__name__}")
    if not math.isfinite(fraction):
        raise InvalidArgument(f"{what} {fraction} is not a finite number", code=_ffi.EINVAL)
    return as_unsigned(round(fraction * 1000), f"{what} {fraction} in permille")


def zone_from_tzif(data: bytes) -> str:
    """The current POSIX TZ rule of an IANA zone from the bytes of its TZif
    file (version 2 or later), e.g.
    ``zone_from_tzif(open("/usr/share/zoneinfo/Europe/Paris", "rb").read())``
    gives "CET-1CEST,M3.5.0,M10.5.0/3" for ``Policy.set_calendar(zone=...)``."""
    buf = ctypes.create_string_buffer(128)
    rc = _ffi.itsm_zone_from_tzif(buf, len(buf), bytes(data), len(data))
    if rc != _ffi.OK:
        raise make_error(rc, "the file has no zone rule" if rc == _ffi.ENOTFOUND
                         else "not a TZif file (version 2 or later) with a rule this library applies")
    return buf.value.decode("ascii")


def _calendar_work(pol: int, calendar: str, start: TimeLike, end: TimeLike) -> _dt.timedelta:
    out = c_int64(0)
    rc = _ffi.itsm_calendar_work(byref(out), pol, cstr(calendar, "calendar"),
                                 to_c(start, "start"), to_c(end, "end"))
    if rc != _ffi.OK:
        raise make_error(rc, f"no calendar '{calendar}'" if rc == _ffi.ENOTFOUND
                         else "calendar_work: bad time (1970..9999)")
    return _dt.timedelta(seconds=out.value)


def _calendar_add(pol: int, calendar: str, start: TimeLike, work: Duration) -> _dt.datetime:
    out = c_int64(0)
    rc = _ffi.itsm_calendar_add(byref(out), pol, cstr(calendar, "calendar"),
                                to_c(start, "start"), as_int64(seconds(work, "work"), "work"))
    if rc != _ffi.OK:
        raise make_error(rc, f"no calendar '{calendar}'" if rc == _ffi.ENOTFOUND
                         else "calendar_add: bad time or negative work")
    when = from_c(out.value)
    assert when is not None
    return when


def _newer(name: str) -> Any:
    fn = getattr(_ffi, name, None)
    if fn is None:
        raise NotImplementedError(f"the loaded library ({_ffi.library_path}) has no {name}")
    return fn
