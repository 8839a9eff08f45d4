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

``read_record(record_id) -> iterable of str`` (optional)
    The kept events of one record, in revision order (its ``open`` first);
    ``Record.history()`` reads a record's whole history through it, so the
    engine keeps no history in memory.  Without it a history holds the
    notes only.

A store shared by several engines must check revisions: an event is kept
only if the newest stored revision of its record is ``event.revision - 1``
(both stores here do).  The engine never calls the store from inside one
of its own callbacks, and never calls it after ``Engine.close()``.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Protocol, runtime_checkable

from .errors import Conflict, StoreError
from .types import Event

if TYPE_CHECKING:
    from .engine import Engine

__all__ = ["Store", "MemoryStore", "SQLiteStore", "SchemaError", "SCHEMA_VERSION",
           "GROUP_BEGIN", "GROUP_COMMIT", "GROUP_ABORT"]


@runtime_checkable
class Store(Protocol):
    def append(self, events: list[Event]) -> None: ...
    def scan(self) -> Iterable[str | bytes]: ...


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


# The ops of the store table's group slot (include/itsm/sys/store.h).
GROUP_BEGIN, GROUP_COMMIT, GROUP_ABORT = 1, 2, 3


class _Shared:
    """What the handles of one MemoryStore share: the events, the newest
    revision of each record, and which handle's group holds them."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.revs: dict[str, int] = {}
        self.holder: Optional[MemoryStore] = None
        self.mark = 0

    def add(self, doc: str) -> None:
        d = json.loads(doc)
        self.events.append(doc)
        self.revs[d["record"]] = int(d["rev"])

    def cut_back(self, mark: int) -> None:
        kept = self.events[:mark]
        self.events.clear()
        self.revs.clear()
        for doc in kept:
            self.add(doc)


class MemoryStore:
    """Events in a Python list: share one between engines to see the
    revision check at work, or inspect ``events`` in tests.  Engines that
    share the events should each have their own handle, from
    :meth:`share`, so each has its own position for :meth:`catch_up`.
    A group (:meth:`group`) holds the events as SQLite's write lock does:
    other handles' appends are refused and they read only what was there
    before it, until its commit or abort."""

    def __init__(self, events: Iterable[str] = ()):
        self._shared = _Shared()
        self._position = 0
        self._group_position = 0
        for doc in events:
            self._shared.add(doc)

    @property
    def events(self) -> list[str]:
        """Every kept event's JSON, in append order (a group's included)."""
        return self._shared.events

    def share(self) -> "MemoryStore":
        """Another handle on the same events, with a position of its own."""
        other = MemoryStore()
        other._shared = self._shared
        return other

    def _visible(self) -> int:
        sh = self._shared
        return sh.mark if sh.holder is not None and sh.holder is not self else len(sh.events)

    def append(self, events: list[Event]) -> None:
        sh = self._shared
        if sh.holder is not None and sh.holder is not self:
            raise StoreError("another handle's group holds the store")
        _check_revisions(events, lambda rid: sh.revs.get(rid, 0))
        before = len(sh.events)
        for ev in events:
            sh.events.append(ev.json)
            sh.revs[ev.record_id] = ev.revision
        if before == self._position:
            self._position = len(sh.events)

    def group(self, op: int) -> None:
        """The store table's group slot: GROUP_BEGIN, GROUP_COMMIT,
        GROUP_ABORT (see include/itsm/sys/store.h)."""
        sh = self._shared
        if op == GROUP_BEGIN:
            if sh.holder is not None:
                raise StoreError("a group is open already")
            sh.holder, sh.mark, self._group_position = self, len(sh.events), self._position
        elif op in (GROUP_COMMIT, GROUP_ABORT):
            if sh.holder is not self:
                raise StoreError("no group of this handle is open")
            if op == GROUP_ABORT:
                sh.cut_back(sh.mark)
                self._position = self._group_position
            sh.holder = None
        else:
            raise ValueError(f"unknown group operation {op}")

    def scan(self) -> Iterator[str]:
        self._position = 0
        return self._after()

    def catch_up(self, engine: Engine) -> int:
        """Replay into ``engine`` the events after this handle's position
        (those it has are skipped); the number read."""
        n = 0
        for doc in self._after():
            engine.replay(doc)
            n += 1
        return n

    @property
    def position(self) -> int:
        """How many events the engine is known to hold."""
        return self._position

    def _after(self) -> Iterator[str]:
        while self._position < self._visible():
            yield self._shared.events[self._position]
            self._position += 1   # reached only once the event was accepted

    def read_record(self, record_id: str) -> Iterator[str]:
        """One record's events, in revision order (the store table's
        read_record slot)."""
        key = f'"record":{json.dumps(record_id)},'
        return iter([doc for doc in self._shared.events[:self._visible()] if key in doc])

    def close(self) -> None:
        """Drop this handle; a group it left open keeps nothing."""
        sh = self._shared
        if sh.holder is self:
            sh.cut_back(sh.mark)
            sh.holder = None

    def __len__(self) -> int:
        return self._visible()


# The schema of docs/store-schema.md, shared with libitsm-sqlite
# (stores/sqlite/sqlite_schema.c): the same statements, character for
# character, so a database written by either opens in the other.
SCHEMA_VERSION = 3

_CREATE_SCHEMA_TABLE = ("CREATE TABLE itsm_schema ("
                        " version INTEGER PRIMARY KEY,"
                        " applied_at TEXT NOT NULL,"
                        " what TEXT NOT NULL)")
_CREATE_EVENTS_TABLE = ("CREATE TABLE itsm_events ("
                        " seq INTEGER PRIMARY KEY,"
                        " record TEXT NOT NULL,"
                        " rev INTEGER NOT NULL,"
                        " kind TEXT NOT NULL,"
                        " type TEXT NOT NULL,"
                        " at INTEGER NOT NULL,"
                        " actor TEXT,"
                        " json TEXT NOT NULL,"
                        " UNIQUE (record, rev))")
_RECORD_VERSION = ("INSERT INTO itsm_schema (version, applied_at, what)"
                   " VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)")
# The two unversioned layouts of itsm 0.1, both schema version 1.
_LAYOUT_C = "seq,record,rev,json"
_LAYOUT_PYTHON = "seq,record_id,revision,type,kind,at,actor,json"


class SchemaError(StoreError):
    """The database cannot be used: written by a newer schema version, or
    holding an ``itsm_events`` table no schema version describes.  Nothing
    in the file was changed."""


def _prepare_schema(conn: sqlite3.Connection) -> int:
    """Create the schema in an empty database or migrate an older one, in
    one transaction; the version the database had (0: none)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        def table(name: str) -> bool:
            return int(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                                    (name,)).fetchone()[0]) > 0
        layout = None
        if table("itsm_schema"):
            version = int(conn.execute("SELECT max(version) FROM itsm_schema").fetchone()[0] or 0)
        elif table("itsm_events"):
            layout = ",".join(r[0] for r in conn.execute(
                "SELECT name FROM pragma_table_info('itsm_events') ORDER BY cid"))
            if layout not in (_LAYOUT_C, _LAYOUT_PYTHON):
                raise SchemaError(f"a table itsm_events with columns ({layout}) that no schema "
                                  "version describes")
            version = 1
        else:
            version = 0
        if version > SCHEMA_VERSION:
            raise SchemaError(f"the file has schema version {version}, written by a newer itsm; "
                              f"this library knows versions up to {SCHEMA_VERSION}")
        if version == 0:
            conn.execute(_CREATE_SCHEMA_TABLE)
            conn.execute(_CREATE_EVENTS_TABLE)
            conn.execute(_RECORD_VERSION, (SCHEMA_VERSION, "created"))
        if version == 1:
            _migrate_1_to_2(conn, layout)
        if 1 <= version <= 2:
            # 2 -> 3: the json column may hold an event's binary form (a
            # BLOB); the tables do not change.
            conn.execute(_RECORD_VERSION, (3, "the json column may hold an event's binary form (a BLOB)"))
        conn.execute("COMMIT")
        return version
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _migrate_1_to_2(conn: sqlite3.Connection, layout: Optional[str]) -> None:
    """Rebuild itsm_events with typed columns taken from each event's JSON
    (the JSON and seq kept as they are) and add itsm_schema."""
    rec, rev = ("record", "rev") if layout == _LAYOUT_C else ("record_id", "revision")
    conn.execute(_CREATE_SCHEMA_TABLE)
    conn.execute(_RECORD_VERSION, (1, "itsm 0.1 layout of the C example store" if layout == _LAYOUT_C
                                   else "itsm 0.1 layout of the Python SQLiteStore"))
    conn.execute("ALTER TABLE itsm_events RENAME TO itsm_events_v1")
    conn.execute(_CREATE_EVENTS_TABLE)
    conn.execute("INSERT INTO itsm_events (seq, record, rev, kind, type, at, actor, json)"
                 f" SELECT seq, {rec}, {rev}, json_extract(json, '$.kind'), json_extract(json, '$.type'),"
                 " CAST(strftime('%s', json_extract(json, '$.at')) AS INTEGER),"
                 " json_extract(json, '$.actor'), json FROM itsm_events_v1 ORDER BY seq")
    conn.execute("DROP TABLE itsm_events_v1")
    conn.execute(_RECORD_VERSION, (2, "typed columns beside the JSON; the schema table"))


