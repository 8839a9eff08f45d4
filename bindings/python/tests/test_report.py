# SPDX-License-Identifier: Apache-2.0
"""Reports (report.h)."""
import csv
import datetime as dt
import gc
import io
import json
import unittest

from _support import UTC, T0, Clock, itsm

WEEK = dt.timedelta(days=7)


def desk(clock):
    eng = itsm.Engine(clock=clock, actor="desk")
    for i, (cat, imp) in enumerate((("network", 1), ("network", 3), ("email", 2), (None, 3))):
        fields = dict(summary=f"case {i}", impact=imp, urgency=2)
        if cat:
            fields["category"] = cat
        inc = eng.open("incident", **fields)
        if i < 2:
            clock.advance(minutes=10)
            inc.fire("start", assignment_group="desk", assignee="ann")
            clock.advance(hours=1)
            inc.fire("resolve", resolution_code="fixed", resolution_notes="done")
    eng.open("change", summary="c")
    with eng.find("INC-000001").packet("shift", sender_group="desk") as p:
        p.propose()
    return eng


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.eng = desk(self.clock)

    def tearDown(self):
        self.eng.close()

    def test_figures(self):
        with self.eng.report(T0, T0 + WEEK, kinds=["incident"]) as rep:
            self.assertIsInstance(rep, itsm.Report)
            self.assertEqual((rep.start, rep.end), (T0, T0 + WEEK))
            self.assertEqual(rep.calendar, "24x7")
            self.assertEqual(rep.total, 4)
            self.assertEqual(rep.by_kind["incident"], 4)
            self.assertEqual(rep.by_kind["change"], 0)
            self.assertEqual(rep.by_state[("incident", "resolved")], 2)
            self.assertEqual(rep.by_category, {None: 1, "email": 1, "network": 2})
            self.assertEqual(sum(rep.by_priority.values()), 4)
            res = rep.duration("resolve_wall")
            self.assertEqual(res.count, 2)
            self.assertEqual(res.p50, dt.timedelta(hours=1, minutes=10))
            self.assertEqual(res.p99, res.max)   # of two, the 99th is the larger
            self.assertEqual(set(rep.durations), {"respond_wall", "respond_work",
                                                  "resolve_wall", "resolve_work",
                                                  "approval_wall", "approval_work"})
            f = rep.figures
            self.assertEqual((f.resolved, f.first_contact), (2, 2))
            self.assertEqual(f.first_contact_rate, 1.0)
            self.assertEqual(rep.sla.tracked, 4)
            self.assertEqual(rep.senders, [itsm.SenderFigures("desk", 1, rep.senders[0].mean_score,
                                                              rep.senders[0].complete)])
            self.assertEqual(sum(rep.aging.values()), 4)   # resolved is still open
            self.assertEqual(list(rep.aging)[1], dt.timedelta(days=1))
            self.assertEqual(rep.trends[0].week, dt.datetime(2024, 3, 4, tzinfo=UTC))
            self.assertEqual(sum(t.opened for t in rep.trends), 4)

    def test_json_and_csv(self):
        rep = self.eng.report(now=T0 + dt.timedelta(days=2))
        data = json.loads(rep.to_json())
        self.assertEqual(data, rep.data)
        self.assertEqual(data["total"], 5)
        self.assertEqual(rep.now, T0 + dt.timedelta(days=2))
        self.assertEqual(rep.to_json(), rep.to_json())
        text = rep.to_csv()
        self.assertTrue(text.startswith("section,key,subkey,value\r\n"))
        rows = list(csv.reader(io.StringIO(text, newline="")))
        self.assertIn(["total", "", "", "5"], rows)
        rep.close()
        with self.assertRaises(itsm.StateError):
            rep.total

    def test_report_outlives_the_engine(self):
        rep = self.eng.report()
        before = rep.to_json()
        self.eng.open("incident", summary="later")
        self.eng.close()
        gc.collect()
        self.assertEqual(rep.to_json(), before)
        del rep
        gc.collect()

    def test_failing_reports(self):
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.report(T0 + WEEK, T0)                    # to <= from
        with self.assertRaises(itsm.NotFound):
            self.eng.report(calendar="nope")
        with self.assertRaises(itsm.InvalidArgument):
            self.eng.report(kinds=["gadget"])
        with self.eng.report() as rep:
            with self.assertRaises(itsm.InvalidArgument):
                rep.duration("lunch")
        self.eng.close()
        with self.assertRaises(itsm.StateError):
            self.eng.report()


if __name__ == "__main__":
    unittest.main()
