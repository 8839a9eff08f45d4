#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""From a service desk call to a major incident, with a Python sqlite3 store.

The story (seed 001, "better Service Desk handovers during Major
Incidents"): the service desk is the inception point of most major
incidents, and the quality of what it captures decides how fast the Major
Incident Team can engage the resolving groups and send confident comms.

1. A user calls the service desk: payroll is down.  The analyst captures
   caller, verified contact, service, configuration item, category and the
   impact and urgency, which the policy's matrix turns into priority 1.
2. The desk proposes a major incident and hands over with a desk_to_major
   packet.  The major incident manager accepts the proposal (the initial
   15 minutes start) and acknowledges the packet: ownership moves only
   then.  The packet lacks something, but a desk_to_major handover is
   never kicked back: its gaps go to the quality log instead.
3. More callers report the same outage: their incidents are attached to
   the major incident.  A problem record is opened from it.
4. The first customer update goes out inside the 15 minutes; the
   technical groups are engaged late, and the tick records the missed
   deadline.  Further updates carry the actions taken, the expected
   restoration and the next update time.
5. The fix: resolved, a knowledge decision, confirmed by the caller and
   closed; the problem verdict with its reasons; a report of the period and
   the handover exception report.
6. The timeline is printed; then the engine is closed, a new one is built
   from the sqlite3 file alone, and every record (timers, major-incident
   state, handovers and quality log included) is shown restored.

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
        elif ev.type in ("major_proposed", "major_decided", "handover_propose",
                         "handover_acknowledge", "major_deadline_missed", "sla_breach",
                         "update_overdue", "escalation_step"):
            print(f"    [notify] {ev.record_id}: {ev.type} at {hhmm(ev.time)}")


def desk_policy() -> itsm.Policy:
    """The desk's policy: the desk proposes major incidents by hand, the
    initial phase has 15 minutes, and routing sends payroll to its team."""
    pol = itsm.Policy()
    pol.set_major(propose_at_priority=0, breadth_threshold=10,
                  communication_due=dt.timedelta(minutes=15),
                  groups_due=dt.timedelta(minutes=15))
    pol.add_route("payroll-apps", category="application", service="payroll")
    return pol


def snapshot(engine: itsm.Engine) -> list[object]:
    """Everything the engine holds, to compare before and after a restart."""
    at = engine.now()
    return [[(r.id, r.kind, r.state, r.revision, r.fields(), list(r.timeline), list(r.links),
              r.sla, r.major_state, r.major_phase, r.major_deadlines,
              {n: t for n, t in r.timers.items()} if r.kind == "incident" else None)
             for r in engine],
            [p.to_json() + p.state for p in engine.handovers],
            engine.quality_log, at]


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
    res = inc.timer("resolution")
    print(f"{hhmm(clock.now)} categorised {inc.category}/{inc.subcategory}, "
          f"impact {inc.impact} x urgency {inc.urgency} -> P{inc.priority} "
          f"(SLA {inc.sla}: restore by {hhmm(res.due)}; updates reach: {inc.audience})")

    # 2. Propose a major incident and hand over to the Major Incident Team ----
    clock.advance(1)
    inc.fire("assign", assignment_group="service-desk")
    inc.add_note("Handover to MIM: all Finance users affected; payroll run due 17:00; "
                 "503 from the load balancer since 09:00; no change scheduled.")
    engine.propose_major(inc, "payroll down for all of Finance; payroll run due 17:00")
    packet = inc.packet("desk_to_major", receiver="mim.duty.manager",
                        receiver_group="major-incident-team",
                        extent_is="all Finance users (about 120), payroll run at 17:00")
    packet.hypotheses.add("load balancer pool or the payroll web tier")
    packet.engaged_groups = []       # the desk cannot tell which resolving groups to engage
    gaps = packet.completeness()
    packet.propose()
    print(f"{hhmm(clock.now)} major incident proposed ({inc.major_state}); handover "
          f"#{packet.seq} sent, completeness {gaps.score}% (missing: {' '.join(gaps.missing)})")

    clock.advance(2)
    engine.actor = "mim.duty.manager"
    inc.accept_major("mim.duty.manager")
    try:
        packet.reject("mim.duty.manager", "no resolving groups named")
    except itsm.StateError as e:     # seed 001: never kick a desk handover back
        print(f"{hhmm(clock.now)} not kicked back: {e}")
    packet.acknowledge("mim.duty.manager")
    packet.close()
    inc.fire("start")
    comm = inc.major_deadline("communication")
    print(f"{hhmm(clock.now)} accepted as a major incident: group {inc.assignment_group}, "
          f"owner {inc.assignee}, reassignments {inc.reassignments}, "
          f"first response {hhmm(inc.responded_at)}; phase {inc.major_phase}, "
          f"comms and groups due {hhmm(comm.due)}")

    # 3. Other callers, and the problem -----------------------------------
    engine.actor = "sd.analyst.tom"
    for caller in ("a.jones", "b.khan"):
        clock.advance(2)
        child = engine.open("incident", summary="Cannot open payroll", caller=caller,
                            service="payroll", impact=3, urgency=2)
        inc.attach(child)
        print(f"{hhmm(clock.now)} {child.id} from {caller} attached to {inc.id}")
    engine.actor = "mim.duty.manager"
    prb = inc.open_problem(summary="Payroll web tier outage")
    prb.fire("assess", assignee="problem.manager.ana")
    print(f"{hhmm(clock.now)} {prb.id} opened from {inc.id} for the root cause ({prb.state})")

    # 4. Customer updates: actions taken, restoration estimate, next update --
    clock.advance(5)
    inc.add_note("Major incident declared. Payroll web servers are being restarted.",
                 kind="customer", expected_restoration=clock.now + dt.timedelta(hours=1),
                 next_update=clock.now + dt.timedelta(minutes=30))
    print(f"{hhmm(clock.now)} initial communication issued: "
          f"done={inc.major_deadline('communication').done}")
    clock.advance(8)   # 09:25: past the 15 minutes, and no groups engaged yet
    fired = engine.tick()
    groups = inc.major_deadline("groups")
    print(f"{hhmm(clock.now)} tick: {fired} timer(s) fired; groups deadline "
          f"{hhmm(groups.due)} missed={groups.missed}")
    inc.engage_groups("web-platform", "database")
    print(f"{hhmm(clock.now)} resolving groups engaged late; phase {inc.major_phase}")
    engine.actor = "web.platform.lee"
    clock.advance(12)
    inc.add_note("Connection pool exhausted on payroll-web-01; DB max_connections reached "
                 "after last night's batch job left sessions open.")
    engine.actor = "mim.duty.manager"
    clock.advance(10)
    engine.tick()
    inc.add_note("Root cause found: stale batch sessions. Killing them and recycling the pool.",
                 kind="customer", expected_restoration=clock.now + dt.timedelta(minutes=20),
                 next_update=clock.now + dt.timedelta(minutes=15))

    # 5. Resolve, confirm, close ----------------------------------------------
    clock.advance(15)
    engine.tick()
    inc.fire("resolve", resolution_code="fixed",
             resolution_notes="Killed stale batch sessions, recycled the connection pool; "
                              "payroll responds normally.")
    res = inc.timer("resolution")
    print(f"{hhmm(clock.now)} resolved ({inc.state}); resolution SLA {res.status}, "
          f"breached={res.breached}; phase {inc.major_phase}")
    clock.advance(10)
    engine.actor = "sd.analyst.maria"
    print(f"{hhmm(clock.now)} knowledge decision: {inc.decide_knowledge()}")
    inc.fire("confirm")
    print(f"{hhmm(clock.now)} confirmed by the caller: {inc.state}, open={inc.is_open}")
    for child in inc.linked("child"):
        if child.is_open:
            child.add_note(f"Restored with {inc.id}; handled through the major incident.")
            child.fire("cancel")
    verdict = inc.decide_problem(root_cause_needed=True)
    print(f"problem verdict: {verdict.verdict}")
    for reason in verdict.reasons:
        print(f"  - {reason.code}: {reason.text}")

    with engine.report(clock.now.replace(hour=0, minute=0), clock.now + dt.timedelta(hours=1),
                       kinds=["incident"]) as rep:
        sla = rep.sla
        print(f"report: {rep.total} incidents, resolved {rep.figures.resolved}, "
              f"mean time to restore {rep.duration('resolve_wall').mean}, "
              + (f"SLA met {sla.met} / breached {sla.breached}" if sla else "no SLA figures"))
    for group in engine.handover_report()["groups"]:
        print(f"handover exceptions: {group['group']}: {group['poor']} of "
              f"{group['handovers']} poor; missing {group['missing']}")
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

    with SQLiteStore(db) as store, desk_policy() as policy, \
            itsm.Engine(policy=policy, store=store, clock=clock, sink=notify) as engine:
        major_id = story(engine, clock)
        print_timeline(engine.find(major_id))
        before = snapshot(engine)
        stored = len(store)

    # A new process would do exactly this: open the file, load, carry on.
    print(f"\nRestart: {stored} events in {os.path.basename(db)}")
    with SQLiteStore(db) as store, desk_policy() as policy, \
            itsm.Engine(policy=policy, store=store, clock=clock, load=True) as engine:
        after = snapshot(engine)
        for r in engine:
            print(f"  {r.id:<11} {r.kind:<9} {r.state:<9} rev {r.revision:<3} "
                  f"P{r.priority or '-'} {r.summary}")
        if after != before:
            print("restored state differs from the state before the restart", file=sys.stderr)
            return 1
        print(f"all {len(engine)} records restored exactly "
              f"({len(engine.handovers)} handover, {len(engine.quality_log)} quality-log entry)")
        print_timeline(engine.find(major_id))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
