# SPDX-License-Identifier: Apache-2.0
"""The binding's types say what it does: typed record fields and timeline
entries, real signatures, and the value rules behind them (naive datetimes
refused, bool is not a number).  mypy --strict itself runs as the ctest
python_mypy_strict (tests/check_types.py)."""
import datetime as dt
import inspect
import os
import pydoc
import typing
import unittest

from _support import T0, Clock, itsm

from itsm import _ffi
from itsm._fields import EngineField, Field


class FieldDeclarationTest(unittest.TestCase):
    def test_every_library_field_has_a_typed_declaration(self):
        for name, info in itsm.FIELDS.items():
            attr = itsm.Record.__dict__.get(name)
            for klass in itsm.Record.__mro__:
                if name in klass.__dict__:
                    attr = klass.__dict__[name]
                    break
            self.assertIsInstance(attr, EngineField, f"field '{name}' has no typed declaration")
            self.assertEqual(isinstance(attr, Field), not info.engine_owned, name)

    def test_engine_fields_have_no_setter(self):
        with itsm.Engine(clock=Clock()) as eng:
            inc = eng.open("incident")
            with self.assertRaises(AttributeError):
                inc.opened_at = T0  # type: ignore[misc]

    def test_field_values_have_their_declared_types(self):
        with itsm.Engine(clock=Clock()) as eng:
            inc = eng.open("incident", summary="s", impact=1, urgency=1, contact_verified=True)
            self.assertIsInstance(inc.priority, int)
            self.assertIsInstance(inc.summary, str)
            self.assertIs(inc.contact_verified, True)
            self.assertIsInstance(inc.opened_at, dt.datetime)
            self.assertIsNone(inc.category)
            self.assertEqual(inc.reopens, 0)

    def test_packet_slot_declarations_match_the_library_tables(self):
        import itsm.handover as handover
        with open(handover.__file__, encoding="utf-8") as f:
            source = f.read()
        for name in _ffi.PACKET_TEXTS:
            self.assertIn(f"        {name}: Optional[str]\n", source, name)
        for name in _ffi.PACKET_LISTS:
            self.assertIn(f"        {name} = PacketListSlot(\"{name}\")\n", source, name)

    def test_a_packet_list_reads_as_a_live_list_and_assigns_from_entries(self):
        from itsm.handover import PacketListSlot
        self.assertIsInstance(itsm.Packet.actions, PacketListSlot)
        self.assertIn("assigning entries replaces it", itsm.Packet.actions.__doc__)


class SignatureTest(unittest.TestCase):
    def test_help_shows_real_signatures(self):
        text = pydoc.render_doc(itsm.Record, renderer=pydoc.plaintext)
        self.assertNotIn("*a, **kw", text)
        self.assertIn("priority", text)
        self.assertIn("int 1..5", text)
        for cls in (itsm.Record, itsm.Packet, itsm.Report):
            self.assertNotIn("*a", str(inspect.signature(cls)), cls)
        sig = inspect.signature(itsm.Engine)
        self.assertIn("clock", sig.parameters)
        self.assertNotEqual(sig.parameters["clock"].annotation, inspect.Parameter.empty)

    def test_timeline_entries_are_typed(self):
        hints = typing.get_type_hints(itsm.TimelineEntry)
        self.assertEqual(hints["at"], dt.datetime)
        self.assertEqual(hints["kind"], typing.Optional[str])   # None for an event that is not a note
        self.assertEqual(hints["changes"], tuple[itsm.FieldChange, ...])
        self.assertNotIn(typing.Any, hints.values())

    def test_missing_checklist_items_are_typed_as_names(self):
        for cls in (itsm.Completeness, itsm.QualityEntry):
            self.assertEqual(typing.get_type_hints(cls)["missing"], tuple[str, ...], cls)

    def test_no_module_of_the_package_is_exempt_from_mypy(self):
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with open(os.path.join(root, "pyproject.toml"), encoding="utf-8") as f:
            config = f.read()
        self.assertNotIn("ignore_errors", config)
        self.assertNotIn("[[tool.mypy.overrides]]", config)


class ValueRuleTest(unittest.TestCase):
    def setUp(self):
        self.eng = itsm.Engine(clock=Clock())
        self.inc = self.eng.open("incident")

    def tearDown(self):
        self.eng.close()

    def test_bool_is_not_a_number(self):
        for name in ("impact", "urgency", "priority", "functional_level"):
            with self.assertRaises(TypeError, msg=name):
                self.inc.update(**{name: True})
        with self.assertRaises(TypeError):
            self.eng.open("incident", impact=True)
        self.assertIsNone(self.inc.impact)

    def test_a_bool_field_takes_a_bool(self):
        self.inc.update(contact_verified=True)
        self.assertIs(self.inc.contact_verified, True)
        with self.assertRaises(TypeError):
            self.inc.update(contact_verified=1)

    def test_naive_datetime_is_refused_everywhere_a_time_goes_in(self):
        naive = dt.datetime(2024, 3, 4, 9, 0)
        before = self.inc.revision
        with self.assertRaises(TypeError) as cm:
            self.inc.add_note("update", kind="customer", expected_restoration=naive,
                              next_update=T0)
        self.assertIn("naive datetime", str(cm.exception))
        with self.assertRaises(TypeError):
            self.eng.tick(naive)
        with self.assertRaises(TypeError):
            self.inc.timer("resolution", now=naive)
        self.assertEqual(self.inc.revision, before)

    def test_epoch_seconds_as_float_are_whole_seconds(self):
        self.assertEqual(self.eng.tick(T0.timestamp() + 0.9), 0)


if __name__ == "__main__":
    unittest.main()
