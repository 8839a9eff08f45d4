#!/usr/bin/env python3
"""From a service desk call to a major incident, with a Python sqlite3 store.

The story (seed 001, "better Service Desk handovers during Major
Incidents"): the service desk is the inception point of most major
incidents, and the quality of what it captures decides how fast the Major
Incident Team can engage the resolving groups and send confident comms.

1. A user calls the service desk: payroll is down.  The analyst captures
   caller, verified contact, service, configuration item, category and the
   impact and urgency, which the policy's matrix turns into priority 1.
2. The ticket is assigned to the service desk and handed over to the Major
   Incident Team: flagged major, reassigned, escalated to specialists, with
   the handover captured as a work note (never kicked back to the desk).
3. More callers report the same outage: their incidents become children of
   the major incident.  A problem record is opened for the root cause.
4. Customer updates go out, each with the actions taken, the expected
   restoration time and the time of the next update.
5. The fix: resolved with a resolution code and notes, confirmed by the
   caller, closed with a knowledge decision.
6. The timeline is printed; then the engine is closed, a new one is built
   from the sqlite3 file alone, and every record is shown restored.

Run:  python3 major_incident.py [path/to/new.db]
(ITSM_LIBRARY=/path/to/libitsm.so when the library is neither in the build
tree nor installed.)
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import itsm  # noqa: E402
from itsm.stores import SQLiteStore  # noqa: E402


class SimClock:
    """The engine's clock, injected: the story runs on its own timeline."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: int) -> dt.datetime:
        self.now += dt.timedelta(minutes=minutes)
        return self.now


def hhmm(t: dt.datetime | None) -> str:
    return t.strftime("%H:%M") if t else "--:--"


def notify(events: list[itsm.Event]) -> None:
    """The event sink: what a host would turn into chat or e-mail."""
    for ev in events:
        if ev.type == "transition":
            print(f"    [notify] {ev.record_id}: {ev.name} ({ev.from_state} -> {ev.to_state}) "
                  f"by {ev.actor}")
        elif ev.type == "note" and ev.data["note"]["kind"] == "customer":
            print(f"    [notify] {ev.record_id}: customer update sent by {ev.actor}")


def snapshot(engine: itsm.Engine) -> list[tuple]:
    """Everything the engine holds, to compare before and after a restart."""
    return [(r.id, r.kind, r.state, r.revision, r.fields(), list(r.timeline), list(r.links))
            for r in engine]


