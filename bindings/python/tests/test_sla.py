# SPDX-License-Identifier: Apache-2.0
"""Service levels (sla.h): calendars, SLA/OLA policy sections, timers, the
tick, aging."""
import datetime as dt
import unittest

from _support import UTC, T0, Clock, itsm
from itsm.stores import MemoryStore

H = dt.timedelta(hours=1)


def office_policy() -> itsm.Policy:
    pol = itsm.Policy()
    pol.set_calendar("office", hours={d: ("09:00", "17:00") for d in range(5)},
                     holidays=[dt.date(2024, 3, 5)])
    pol.set_sla("gold", response=[15 * 60] * 5, resolution={1: 2 * H, 2: 4 * H, 3: 8 * H,
                                                              4: 16 * H, 5: 40 * H},
                calendar="office")
    pol.set_service_sla("payroll", "gold")
    return pol


class CalendarTest(unittest.TestCase):
    def test_working_time_skips_nights_weekends_and_holidays(self):
        with office_policy() as pol:
            # Monday 08:00 .. Wednesday 12:00, Tuesday a holiday: 8 h + 3 h
            self.assertEqual(pol.calendar_work("office", dt.datetime(2024, 3, 4, 8, tzinfo=UTC),
                                               dt.datetime(2024, 3, 6, 12, tzinfo=UTC)),
                             dt.timedelta(hours=11))
            # Friday 16:00 + 2 working hours -> Monday 10:00
            self.assertEqual(pol.calendar_add("office", dt.datetime(2024, 3, 8, 16, tzinfo=UTC),
                                              2 * H),
                             dt.datetime(2024, 3, 11, 10, tzinfo=UTC))
            self.assertEqual(pol.calendar_work("24x7", T0, T0 + H), H)

    def test_zone_with_daylight_saving_and_several_spans(self):
        with itsm.Policy() as pol:
            pol.set_calendar("paris", zone="CET-1CEST,M3.5.0,M10.5.0/3",
                             hours={d: [("09:00", "12:00"), ("13:00", "17:00")] for d in range(5)},
                             holidays=["Dec 25", "last Mon May"])
            # a summer Monday 07:00Z is 09:00 CEST: one working hour later is 08:00Z
            self.assertEqual(pol.calendar_add("paris", dt.datetime(2026, 6, 1, 7, tzinfo=UTC), H),
                             dt.datetime(2026, 6, 1, 8, tzinfo=UTC))
            # lunch is not working time
            self.assertEqual(pol.calendar_add("paris", dt.datetime(2026, 6, 1, 9, tzinfo=UTC), 2 * H),
                             dt.datetime(2026, 6, 1, 12, tzinfo=UTC))
            self.assertEqual(pol.calendar_utc_offset("paris", dt.datetime(2026, 1, 5, tzinfo=UTC)), H)
            self.assertEqual(pol.calendar_work("paris", dt.datetime(2026, 5, 25, tzinfo=UTC),
                                               dt.datetime(2026, 5, 26, tzinfo=UTC)), dt.timedelta(0))
            self.assertIn('"zone":"CET-1CEST,M3.5.0,M10.5.0/3"', pol.to_json())
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_calendar("bad", zone="CET-1CEST", hours=[("09:00", "17:00")] * 7)

    def test_zone_rule_from_tzif_bytes(self):
        def block():
            head = b"TZif2" + bytes(15) + bytes(4 * 4) + (1).to_bytes(4, "big") + (4).to_bytes(4, "big")
            return head + bytes(6) + b"UTC\0"
        data = block() + block() + b"\nEST5EDT,M3.2.0,M11.1.0\n"
        self.assertEqual(itsm.zone_from_tzif(data), "EST5EDT,M3.2.0,M11.1.0")
        with self.assertRaises(itsm.ParseError):
            itsm.zone_from_tzif(data[:-1])
        with self.assertRaises(itsm.NotFound):
            itsm.zone_from_tzif(block() + block() + b"\n\n")

    def test_calendar_in_the_document_and_the_engine(self):
        with office_policy() as pol, itsm.Engine(policy=pol) as eng:
            doc = pol.to_json()
            self.assertIn('"office"', doc)
            self.assertEqual(eng.calendar_add("office", dt.datetime(2024, 3, 8, 16, tzinfo=UTC),
                                              3600), dt.datetime(2024, 3, 8, 17, tzinfo=UTC))
            with itsm.Policy.from_json(doc) as again:
                self.assertEqual(again.calendar_work("office", T0, T0 + 8 * H),
                                 dt.timedelta(hours=8))

    def test_unknown_calendar_raises_not_found(self):
        with itsm.Policy() as pol:
            with self.assertRaises(itsm.NotFound):
                pol.calendar_work("nope", T0, T0 + H)
            with self.assertRaises(itsm.NotFound):
                pol.set_sla("x", resolution=[H] * 5, calendar="nope")

    def test_bad_calendar_raises_invalid_argument_with_the_message(self):
        with itsm.Policy() as pol:
            with self.assertRaises(itsm.InvalidArgument) as cm:
                pol.set_calendar("Bad Name!", hours=[("09:00", "17:00")] * 7)
            self.assertTrue(str(cm.exception))
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_calendar("empty", hours=[None] * 7)    # a week with no working time
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_warnings([900, 500])                    # not ascending


class TimerTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.pol = office_policy()
        self.eng = itsm.Engine(policy=self.pol, clock=self.clock, actor="desk")
        self.pol.close()

    def tearDown(self):
        self.eng.close()

    def test_timers_follow_the_service_sla_and_its_calendar(self):
        inc = self.eng.open("incident", summary="Payroll down", service="payroll",
                            impact=2, urgency=2)
        self.assertEqual(inc.sla, "gold")
        res = inc.timer("resolution")
        self.assertIsInstance(res, itsm.Timer)
        self.assertEqual(res.status, "running")
        self.assertEqual(res.calendar, "office")
        self.assertEqual(res.target, dt.timedelta(hours=8))       # P3 in the default matrix
        self.assertEqual(res.due.tzinfo, UTC)
        self.clock.advance(hours=1)
        later = inc.timer("resolution")
        self.assertEqual(later.elapsed, H)
        self.assertEqual(later.remaining, res.remaining - H)
        self.assertEqual(set(inc.timers), {"response", "resolution", "ola", "next_update"})
        # as of an explicit time
        self.assertEqual(inc.timer("resolution", now=T0).elapsed, dt.timedelta(0))

    def test_set_sla_by_hand(self):
        inc = self.eng.open("incident", summary="Mail down", service="mail", impact=1, urgency=1)
        self.assertEqual(inc.sla, "standard")
        inc.sla = "gold"
        self.assertEqual(inc.sla, "gold")
        inc.set_sla(None)
        self.assertEqual(inc.sla, "standard")
        with self.assertRaises(itsm.NotFound):
            inc.sla = "platinum"

    def test_tick_fires_breaches_and_a_late_tick_records_the_deadline(self):
        events = []
        with itsm.Engine(clock=self.clock, sink=events.extend) as eng:
            inc = eng.open("incident", summary="x", service="mail", impact=3, urgency=3)
            due = inc.timer("resolution").due
            self.assertLessEqual(eng.next_deadline, min(t.due for t in inc.timers.values() if t.due))
            self.assertGreater(eng.next_deadline, T0)   # the 75% warning comes first
            self.assertEqual(eng.tick(T0), 0)
            fired = eng.tick(due + dt.timedelta(days=3))
            self.assertGreater(fired, 0)
            self.assertTrue(inc.timer("resolution", now=due + H).breached)
            breach = [e for e in events if e.type == "sla_breach"]
            self.assertTrue(breach)
            self.assertIn(due, [e.time for e in breach])

    def test_tick_store_failure_keeps_the_timer_queued(self):
        class Flaky(MemoryStore):
            fail = False

            def append(self, events):
                if self.fail:
                    raise itsm.StoreError("disk full")
                super().append(events)
        store = Flaky()
        with itsm.Engine(clock=self.clock, store=store) as eng:
            inc = eng.open("incident", summary="x", impact=3, urgency=3)
            rev = inc.revision
            store.fail = True
            with self.assertRaises(itsm.StoreError):
                eng.tick(T0 + dt.timedelta(days=30))
            self.assertEqual(inc.revision, rev)
            store.fail = False
            self.assertGreater(eng.tick(T0 + dt.timedelta(days=30)), 0)

    def test_tick_rejects_bad_time(self):
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.tick(-5)
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.open("incident", summary="x").timer("sideways")

    def test_aging_by_age_and_by_breach(self):
        a = self.eng.open("incident", summary="old", impact=3, urgency=3)
        self.clock.advance(hours=2)
        b = self.eng.open("incident", summary="new", impact=1, urgency=1)
        self.eng.open("change", summary="untracked")
        by_age = self.eng.aging("age")
        self.assertEqual(by_age[0].record, a)
        self.assertEqual(by_age[0].age, dt.timedelta(hours=2))
        by_breach = self.eng.aging("breach", limit=1)
        self.assertEqual(len(by_breach), 1)
        self.assertEqual(by_breach[0].record, b)
        self.assertIsInstance(by_breach[0].time_left, dt.timedelta)
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.aging("alphabetical")

    def test_ola_pause_and_warnings_sections(self):
        pol = itsm.Policy()
        pol.set_ola("network", dt.timedelta(minutes=30))
        pol.set_pause("awaiting_vendor", ["resolution", "ola"])
        pol.set_warnings([500, 900])
        pol.set_default_sla("standard")
        with self.assertRaises(itsm.NotFound):
            pol.set_default_sla("nope")
        with self.assertRaises(itsm.InvalidArgument):
            pol.set_pause("x", ["sideways"])
        with itsm.Engine(policy=pol, clock=self.clock) as eng:
            inc = eng.open("incident", summary="x", impact=2, urgency=2)
            inc.fire("assign", assignment_group="network")
            self.assertEqual(inc.timer("ola").target, dt.timedelta(minutes=30))
        pol.close()


    @unittest.skipUnless(getattr(itsm._ffi, "itsm_policy_set_sla_stop_states", None),
                         "library without itsm_policy_set_sla_stop_states")
    def test_stop_states_and_ola_climb(self):
        with itsm.Policy() as pol:
            pol.set_sla_stop_states(["resolved", "on_hold"])
            pol.set_ola_climb(False)
            self.assertIn('"stop_states"', pol.to_json())
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_sla_stop_states(["x"] * 9)
            with self.assertRaises(itsm.InvalidArgument):
                pol.set_sla_stop_states(["resolved", "resolved"])


if __name__ == "__main__":
    unittest.main()
