# SPDX-License-Identifier: Apache-2.0
"""On-call escalation and alert intake (oncall.h): escalation policies,
pages climbing at the tick, acknowledgement, alerts deduplicated and
grouped, every call of the binding."""
import datetime as dt
import json
import unittest

from _support import T0, Clock, itsm

MIN = dt.timedelta(minutes=1)


def oncall_policy():
    pol = itsm.Policy()
    pol.add_oncall("db_primary", [(["alice"], 15), (["bob", "dba_leads"], 30)], repeat=1,
                   services=["database"], max_priority=3)
    pol.set_alert_window(10)
    return pol


class OncallTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.store = itsm.stores.MemoryStore()
        self.pol = oncall_policy()
        self.eng = itsm.Engine(policy=self.pol, clock=self.clock, actor="monitor", store=self.store)

    def tearDown(self):
        self.eng.close()
        self.pol.close()

    def alert(self, key, **fields):
        fields.setdefault("summary", "Disk full")
        fields.setdefault("service", "database")
        fields.setdefault("impact", 2)
        fields.setdefault("urgency", 2)
        return self.eng.ingest_alert(key, fields=fields)

    def test_the_policy_round_trips(self):
        doc = json.loads(self.pol.to_json())
        self.assertEqual(doc["oncall"]["group_window"], 10)
        self.assertEqual(doc["oncall"]["policies"][0]["steps"][1],
                         {"targets": ["bob", "dba_leads"], "ack_timeout": 30})
        with self.assertRaises(itsm.AlreadyExists) as e:
            self.pol.add_oncall("db_primary", [(["x"], 5)])
        self.assertIn("already", str(e.exception))
        with self.assertRaises(itsm.InvalidArgument) as e:
            self.pol.set_alert_window(1441)
        self.assertIn("0..1440 minutes", str(e.exception))

    def test_an_alert_opens_an_incident_that_pages_and_climbs(self):
        inc, how = self.alert("db1/disk")
        self.assertEqual(how, "opened")
        self.assertEqual(inc.alert_count, 1)
        o = inc.oncall
        self.assertEqual((o.status, o.policy, o.step, o.round, o.pages), ("paging", "db_primary", 1, 1, 1))
        self.assertEqual(o.due, T0 + 15 * MIN)
        self.clock.advance(minutes=2)
        same, how = self.alert("db1/disk")
        self.assertEqual((same.id, how), (inc.id, "duplicate"))
        other, how = self.alert("db1/cpu")
        self.assertEqual((other.id, how), (inc.id, "grouped"))
        self.assertEqual(inc.alert_count, 3)
        self.clock.advance(minutes=13)
        self.eng.tick()
        self.assertEqual(inc.oncall.step, 2)
        with self.assertRaises(itsm.InvalidArgument) as e:
            inc.acknowledge_page("mallory")
        self.assertIn("mallory is not a target of escalation policy 'db_primary'", str(e.exception))
        inc.acknowledge_page("dba_leads")
        self.assertEqual(inc.oncall.status, "acknowledged")
        self.assertEqual(inc.oncall.acked_by, "dba_leads")
        with self.assertRaises(itsm.AlreadyExists):
            inc.acknowledge_page("alice")
        types = [json.loads(e)["type"] for e in self.store.events]
        self.assertEqual(types.count("page"), 2)
        self.assertIn("page_acknowledged", types)
        self.assertEqual(types.count("alert_received"), 3)
        # the events replay into an equal engine
        with itsm.Engine(policy=self.pol) as e2:
            e2.replay(self.store.events)
            r2 = e2.find(inc.id)
            self.assertEqual(r2.oncall, inc.oncall)
            self.assertEqual(r2.alert_count, 3)

    def test_paging_by_hand_and_its_refusals(self):
        inc = self.eng.open("incident", summary="Mail slow", service="mail", impact=3, urgency=3)
        self.assertIsNone(inc.oncall)
        with self.assertRaises(itsm.StateError):
            inc.acknowledge_page("alice")
        with self.assertRaises(itsm.NotFound):
            inc.page("nobody")
        inc.page("db_primary")
        self.assertEqual(inc.oncall.status, "paging")
        with self.assertRaises(itsm.AlreadyExists):
            inc.page("db_primary")
        self.eng.tick(T0 + dt.timedelta(hours=3))
        self.assertEqual(inc.oncall.status, "exhausted")
        self.assertEqual(inc.oncall.pages, 4)


if __name__ == "__main__":
    unittest.main()
