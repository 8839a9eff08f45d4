# SPDX-License-Identifier: Apache-2.0
"""Conditions (condition.h): checked against a policy, evaluated on a record."""
import unittest

from _support import Clock, itsm


class ConditionTest(unittest.TestCase):
    def test_a_record_answers_a_condition(self):
        with itsm.Engine(clock=Clock()) as eng:
            rec = eng.open("incident", summary="Mail down", impact=1, urgency=2, service="Payroll")
            self.assertTrue(rec.condition("kind == 'incident' and priority <= 2 and service in ('Payroll')"))
            self.assertTrue(rec.condition("state == 'new' and hold_reason == null and not major"))
            self.assertFalse(rec.condition("priority == 1"))

    def test_bad_conditions_name_line_and_column(self):
        with itsm.Policy() as pol:
            pol.check_condition("state in ('resolved', 'closed') or reassignments > 2")
            with self.assertRaises(itsm.ParseError) as cm:
                pol.check_condition("priority <= 2 and\n  servce == 'Mail'")
            self.assertEqual((cm.exception.line, cm.exception.column), (2, 3))
            self.assertIn("unknown name 'servce'", str(cm.exception))
            with self.assertRaises(itsm.ParseError):
                pol.check_condition("state == 'resovled'")


if __name__ == "__main__":
    unittest.main()
