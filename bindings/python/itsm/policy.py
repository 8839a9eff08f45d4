"""The policy: lifecycles as data and the priority matrix."""
from __future__ import annotations

from ctypes import byref, c_void_p

from . import _ffi
from ._util import cstr, cstr_optional, kind_code
from .errors import ItsmError, PolicyError, StateError, from_parse_error, make_error
from .types import JsonLimits


class Policy:
    """A policy document held by the library (``itsm_policy``).

    ``Policy()`` is the default policy; see also :meth:`default`,
    :meth:`empty` and :meth:`from_json`.  An engine copies the policy it is
    given, so a Policy can be changed or closed once the engine exists.
    Free it with :meth:`close` (or ``with``); the garbage collector frees
    it otherwise.
    """

    __slots__ = ("_ptr", "__weakref__")

    def __init__(self):
        self._ptr = None
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
        return cls._adopt(out.value)

    @classmethod
    def from_json(cls, document, *, check: bool = True,
                  limits: JsonLimits | None = None) -> "Policy":
        """Read a policy document (str or bytes).

        Raises :class:`~itsm.ParseError` / :class:`~itsm.LimitExceeded` with
        ``line`` and ``column`` for a syntax or schema error; with ``check``
        (the default) a policy with findings raises :class:`~itsm.PolicyError`
        whose ``findings`` lists every one.  ``check=False`` skips the check
        so a tool can list findings with :meth:`check`.
        """
        data = document.encode("utf-8") if isinstance(document, str) else bytes(document)
        out = c_void_p()
        perr = _ffi.ParseErrorStruct()
        lim = limits._to_c() if limits is not None else None
        fn = _ffi.itsm_policy_from_json if check else _ffi.itsm_policy_parse_json
        rc = fn(byref(out), data, len(data), None, byref(lim) if lim is not None else None,
                byref(perr))
        if rc == _ffi.OK:
            return cls._adopt(out.value)
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
        return Policy._adopt(out.value)

    __copy__ = copy

    def __deepcopy__(self, memo):
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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
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
        return _ffi.itsm_policy_priority(self._p(), int(impact), int(urgency)) or None

    def set_priority(self, impact: int, urgency: int, priority: int) -> None:
        self._check(_ffi.itsm_policy_set_priority(self._p(), int(impact), int(urgency),
                                                  int(priority)))

    @property
    def priority_matrix(self) -> tuple[tuple[int, ...], ...]:
        """``matrix[impact - 1][urgency - 1]`` is the priority."""
        p = self._p()
        return tuple(tuple(_ffi.itsm_policy_priority(p, i, u) for u in (1, 2, 3))
                     for i in (1, 2, 3))

    @priority_matrix.setter
    def priority_matrix(self, matrix) -> None:
        for i, row in enumerate(matrix, 1):
            for u, prio in enumerate(row, 1):
                self.set_priority(i, u, prio)

    # ---- building lifecycles ---------------------------------------------------
    def clear_lifecycle(self, kind) -> None:
        self._check(_ffi.itsm_policy_lifecycle_clear(self._p(), kind_code(kind)))

    def add_state(self, kind, name: str, *, initial: bool = False, closed: bool = False) -> None:
        flags = (_ffi.STATE_INITIAL if initial else 0) | (_ffi.STATE_CLOSED if closed else 0)
        self._check(_ffi.itsm_policy_add_state(self._p(), kind_code(kind), cstr(name, "state"),
                                               flags))

    def add_event(self, kind, name: str) -> None:
        self._check(_ffi.itsm_policy_add_event(self._p(), kind_code(kind), cstr(name, "event")))

    def add_transition(self, kind, from_state: str, event: str, to_state: str, *,
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
        d.counts_reopen = 1 if counts_reopen else 0
        self._check(_ffi.itsm_policy_add_transition(self._p(), kind_code(kind), byref(d)))

    def __repr__(self) -> str:
        return "<itsm.Policy closed>" if self._ptr is None else "<itsm.Policy>"
