#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write the seed corpus of fuzz_api (tests/fuzz/corpus/api/).

fuzz_api decodes its input byte by byte into public calls; this encodes
readable stories (the default lifecycles walked end to end, ticks, majors,
handovers, problems, outages, with injected failures) into that byte form,
so a campaign starts from deep states instead of rediscovering them.
The tables below mirror api_decode() in api_decode.c (and the calls it
leads to, api_calls.c): change both together.

    python3 tests/fuzz/api_seeds.py tests/fuzz/corpus/api
"""
import os
import sys

OPS = ["open", "update", "fire", "note", "link", "clock", "tick", "escalate", "major", "outage",
       "problem", "packet", "sla", "actor", "set", "query", "fail_alloc", "fail_store", "fire2",
       "request", "approval", "risk", "plan", "proposal", "survey", "oncall"]
CAP_NAMES = ["new_laptop", "software_install", "order_laptop", "create_account", "image_laptop", "install",
             "approver", "change_manager", "ecab", "cab", "users", "backout", "experience", "outage", "reach",
             "few", "tested", "often", "none", "one", "department", "never", "ann", "bob", "carl", "desk",
             "contract", "priority <= 2", "service", "impact", "state == 'closed'", "state =="]
SYMBOLS = ["desk", "network", "ann", "bob", "carl", "messaging", "payroll", "email", "fixed",
           "awaiting_customer", "awaiting_supplier", "awaiting_change", "software", "hardware",
           "standard", "normal", "emergency", "gold", "24x7", "business", "INC-000001", "PRB-000001",
           "risk_accepted", "fix_applied", "duplicate", "linked", "\u00e9t\u00e9", "", "bad\\xff",
           " padded ", "none", "x"]
TEXTS = ["Mail down", "Relay restarted", "checked the queue", "cannot print", "restart the service",
         "payroll batch fails at step 3", "", "line\nbreak", "\u20ac 5", "bad\\xc3("]
EVENTS = ["assign", "start", "hold", "resume", "resolve", "reopen", "confirm", "auto_close", "cancel",
          "parent_resolved", "submit", "approve", "reject", "fulfil", "complete", "close", "assess",
          "analyse", "identify", "request_change", "close_without_fix", "authorize", "schedule",
          "implement", "back_out", "publish", "revise", "retire", "", "RESOLVE", "explode", "resolve ",
          "resolve\\xff"]
INTS = [0, 1, 2, 3, 4, 5, 6, -1, 100, "max", "min"]
DELTAS = [0, 1, 59, 60, 900, 1800, 3600, 4 * 3600, 8 * 3600, 86400, 3 * 86400, 7 * 86400,
          30 * 86400, -1, -3600, -86400, 14400, 600]
WHEN = ["none", "now", "+15m", "+1h", "-1h", "+3d", "zero", "negative", "max", "over", "+30m", "+1d"]
KINDS = ["bad", "incident", "service_request", "problem", "change", "knowledge"]
STORE_CODES = ["ESTORE", "ECONFLICT", "EUSER", "EINVAL", "7"]
FIELDS = [("summary", "t"), ("description", "t"), ("caller", "s"), ("contact_verified", "b"),
          ("service", "s"), ("ci", "s"), ("category", "s"), ("subcategory", "s"), ("impact", "i"),
          ("urgency", "i"), ("priority", "i"), ("assignment_group", "s"), ("assignee", "s"),
          ("functional_level", "i"), ("hierarchical_level", "i"), ("major", "b"),
          ("hold_reason", "s"), ("workaround", "t"), ("no_workaround", "b"), ("cause", "t"),
          ("resolution_code", "s"), ("resolution_notes", "t"), ("close_justification", "t"),
          ("knowledge_decision", "s"), ("change_type", "s"), ("opened_at", "w"),
          ("responded_at", "w"), ("resolved_at", "w"), ("closed_at", "w"), ("updated_at", "w"),
          ("reassignments", "i"), ("reopens", "i")]
FIELD_INDEX = {name: (i, t) for i, (name, t) in enumerate(FIELDS)}


def sym(v):
    if v is None:
        return [253]
    return [SYMBOLS.index(v)]


def cap(v):
    if v in CAP_NAMES:
        return [CAP_NAMES.index(v)]
    return [224] + sym(v)


def text(v):
    if v is None:
        return [253]
    if v in TEXTS:
        return [TEXTS.index(v)]
    return [128] + sym(v)


def change(name, value):
    i, t = FIELD_INDEX[name]
    out = [i, 0]
    if t == "t":
        out += text(value)
    elif t == "s":
        out += sym(value)
    elif t == "i":
        out += [INTS.index(value)]
    elif t == "b":
        out += [0, 1 if value else 0]
    else:
        out += [WHEN.index(value)]
    return out


def changes(fields, limit):
    items = list(fields.items())
    assert len(items) <= limit, items
    out = [len(items)]
    for k, v in items:
        out += change(k, v)
    return out


def op(name, sub=0, a=0, b=0):
    return [OPS.index(name), sub, a, b]


def common(kind=0, num=0, s1=None, s2=None, s3=None, t1="none", t2="none", groups=()):
    out = [kind, INTS.index(num)] + sym(s1) + text(s2) + sym(s3) + [WHEN.index(t1), WHEN.index(t2)]
    out += [len(groups)]
    for g in groups:
        out += sym(g)
    return out


# ---- calls ------------------------------------------------------------------
def open_(kind, **fields):
    return op("open") + [KINDS.index(kind), 1] + changes(fields, 6)


def update(rec, **fields):
    return op("update", 0, rec) + changes(fields, 4) + sym("x") + text("Mail down")


def fire(rec, event, **fields):
    return op("fire", 0, rec) + [EVENTS.index(event)] + changes(fields, 3)


def note(rec, kind, txt, eta="none", nxt="none"):
    return op("note", 0, rec) + [kind] + text(txt) + [WHEN.index(eta), WHEN.index(nxt)]


def link(a, kind, b):
    return op("link", 0, a, b) + [kind]


def clock(delta):
    return op("clock") + [DELTAS.index(delta)]


def tick(delta=0):
    return op("tick") + [DELTAS.index(delta)]


def escalate(rec, level, group, tried):
    # sub bit 0: hierarchical; bit 1: with group
    return op("escalate", 2 if group else 0, rec) + common(kind=level + 1, s1=group, s2=tried)


def escalate_hier(rec, reason):
    return op("escalate", 1, rec) + common(s2=reason)


def major(rec, sub, accept=0, manager=None, reason=None, groups=(), child=0):
    names = ["propose", "decide", "communicated", "engage", "attach"]
    return op("major", names.index(sub), rec, child) + common(kind=accept, s1=manager, s2=reason, groups=groups)


def outage(rec, end=False, eta="+1h", nxt="+30m"):
    return op("outage", 1 if end else 0, rec) + common(t1=eta, t2=nxt)


def problem(rec, sub, code=None, notes=None, **fields):
    names = ["open", "change", "close"]
    return op("problem", names.index(sub), rec) + changes(fields, 4) + sym(code) + text(notes)


PACKET_SUBS = ["new", "set_text", "add", "deliverable", "status", "propose", "propose2", "ack",
               "reject", "engine_answer", "next_update", "verified_or_free"]


def packet(sub, slot=0, rec=0, kind=0, s1=None, s2=None, s3=None, t1="none", groups=(), num=0):
    return op("packet", PACKET_SUBS.index(sub), slot, rec) + common(kind=kind, num=num, s1=s1, s2=s2, s3=s3,
                                                                    t1=t1, groups=groups)


def sla(rec, name):
    return op("sla", 0 if name else 1, rec) + common(s1=name)


def actor(name):
    return op("actor", 1 if name else 0) + common(s1=name)


def query(sub, rec=0, kind=0, t1="none", s1=None, s2=None, s3=None):
    return op("query", sub, rec) + common(kind=kind, t1=t1, s1=s1, s2=s2, s3=s3)


def capability(name, sub, rec=0, kind=0, num=0, s1=None, s2=None, s3=None, t1="none", t2="none", **fields):
    return (op(name, sub, rec) + [kind, INTS.index(num)] + cap(s1) + text(s2) + cap(s3)
            + [WHEN.index(t1), WHEN.index(t2)] + changes(fields, 2))


# sub % 3 picks the call, sub & 4 adds the note or comment.
WITH_TEXT = [6, 4, 5]


def request(rec, sub, task=None, who=None, state=2, note=None):
    i = ["choose", "assign", "close"].index(sub)
    return capability("request", WITH_TEXT[i] if note else i, rec, kind=state, s1=task, s2=note, s3=who)


def approval(rec, sub, by, level=None, to=None, comment=None):
    i = ["approve", "reject", "delegate"].index(sub)
    return capability("approval", WITH_TEXT[i] if comment else i, rec, kind=2 + (1 if level else 0),
                      s1=by, s2=comment, s3=level or to)


def risk(rec, question, answer):
    return capability("risk", 0, rec, s1=question, s3=answer)


def plan(rec, start, end):
    return capability("plan", 0, rec, t1=start, t2=end)


def accept(rec, **fields):
    return capability("proposal", 4, rec, **fields)


def dismiss(rec, reason):
    return capability("proposal", 1, rec, s2=reason)


def survey(rec, score, comment=None):
    return capability("survey", 0, rec, num=score, s2=comment)


def page(rec, policy=None):
    return capability("oncall", 4 if policy else 0, rec, s1=policy)


def ack(rec, by):
    return capability("oncall", 1, rec, s1=by)


def alert(key, group=None, **fields):
    return capability("oncall", 6 if group else 2, 0, s1=group, s3=key, **fields)


def fail_alloc(n):
    return op("fail_alloc") + [n - 1]


def fail_store(code="ESTORE"):
    return op("fail_store") + [STORE_CODES.index(code)]


# ---- stories ------------------------------------------------------------------
def incident_life():
    return (actor("ann") + open_("incident", summary="Mail down", service="email", impact=2, urgency=2,
                                  caller="bob", category="software")
            + fire(0, "assign", assignment_group="desk") + clock(900)
            + fire(0, "start", assignee="ann") + note(0, 2, "Relay restarted", "+1h", "+30m")
            + fire(0, "hold", hold_reason="awaiting_customer") + clock(3600) + tick()
            + fire(0, "resume", assignee="ann") + fire(0, "resolve", resolution_code="fixed",
                                                       resolution_notes="Relay restarted")
            + query(4) + fire(0, "reopen", assignee="bob") + fire(0, "resolve", resolution_code="fixed",
                                                                    resolution_notes="Relay restarted")
            + query(4) + clock(3 * 86400) + tick() + query(0, kind=1, t1="now") + query(1) + query(6))


def sla_clocks():
    return (open_("incident", summary="cannot print", service="payroll", impact=1, urgency=2,
                  assignment_group="network")
            + open_("incident", summary="Mail down", impact=3, urgency=3) + clock(1800) + tick()
            + fire(0, "start", assignee="carl") + clock(4 * 3600) + tick() + clock(8 * 3600) + tick()
            + sla(0, "gold") + sla(0, "standard") + tick(-3600) + clock(-86400) + tick()
            + escalate(1, 2, "network", "checked the queue") + escalate_hier(1, "Mail down")
            + clock(7 * 86400) + tick() + query(0, kind=2, t1="now"))


def major_incident():
    return (open_("incident", summary="Mail down", service="email", impact=1, urgency=1)
            + open_("incident", summary="cannot print", service="email", impact=2, urgency=2)
            + major(0, "decide", accept=1, manager="carl") + major(0, "communicated")
            + major(0, "engage", groups=("network", "messaging")) + major(0, "attach", child=1)
            + clock(900) + tick() + fire(0, "start", assignee="carl", assignment_group="network")
            + fire(0, "resolve", resolution_code="fixed", resolution_notes="Relay restarted")
            + major(1, "propose", reason="checked the queue") + clock(1800) + tick())


def handovers():
    return (open_("incident", summary="Mail down", service="email", impact=2, description="Relay restarted")
            + fire(0, "assign", assignment_group="desk") + fire(0, "start", assignee="ann")
            + packet("new", slot=0, rec=0, kind=1) + packet("set_text", slot=0, kind=13, s2="bob")
            + packet("set_text", slot=0, kind=14, s2="network") + packet("propose", slot=0)
            + fail_alloc(3) + packet("ack", slot=0, s1="bob")
            + packet("new", slot=1, rec=0, kind=3) + packet("add", slot=1, kind=2, s2="Relay restarted")
            + packet("propose", slot=1) + fail_alloc(2) + packet("reject", slot=1, s1="bob", s2="checked the queue")
            + packet("new", slot=2, rec=0, kind=2) + packet("propose", slot=2)
            + packet("engine_answer", rec=2, s1="carl")
            + packet("new", slot=3, rec=0, kind=5) + packet("deliverable", slot=3, s1="desk", s3="ann", groups=("bob",))
            + packet("status", slot=3, kind=3, s1="desk", s3="bob") + packet("propose", slot=3)
            + fail_store() + packet("ack", slot=3, s1="carl") + packet("ack", slot=3, s1="carl"))


def problems():
    return (open_("incident", summary="payroll batch fails at step 3", service="payroll", category="software",
                  impact=2, urgency=2)
            + fire(0, "start", assignee="ann", assignment_group="desk")
            + fire(0, "resolve", resolution_code="fixed", resolution_notes="restart the service")
            + query(3, kind=5) + problem(0, "open", summary="payroll batch fails at step 3")
            + fire(1, "assess", assignee="bob", category="software") + fire(1, "analyse")
            + fire(1, "identify", cause="payroll batch fails at step 3", workaround="restart the service")
            + problem(1, "change", change_type="standard") + fire(1, "request_change")
            + fire(2, "schedule") + fire(2, "implement", assignee="carl") + fire(2, "complete")
            + fire(2, "close", resolution_code="fixed") + problem(1, "close", code="fix_applied", notes="Relay restarted")
            + open_("problem", summary="cannot print") + problem(3, "close", code="risk_accepted", notes="cannot print")
            + query(2) + query(5, s1="payroll", s2="payroll batch fails at step 3", s3="software"))


def other_kinds():
    return (open_("service_request", summary="cannot print", caller="bob", service="payroll")
            + fire(0, "submit") + fire(0, "approve") + fire(0, "fulfil", assignment_group="desk", assignee="ann")
            + fire(0, "complete", resolution_notes="Relay restarted")
            + fire(0, "close", category="hardware", knowledge_decision="none")
            + open_("change", summary="Mail down", change_type="normal") + fire(1, "assess")
            + fire(1, "authorize", assignee="carl") + fire(1, "schedule") + fire(1, "implement")
            + fire(1, "back_out", resolution_notes="Mail down") + fire(1, "complete")
            + open_("knowledge", summary="Relay restarted", workaround="restart the service")
            + fire(2, "submit") + fire(2, "publish") + fire(2, "retire") + link(0, 1, 2) + link(1, 3, 0))


def outages():
    return (open_("incident", summary="Mail down", service="email", impact=1, urgency=2)
            + outage(0) + open_("incident", summary="cannot print", service="email", impact=3, urgency=3)
            + clock(1800) + tick() + outage(0, end=True)
            + open_("incident", summary="Mail down", service="email")
            + fire(0, "start", assignee="ann", assignment_group="desk")
            + fire(0, "resolve", resolution_code="fixed", resolution_notes="Relay restarted")
            + clock(3 * 86400) + tick())


def faults():
    out = open_("incident", summary="Mail down", impact=2, urgency=1, service="email")
    out += fail_alloc(5) + fire(0, "assign", assignment_group="desk")
    out += fail_store("ECONFLICT") + fire(0, "start", assignee="ann")
    out += fail_alloc(2) + note(0, 2, "Relay restarted", "+1h", "+30m")
    out += clock(8 * 3600) + fail_alloc(4) + tick() + fail_store("EUSER") + tick() + tick()
    out += fail_alloc(1) + link(0, 1, 0) + fail_alloc(3) + open_("problem", summary="cannot print")
    out += fail_alloc(6) + link(0, 1, 1) + fail_store() + major(0, "propose", reason="Mail down")
    out += fail_alloc(9) + major(0, "decide", accept=1, manager="carl")
    out += fail_alloc(2) + fire(0, "resolve", resolution_code="fixed", resolution_notes="Relay restarted")
    out += fail_store("7") + problem(0, "open", summary="cannot print")
    return out


def odd_values():
    return (open_("incident", summary="Mail down", impact=2)
            + open_("incident", summary="", impact=4, urgency=-1, caller="bad\\xff")
            + open_("incident", summary=None, priority="max", opened_at="+1h")
            + update(0, summary="line\nbreak", impact=0, contact_verified=True)
            + fire(0, "explode") + fire(0, "RESOLVE") + fire(0, "resolve ") + fire(0, "")
            + fire(0, "parent_resolved", resolution_code="fixed", resolution_notes="Mail down")
            + note(0, 3, "Mail down") + note(0, 2, "Mail down", "none", "-1h") + link(0, 0, 0)
            + actor("") + actor(" padded ") + actor(None) + clock(-86400) + tick(-86400))


def fulfilment():
    return (open_("service_request", summary="cannot print", caller="bob", service="payroll")
            + request(0, "choose", "new_laptop") + fire(0, "submit") + approval(0, "approve", "carl")
            + fire(0, "approve") + fire(0, "fulfil", assignment_group="desk", assignee="ann")
            + request(0, "assign", "order_laptop", "ann") + request(0, "close", "image_laptop")
            + fail_alloc(2) + request(0, "close", "order_laptop", note="Relay restarted")
            + request(0, "close", "create_account", state=3) + clock(3600) + fail_store()
            + request(0, "close", "image_laptop") + request(0, "close", "image_laptop")
            + fire(0, "close", category="hardware", knowledge_decision="none") + query(10, kind=5) + query(11))


def change_schedule():
    answers = [("users", "few"), ("backout", "tested"), ("experience", "often"), ("outage", "none"),
               ("reach", "one")]
    out = open_("change", summary="Mail down", change_type="normal", service="email") + fire(0, "assess")
    for q, a in answers:
        out += risk(0, q, a)
    out += approval(0, "approve", "bob", comment="cannot print") + fail_alloc(3) + approval(0, "approve", "carl")
    out += fire(0, "authorize", assignee="ann") + plan(0, "+1d", "+3d") + fire(0, "schedule")
    out += plan(0, "+1h", "+1d") + fire(0, "schedule")
    out += open_("change", summary="cannot print", change_type="emergency", service="email") + fire(1, "assess")
    for q, a in answers:
        out += risk(1, q, a)
    out += approval(1, "delegate", "carl", to="bob") + approval(1, "reject", "bob", comment="Mail down")
    out += plan(1, "+15m", "+30m") + query(8, rec=0) + query(7, kind=16) + query(9, kind=1)
    return out


def recurrence():
    rows = []
    for _ in range(3):
        rows += open_("incident", summary="Mail down", service="email", category="software")
    rows += query(11) + fail_alloc(4) + accept(2, summary="Mail down") + accept(2, summary="Mail down")
    for _ in range(3):
        rows += open_("incident", summary="Mail down", service="email", category="software", impact=1,
                      urgency=1)
    rows += fail_store() + dismiss(5, "checked the queue") + dismiss(5, "checked the queue") + dismiss(5, "x")
    rows += clock(3600) + tick() + query(9, kind=1) + query(10, kind=5) + query(11)
    return rows


def satisfaction():
    return (open_("incident", summary="Mail down", service="email", impact=3, urgency=3)
            + fire(0, "start", assignee="ann", assignment_group="desk")
            + fire(0, "resolve", resolution_code="fixed", resolution_notes="Relay restarted", category="software")
            + survey(0, 4) + update(0, knowledge_decision="linked") + fire(0, "confirm")
            + fail_alloc(2) + survey(0, 4, "Relay restarted") + survey(0, 5) + survey(0, 6)
            + query(10, kind=0) + query(10, kind=6))


def oncall():
    return (alert("desk", summary="Mail down", service="email")
            + alert("desk", summary="Mail down", service="email") + alert("ann", summary="Mail down", service="email")
            + clock(600) + tick() + ack(0, "carl") + fail_alloc(2) + ack(0, "bob") + ack(0, "ann")
            + alert("bob", "payroll", summary="payroll batch fails at step 3") + clock(3600) + tick()
            + fail_store() + page(1) + open_("incident", summary="Mail down", service="email", impact=3, urgency=3)
            + page(2, "carl") + page(2) + page(2, "desk") + fire(1, "start", assignee="ann", assignment_group="desk")
            + fire(1, "resolve", resolution_code="fixed", resolution_notes="Relay restarted", category="software")
            + ack(1, "ann") + alert("bob", "payroll", summary="payroll batch fails at step 3") + clock(86400) + tick())


# The post-incident review rides on op "major" with sub >= 200, the call
# chosen by sub % 6 (api_calls.c): action s1, text or note s2, owner s3
# (kept by add_action when kind & 1), due t1.
REVIEW_SUBS = {"open": 204, "cause": 205, "action": 200, "assign": 201, "done": 202, "complete": 203}


def review(rec, sub, action=None, txt=None, owner=None, due="none"):
    return op("major", REVIEW_SUBS[sub], rec) + common(kind=1 if owner else 0, s1=action, s2=txt, s3=owner, t1=due)


def post_incident_review():
    return (open_("incident", summary="Mail down", service="email", impact=1, urgency=1)
            + review(0, "open") + major(0, "decide", accept=1, manager="carl")
            + review(0, "open") + review(0, "open") + review(0, "cause", txt="Relay restarted")
            + review(0, "cause", txt="")
            + review(0, "action", action="network", txt="restart the service", due="+1d")
            + review(0, "action", action="desk", txt="checked the queue", owner="ann", due="+3d")
            + review(0, "action", action="x", txt="cannot print", due="-1h")
            + review(0, "action", action="desk", txt="cannot print", due="+1d")
            + review(0, "complete") + review(0, "done", action="network")
            + review(0, "assign", action="network", owner="bob") + review(0, "assign", action="payroll", owner="bob")
            + fail_alloc(2) + review(0, "done", action="desk", txt="checked the queue")
            + clock(86400) + tick() + clock(3 * 86400) + tick()
            + review(0, "done", action="network") + review(0, "done", action="network")
            + fail_store() + review(0, "complete") + review(0, "complete") + review(0, "complete")
            + review(0, "cause", txt="cannot print"))


STORIES = {
    "incident_life": incident_life, "sla_clocks": sla_clocks, "major_incident": major_incident,
    "handovers": handovers, "problems": problems, "other_kinds": other_kinds, "outages": outages,
    "faults": faults, "odd_values": odd_values, "fulfilment": fulfilment, "change_schedule": change_schedule,
    "recurrence": recurrence, "satisfaction": satisfaction, "oncall": oncall,
    "post_incident_review": post_incident_review,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/api"
    os.makedirs(out, exist_ok=True)
    for name, story in STORIES.items():
        data = bytes(b & 0xff for b in story())
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
