# SPDX-License-Identifier: Apache-2.0
"""Shared helpers of the binding's tests (not a test module)."""
from __future__ import annotations

import datetime as dt
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_ROOT = os.path.dirname(HERE)
if PKG_ROOT not in sys.path:
    sys.path.insert(0, PKG_ROOT)

import itsm  # noqa: E402

UTC = dt.timezone.utc
T0 = dt.datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


class Clock:
    """An injectable clock that only moves when told to."""

    def __init__(self, start: dt.datetime = T0):
        self.now = start
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.now

    def advance(self, **kw):
        self.now += dt.timedelta(**kw)
        return self.now


def is_policy(doc: str) -> bool:
    """Whether a stored event is a policy event (a version's document,
    docs/events.md): a store holds one before the first event under each
    version; the sink is never told of it."""
    return doc.startswith('{"v":1,"type":"policy","record":"~policy.')


def record_events(docs) -> list:
    """The records' events among stored events (policy events left out)."""
    return [d for d in docs if not is_policy(d)]


def snapshot(engine: "itsm.Engine") -> list:
    """Everything an engine holds about its records, comparable with ==."""
    return [(r.id, r.kind, r.state, r.is_open, r.revision, r.fields(), list(r.timeline),
             list(r.links)) for r in engine]


def record_state(rec: "itsm.Record") -> tuple:
    return (rec.state, rec.revision, rec.fields(include_unset=True), list(rec.timeline),
            list(rec.links))


def busy_engine(engine: "itsm.Engine", clock: Clock) -> None:
    """Records of every kind, with transitions, notes and links."""
    engine.actor = "alice"
    inc = engine.open("incident", summary="Mail is down", caller="bob", service="mail",
                      impact=1, urgency=2)
    clock.advance(minutes=1)
    inc.fire("assign", assignment_group="messaging")
    inc.fire("start", assignee="carol")
    inc.add_note("restarting the relay")
    inc.add_note("relay restarted", kind="customer",
                 expected_restoration=clock.now + dt.timedelta(hours=1),
                 next_update=clock.now + dt.timedelta(minutes=30))
    clock.advance(minutes=5)
    inc.fire("resolve", resolution_code="fixed", resolution_notes="relay restarted")
    prb = engine.open("problem", id="PRB-mail-1", summary="Relay keeps hanging")
    inc.link(prb)
    engine.actor = "dave"
    chg = engine.open("change", summary="Upgrade relay", change_type="standard")
    chg.plan(clock.now + dt.timedelta(days=1), clock.now + dt.timedelta(days=1, hours=2))
    chg.fire("schedule")
    prb.link(chg)
    req = engine.open("service_request", summary="New mailbox", caller="erin", service="mail")
    req.fire("submit")
    kb = engine.open("knowledge", summary="Restarting the relay")
    kb.fire("submit")
    engine.actor = None
    inc.fire("reopen")
