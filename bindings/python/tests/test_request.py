# SPDX-License-Identifier: Apache-2.0
"""Request fulfilment (request.h): a service request's catalogue item and
its tasks, every call of the binding."""
import datetime as dt
import json
import unittest

from _support import Clock, itsm
from itsm.request import task_state_name

CATALOGUE = [
    {"name": "new_laptop", "tasks": [
        {"name": "order_laptop", "group": "procurement", "step": 1, "priority": 3, "ola_minutes": 2880},
        {"name": "create_account", "group": "identity", "step": 1, "priority": 2, "ola_minutes": 240},
        {"name": "image_laptop", "group": "desktop", "step": 2}]},
    {"name": "software_install", "tasks": [{"name": "install", "group": "desktop", "ola_minutes": 60}]},
]


def catalogue_policy() -> "itsm.Policy":
    with itsm.Policy() as default:
        doc = json.loads(default.to_json())
    doc["fulfilment"]["catalogue"] = CATALOGUE
    return itsm.Policy.from_json(json.dumps(doc))


class RequestTestCase(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        with catalogue_policy() as pol:
            self.eng = itsm.Engine(policy=pol, clock=self.clock, actor="pia")

    def tearDown(self):
        self.eng.close()

    def in_fulfilment(self, id, item=None):
        req = self.eng.open("service_request", id=id, summary="A laptop", caller="pia", service="workplace")
        if item:
            req.choose_item(item)
        req.fire("submit")
        req.approve("mia")
        req.fire("approve")
        req.fire("fulfil", assignment_group="service_desk", assignee="fay")
        return req

    def test_tasks_open_step_by_step_and_the_last_completes_the_request(self):
        req = self.in_fulfilment("REQ1", "new_laptop")
        self.assertEqual(req.item, "new_laptop")
        tasks = req.tasks
        self.assertEqual([t.name for t in tasks], ["order_laptop", "create_account", "image_laptop"])
        self.assertEqual([t.state for t in tasks], ["open", "open", "waiting"])
        order = tasks[0]
        self.assertIsInstance(order, itsm.Task)
        self.assertEqual((order.group, order.step, order.priority, order.ola_minutes), ("procurement", 1, 3, 2880))
        self.assertEqual(order.due - order.opened_at, dt.timedelta(minutes=2880))
        self.assertIsNone(tasks[2].opened_at)
        self.assertIsNone(tasks[2].due)
        self.assertFalse(order.closed)
        with self.assertRaises(itsm.GuardFailed) as cm:
            req.fire("complete", resolution_notes="Handed over")
        self.assertIn("every task closed: 3 of 3 tasks of REQ1 open", str(cm.exception))
        self.assertIs(req.assign_task("create_account", "ida"), req)
        self.assertEqual(req.tasks[1].assignee, "ida")
        self.clock.advance(hours=5)
        req.close_task("create_account", note="Mailbox ready")
        self.assertTrue(req.tasks[1].breached)
        req.close_task("order_laptop", "canceled")
        self.assertEqual(req.tasks[1].state, "done")
        self.assertEqual(req.tasks[0].state, "canceled")
        self.assertEqual(req.tasks[2].state, "open")
        req.close_task("image_laptop")
        self.assertEqual(req.state, "fulfilled")
        self.assertTrue(all(t.closed for t in req.tasks))

    def test_every_refusal_raises_its_error(self):
        req = self.eng.open("service_request", id="REQ1", summary="A laptop", caller="pia", service="workplace")
        with self.assertRaises(itsm.NotFound) as cm:
            req.choose_item("espresso_machine")
        self.assertIn("(items: new_laptop, software_install)", str(cm.exception))
        inc = self.eng.open("incident", id="INC1", summary="Mail down")
        with self.assertRaises(itsm.InvalidArgument):
            inc.choose_item("new_laptop")
        self.assertIsNone(inc.item)
        self.assertEqual(inc.tasks, [])
        req = self.in_fulfilment("REQ2", "new_laptop")
        with self.assertRaises(itsm.StateError):
            req.choose_item("software_install")
        with self.assertRaises(itsm.StateError) as cm:
            req.close_task("image_laptop")
        self.assertIn("waits for step 1", str(cm.exception))
        with self.assertRaises(itsm.NotFound):
            req.close_task("reboot")
        with self.assertRaises(itsm.NotFound):
            req.assign_task("reboot", "ida")
        with self.assertRaises(itsm.InvalidArgument):
            req.close_task("order_laptop", "open")
        with self.assertRaises(itsm.InvalidArgument):
            req.close_task("order_laptop", note="  ")
        req.close_task("order_laptop")
        with self.assertRaises(itsm.StateError):
            req.close_task("order_laptop")
        req.fire("cancel")
        self.assertEqual([t.state for t in req.tasks], ["done", "canceled", "canceled"])
        with self.assertRaises(itsm.StateError):
            req.assign_task("image_laptop", "ida")

    def test_task_state_names(self):
        self.assertEqual([task_state_name(i) for i in range(4)], ["waiting", "open", "done", "canceled"])
        self.assertIsNone(task_state_name(4))

    def test_the_catalogue_round_trips(self):
        with catalogue_policy() as pol:
            doc = json.loads(pol.to_json())
        self.assertEqual(doc["fulfilment"]["state"], "fulfilling")
        self.assertEqual(doc["fulfilment"]["catalogue"][1]["tasks"][0],
                         {"name": "install", "group": "desktop", "step": 1, "priority": None, "ola_minutes": 60})
        doc["fulfilment"]["catalogue"][0]["tasks"][2]["step"] = 4
        with self.assertRaises(itsm.ParseError):
            itsm.Policy.from_json(json.dumps(doc))


if __name__ == "__main__":
    unittest.main()
