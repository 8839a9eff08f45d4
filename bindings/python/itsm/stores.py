# SPDX-License-Identifier: Apache-2.0
"""Stores written in Python, and the protocol any Python store follows.

A store is any object with

``append(events) -> None``
    Keep every event of the list (:class:`~itsm.Event`; keep ``event.json``)
    durably and in order, or keep none and raise.  Raising
    :class:`~itsm.Conflict` reports ``ITSM_ECONFLICT`` (another engine
    changed the record first) and :class:`~itsm.StoreError` reports
    ``ITSM_ESTORE``; any other exception is re-raised to the caller as it
    is.  In every case the engine changes nothing.

``scan() -> iterable of str`` (optional)
    Every kept event's JSON, in the order appended; ``Engine.load()`` uses it.

A store shared by several engines must check revisions: an event is kept
only if the newest stored revision of its record is ``event.revision - 1``
(both stores here do).  The engine never calls the store from inside one
of its own callbacks, and never calls it after ``Engine.close()``.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from typing import Callable, Iterable, Iterator, Optional, Protocol, runtime_checkable

from .errors import Conflict
from .types import Event

__all__ = ["Store", "MemoryStore", "SQLiteStore"]


@runtime_checkable
class Store(Protocol):
    def append(self, events: list[Event]) -> None: ...
    def scan(self) -> Iterable[str]: ...


def _check_revisions(events: list[Event], newest: Callable[[str], int]) -> None:
    """Raise Conflict unless each event follows the record's newest revision.
    ``newest(record_id)`` gives the stored revision (0: none)."""
    have: dict[str, int] = {}
    for ev in events:
        if ev.record_id not in have:
            have[ev.record_id] = newest(ev.record_id)
        if ev.revision != have[ev.record_id] + 1:
            raise Conflict(f"the store holds revision {have[ev.record_id]} of {ev.record_id}; "
                           f"the {ev.type} event is revision {ev.revision}")
        have[ev.record_id] = ev.revision


class MemoryStore:
    """Events in a Python list: share one between engines to see the
    revision check at work, or inspect ``events`` in tests."""

    def __init__(self, events: Iterable[str] = ()):
        self.events: list[str] = []
        self._revs: dict[str, int] = {}
        for doc in events:
            d = json.loads(doc)
            self.events.append(doc)
            self._revs[d["record"]] = int(d["rev"])

    def append(self, events: list[Event]) -> None:
        _check_revisions(events, lambda rid: self._revs.get(rid, 0))
        for ev in events:
            self.events.append(ev.json)
            self._revs[ev.record_id] = ev.revision

    def scan(self) -> Iterator[str]:
        return iter(list(self.events))

    def __len__(self) -> int:
        return len(self.events)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SQLiteStore:
    """Events in an SQLite table, through Python's own ``sqlite3``.

    One row per event: ``seq`` (append order), ``record_id``, ``revision``
    (unique together), ``type``, ``kind``, ``at``, ``actor`` and the JSON.
    Each append is one ``BEGIN IMMEDIATE`` transaction that checks
    revisions first, so several engines (threads or processes) can share
    one database file: the loser of a race gets :class:`~itsm.Conflict`.
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, table: str = "itsm_events",
                 timeout: float = 5.0):
        if not _IDENT.match(table):
            raise ValueError(f"table name {table!r} is not a plain identifier")
        self.path = os.fspath(path)
        self.table = table
        self._lock = threading.Lock()
        # Autocommit mode: the transactions below are explicit.
        self._conn: Optional[sqlite3.Connection] = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute(
            f"CREATE TABLE IF NOT EXISTS {table} ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " record_id TEXT NOT NULL,"
            " revision INTEGER NOT NULL,"
            " type TEXT NOT NULL,"
            " kind TEXT NOT NULL,"
            " at TEXT NOT NULL,"
            " actor TEXT,"
            " json TEXT NOT NULL,"
            " UNIQUE (record_id, revision))")

    # ---- the store protocol --------------------------------------------------
    def append(self, events: list[Event]) -> None:
        t = self.table
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                def newest(rid: str) -> int:
                    row = conn.execute(f"SELECT MAX(revision) FROM {t} WHERE record_id = ?",
                                       (rid,)).fetchone()
                    return int(row[0] or 0)
                _check_revisions(events, newest)
                conn.executemany(
                    f"INSERT INTO {t} (record_id, revision, type, kind, at, actor, json) "
                    f"VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(e.record_id, e.revision, e.type, e.record_kind,
                      e.time.strftime("%Y-%m-%dT%H:%M:%SZ"), e.actor, e.json) for e in events])
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as e:
                conn.execute("ROLLBACK")
                raise Conflict(f"another writer stored the same revision first ({e})") from e
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def scan(self) -> Iterator[str]:
        return self.events()

    # ---- reading -------------------------------------------------------------
    def events(self, record_id: str | None = None) -> Iterator[str]:
        """The stored events' JSON in append order (of one record, or all)."""
        with self._lock:
            conn = self._connection()
            if record_id is None:
                rows = conn.execute(f"SELECT json FROM {self.table} ORDER BY seq").fetchall()
            else:
                rows = conn.execute(f"SELECT json FROM {self.table} WHERE record_id = ? "
                                    f"ORDER BY seq", (record_id,)).fetchall()
        return iter([r[0] for r in rows])

    def record_ids(self) -> list[str]:
        """Every record id, in the order the records were opened."""
        with self._lock:
            rows = self._connection().execute(
                f"SELECT record_id FROM {self.table} WHERE revision = 1 ORDER BY seq").fetchall()
        return [r[0] for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection().execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])

    # ---- lifetime ------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ValueError("the SQLite store is closed")
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<itsm.stores.SQLiteStore {self.path!r} table={self.table}>"