class SQLiteStore:
    """Events in an SQLite database, through Python's own ``sqlite3``, in
    the schema of docs/store-schema.md that libitsm-sqlite shares: a file
    written by either opens in the other.  Opening creates the schema in a
    new file and migrates an older version forward (in one transaction);
    a file of a newer version raises :class:`SchemaError`.

    One row per event in ``itsm_events``: ``seq`` (append order),
    ``record``, ``rev`` (unique together), ``kind``, ``type``, ``at``
    (seconds since 1970, UTC), ``actor`` and the ``json``.  Each append is
    one ``BEGIN IMMEDIATE`` transaction that checks revisions first, so
    several engines (threads or processes) can share one database file:
    the loser of a race gets :class:`~itsm.Conflict`, calls
    :meth:`catch_up` and retries.
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, synchronous: str = "FULL",
                 timeout: float = 5.0):
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be 'FULL' or 'NORMAL', not {synchronous!r}")
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._position = 0
        self._grouped = False
        self._group_position = 0
        # Autocommit mode: the transactions below are explicit.
        self._conn: Optional[sqlite3.Connection] = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(f"PRAGMA synchronous={synchronous}")
            self.schema_found = _prepare_schema(self._conn)
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # ---- the store protocol --------------------------------------------------
    def append(self, events: list[Event]) -> None:
        with self._lock:
            conn = self._connection()
            # In a group each append is a savepoint of the group's transaction.
            conn.execute("SAVEPOINT itsm_append" if self._grouped else "BEGIN IMMEDIATE")
            try:
                def newest(rid: str) -> int:
                    row = conn.execute("SELECT max(rev) FROM itsm_events WHERE record = ?",
                                       (rid,)).fetchone()
                    return int(row[0] or 0)
                _check_revisions(events, newest)
                first = last = 0
                for e in events:
                    cur = conn.execute(
                        "INSERT INTO itsm_events (record, rev, kind, type, at, actor, json) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        # a policy event (a version's document) is of no record
                        # kind: its type names it, as libitsm-sqlite writes it
                        (e.record_id, e.revision, e.record_kind or e.type, e.type, int(e.time.timestamp()),
                         e.actor, e.json))
                    last = int(cur.lastrowid or 0)
                    first = first or last
                conn.execute("RELEASE itsm_append" if self._grouped else "COMMIT")
            except sqlite3.IntegrityError as e:
                self._undo(conn)
                raise Conflict(f"another writer stored the same revision first ({e})") from e
            except BaseException:
                self._undo(conn)
                raise
            # Nobody wrote in between: the engine holds everything up to here.
            if events and first == self._position + 1:
                self._position = last

    def _undo(self, conn: sqlite3.Connection) -> None:
        if self._grouped:
            conn.execute("ROLLBACK TO itsm_append")
            conn.execute("RELEASE itsm_append")
        elif conn.in_transaction:
            conn.execute("ROLLBACK")

    def group(self, op: int) -> None:
        """The store table's group slot (include/itsm/sys/store.h): one
        ``BEGIN IMMEDIATE`` transaction holding the write lock from
        GROUP_BEGIN to GROUP_COMMIT (durable then) or GROUP_ABORT."""
        with self._lock:
            conn = self._connection()
            if op == GROUP_BEGIN:
                if self._grouped:
                    raise StoreError("a group is open already")
                conn.execute("BEGIN IMMEDIATE")
                self._grouped, self._group_position = True, self._position
            elif op in (GROUP_COMMIT, GROUP_ABORT):
                if not self._grouped:
                    raise StoreError("no group is open")
                self._grouped = False
                try:
                    conn.execute("COMMIT" if op == GROUP_COMMIT else "ROLLBACK")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    self._position = self._group_position
                    raise
                if op == GROUP_ABORT:
                    self._position = self._group_position
            else:
                raise ValueError(f"unknown group operation {op}")

    def scan(self) -> Iterator[str | bytes]:
        """Every event in append order (its JSON, or the bytes of its binary
        form where libitsm-sqlite kept that); the position follows each
        event the engine accepts."""
        self._position = 0
        return self._after()

    # ---- several engines on one file ---------------------------------------
    def catch_up(self, engine: Engine) -> int:
        """Replay into ``engine`` every event stored after this store's
        position (events it has are skipped): how an engine sharing the file
        catches up after :class:`~itsm.Conflict`.  The number read."""
        n = 0
        for doc in self._after():
            engine.replay(doc)
            n += 1
        return n

    @property
    def position(self) -> int:
        """The seq of the newest event the engine is known to hold (0: none)."""
        return self._position

    def _after(self) -> Iterator[str | bytes]:
        with self._lock:
            rows = self._connection().execute(
                "SELECT seq, json FROM itsm_events WHERE seq > ? ORDER BY seq",
                (self._position,)).fetchall()
        for seq, doc in rows:
            yield doc
            self._position = seq   # reached only once the previous one was accepted

    # ---- reading -------------------------------------------------------------
    def events(self, record_id: str | None = None) -> Iterator[str | bytes]:
        """The stored events in append order (of one record, or all): JSON
        text, or bytes for an event kept in its binary form."""
        with self._lock:
            conn = self._connection()
            if record_id is None:
                rows = conn.execute("SELECT json FROM itsm_events ORDER BY seq").fetchall()
            else:
                rows = conn.execute("SELECT json FROM itsm_events WHERE record = ? ORDER BY seq",
                                    (record_id,)).fetchall()
        return iter([r[0] for r in rows])

    def read_record(self, record_id: str) -> Iterator[str | bytes]:
        """One record's events, in revision order (the store table's
        read_record slot): one range of the (record, rev) index."""
        with self._lock:
            rows = self._connection().execute(
                "SELECT json FROM itsm_events WHERE record = ? ORDER BY rev", (record_id,)).fetchall()
        return iter([r[0] for r in rows])

    def record_ids(self) -> list[str]:
        """Every record id, in the order the records were opened (a policy
        event, a version's document, is no record's)."""
        with self._lock:
            rows = self._connection().execute(
                "SELECT record FROM itsm_events WHERE rev = 1 AND kind <> 'policy' ORDER BY seq").fetchall()
        return [r[0] for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection().execute("SELECT count(*) FROM itsm_events").fetchone()[0])

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
        return f"<itsm.stores.SQLiteStore {self.path!r}>"
