# SPDX-License-Identifier: Apache-2.0
"""Symbols (engine.h, itsm_engine_symbol): a host checks a service, group or
actor name as the engine takes it, before using it - the PHP binding's
Engine::symbol(), with the same refusals (tests/AuditTest.php)."""
import unittest

from _support import itsm


class SymbolTest(unittest.TestCase):
    def setUp(self):
        self.eng = itsm.Engine()

    def tearDown(self):
        self.eng.close()

    def test_symbols_are_checked_and_given_back(self):
        self.assertEqual(self.eng.symbol("payroll"), "payroll")
        self.assertEqual(self.eng.symbol("\u00e9t\u00e9"), "\u00e9t\u00e9")
        self.assertEqual(self.eng.symbol("s" * 255), "s" * 255)     # the longest
        inc = self.eng.open("incident", summary="x", service=self.eng.symbol("payroll"))
        self.assertEqual(inc.service, "payroll")

    def test_bad_symbols_are_refused_with_the_library_code(self):
        for bad in ("", "a\x01b", "a\0b", "lone \ud800 surrogate", "tab\there"):
            with self.subTest(symbol=bad):
                with self.assertRaises(itsm.InvalidArgument) as cm:
                    self.eng.symbol(bad)
                self.assertEqual(cm.exception.code, itsm.InvalidArgument.code)
                self.assertTrue(str(cm.exception))
        with self.assertRaises(itsm.LimitExceeded):
            self.eng.symbol("s" * 256)
        with self.assertRaises(itsm.LimitExceeded):
            self.eng.symbol("\u00e9" * 128)      # 256 bytes in 128 characters
        with self.assertRaises(TypeError):
            self.eng.symbol(7)  # type: ignore[arg-type]

    def test_a_closed_engine_refuses(self):
        self.eng.close()
        with self.assertRaises(itsm.StateError):
            self.eng.symbol("payroll")


if __name__ == "__main__":
    unittest.main()