def story(engine: itsm.Engine, clock: SimClock) -> str:
    # 1. The call ---------------------------------------------------------
    engine.actor = "sd.analyst.maria"
    inc = engine.open(
        "incident",
        summary="Payroll application unavailable for all users",
        description="Caller reports the payroll web app returns HTTP 503 since 09:00; "
                    "colleagues in Finance see the same.",
        caller="j.smith", contact_verified=True,
        service="payroll", ci="payroll-web-01")
    print(f"{hhmm(clock.now)} {inc.id} opened by the service desk ({inc.state})")

    clock.advance(3)
    inc.update(category="application", subcategory="availability", impact=1, urgency=1)
    print(f"{hhmm(clock.now)} categorised {inc.category}/{inc.subcategory}, "
          f"impact {inc.impact} x urgency {inc.urgency} -> P{inc.priority}")

    # 2. Assign and hand over to the Major Incident Team ----------------------
    clock.advance(1)
    inc.fire("assign", assignment_group="service-desk")
    inc.add_note("Handover to MIM: all Finance users affected; payroll run due 17:00; "
                 "503 from the load balancer since 09:00; no change scheduled.")
    clock.advance(2)
    engine.actor = "mim.duty.manager"
    inc.update(major=True, assignment_group="major-incident-team",
               functional_level=2, hierarchical_level=1)
    inc.fire("start", assignee="mim.duty.manager")
    print(f"{hhmm(clock.now)} accepted as a major incident: group {inc.assignment_group}, "
          f"owner {inc.assignee}, reassignments {inc.reassignments}, "
          f"first response {hhmm(inc.responded_at)}")

    # 3. Other callers, and the problem -----------------------------------
    engine.actor = "sd.analyst.tom"
    for caller in ("a.jones", "b.khan"):
        clock.advance(2)
        child = engine.open("incident", summary="Cannot open payroll", caller=caller,
                            service="payroll", impact=3, urgency=2)
        inc.link(child, kind="child")
        print(f"{hhmm(clock.now)} {child.id} from {caller} linked as a child of {inc.id}")
    engine.actor = "mim.duty.manager"
    prb = engine.open("problem", summary="Payroll web tier outage", service="payroll",
                      ci="payroll-web-01")
    inc.link(prb)
    prb.fire("assess", assignee="problem.manager.ana", category="application")
    print(f"{hhmm(clock.now)} {prb.id} opened for the root cause ({prb.state})")

    # 4. Customer updates: actions taken, restoration estimate, next update --
    clock.advance(5)
    inc.add_note("Technical resolving groups engaged (web platform, database). "
                 "Payroll web servers are being restarted.", kind="customer",
                 expected_restoration=clock.now + dt.timedelta(hours=1),
                 next_update=clock.now + dt.timedelta(minutes=30))
    engine.actor = "web.platform.lee"
    clock.advance(20)
    inc.add_note("Connection pool exhausted on payroll-web-01; DB max_connections reached "
                 "after last night's batch job left sessions open.")
    engine.actor = "mim.duty.manager"
    clock.advance(10)
    inc.add_note("Root cause found: stale batch sessions. Killing them and recycling the pool.",
                 kind="customer", expected_restoration=clock.now + dt.timedelta(minutes=20),
                 next_update=clock.now + dt.timedelta(minutes=15))

    # 5. Resolve, confirm, close ----------------------------------------------
    clock.advance(15)
    inc.fire("resolve", resolution_code="fixed",
             resolution_notes="Killed stale batch sessions, recycled the connection pool; "
                              "payroll responds normally.")
    print(f"{hhmm(clock.now)} resolved ({inc.state})")
    clock.advance(10)
    engine.actor = "sd.analyst.maria"
    inc.fire("confirm", knowledge_decision="candidate")
    print(f"{hhmm(clock.now)} confirmed by the caller: {inc.state}, open={inc.is_open}")
    for child in inc.linked("child"):
        child.add_note(f"Restored with {inc.id}; handled through the major incident.")
        child.fire("cancel")
    return inc.id


def print_timeline(rec: itsm.Record) -> None:
    print(f"\nTimeline of {rec.id} ({rec.kind}, {rec.state}, P{rec.priority}, rev {rec.revision}):")
    for e in rec.timeline:
        line = f"  {hhmm(e.at)} {e.kind:<8} {e.author or '-':<18} {e.text}"
        if e.kind == "customer":
            line += f"  [ETA {hhmm(e.expected_restoration)}, next update {hhmm(e.next_update)}]"
        print(line)
    print(f"  opened {hhmm(rec.opened_at)}, responded {hhmm(rec.responded_at)}, "
          f"resolved {hhmm(rec.resolved_at)}, closed {hhmm(rec.closed_at)}")
    print("  links: " + ", ".join(f"{l.kind} {l.target_id}" for l in rec.links))


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        db = argv[1]
        if os.path.exists(db):
            print(f"{db} exists; give the path of a new database", file=sys.stderr)
            return 2
        tmp = None
    else:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "service_desk.db")

    clock = SimClock(dt.datetime(2024, 3, 4, 9, 2, tzinfo=dt.timezone.utc))
    print(f"itsm {itsm.library_version()} from {itsm.library_path}; store {db}\n")

    with SQLiteStore(db) as store, itsm.Engine(store=store, clock=clock, sink=notify) as engine:
        major_id = story(engine, clock)
        print_timeline(engine.find(major_id))
        before = snapshot(engine)
        stored = len(store)

    # A new process would do exactly this: open the file, load, carry on.
    print(f"\nRestart: {stored} events in {os.path.basename(db)}")
    with SQLiteStore(db) as store, itsm.Engine(store=store, load=True) as engine:
        after = snapshot(engine)
        for r in engine:
            print(f"  {r.id:<11} {r.kind:<9} {r.state:<9} rev {r.revision:<3} "
                  f"P{r.priority or '-'} {r.summary}")
        if after != before:
            print("restored state differs from the state before the restart", file=sys.stderr)
            return 1
        print(f"all {len(engine)} records restored exactly")
        print_timeline(engine.find(major_id))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
