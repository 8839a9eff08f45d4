# SPDX-License-Identifier: Apache-2.0
"""Per-engine allocators written in Python (``itsm_allocator``).

An engine normally allocates with libc.  ``Engine(allocator=...)`` routes
every allocation of that engine through a Python object instead, which is
how a test counts allocations, finds leaks, or fails the N-th allocation
(the C library's allocation-failure loop, from Python).  It is slow: use it
in tests, not in production.

A method that raises makes the allocation fail (the engine reports
ITSM_ENOMEM and nothing changes); the binding then re-raises that exception
after the call, as for every callback.
"""
from __future__ import annotations

import ctypes
import ctypes.util

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
_libc.malloc.restype = ctypes.c_void_p
_libc.malloc.argtypes = [ctypes.c_size_t]
_libc.realloc.restype = ctypes.c_void_p
_libc.realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_libc.free.restype = None
_libc.free.argtypes = [ctypes.c_void_p]


class Allocator:
    """Allocates with libc; subclass and override to observe or fail.
    ``malloc``/``realloc`` return an address (int) or None for failure;
    ``free`` is never called with None."""

    def malloc(self, size: int) -> int | None:
        p: int | None = _libc.malloc(size)
        return p

    def realloc(self, ptr: int, size: int) -> int | None:
        p: int | None = _libc.realloc(ptr, size)
        return p

    def free(self, ptr: int) -> None:
        _libc.free(ptr)


class FailingAllocator(Allocator):
    """Counts calls and live blocks; fails call number ``fail_at`` (from 1;
    0 never fails).  ``live`` is the set of blocks not yet freed."""

    def __init__(self, fail_at: int = 0):
        self.fail_at = fail_at
        self.calls = 0
        self.failed = False
        self.live: set[int] = set()

    def _fail(self) -> bool:
        self.calls += 1
        if self.fail_at and self.calls == self.fail_at:
            self.failed = True
            return True
        return False

    def malloc(self, size: int) -> int | None:
        if self._fail():
            return None
        p: int | None = _libc.malloc(size or 1)
        if p:
            self.live.add(p)
        return p

    def realloc(self, ptr: int, size: int) -> int | None:
        if not ptr:
            return self.malloc(size)
        if self._fail():
            return None
        p: int | None = _libc.realloc(ptr, size or 1)
        if p:
            self.live.discard(ptr)
            self.live.add(p)
        return p

    def free(self, ptr: int) -> None:
        self.live.discard(ptr)
        _libc.free(ptr)
