# SPDX-License-Identifier: Apache-2.0
"""Policy versions (docs/policy.md, "Versions"): identity, adoption, and a
store reloaded under the version in force for each event."""
import datetime as dt
import unittest

from _support import T0, Clock, itsm
from itsm.stores import MemoryStore

H = dt.timedelta(hours=1)


def p2_within(hours: int, name: str) -> itsm.Policy:
    pol = itsm.Policy()
    pol.set_sla("standard", response=[4 * 3600] * 5,
                resolution={1: 48 * H, 2: hours * H, 3: 48 * H, 4: 48 * H, 5: 48 * H})
    pol.name = name
    return pol


class VersionTest(unittest.TestCase):
    def test_identity_is_the_name_and_the_hash_of_the_document(self):
        with p2_within(8, "eight") as a, p2_within(8, "eight") as b:
            self.assertEqual(a.name, "eight")
            self.assertEqual(len(a.hash()), 64)
            self.assertEqual(a.hash(), b.hash())
            b.name = "other"
            self.assertNotEqual(a.hash(), b.hash())
            b.name = None
            self.assertIsNone(b.name)
            with self.assertRaises(itsm.InvalidArgument):
                b.name = ""

    def test_a_refused_name_leaves_the_policy_unchanged(self):
        with p2_within(8, "eight") as pol:
            before = pol.hash()
            for bad in ("", "a\0b", "n" * 65, "tab\there"):
                with self.subTest(name=bad):
                    with self.assertRaises(itsm.InvalidArgument) as cm:
                        pol.name = bad
                    self.assertEqual(cm.exception.code, itsm.InvalidArgument.code)
                    self.assertEqual((pol.name, pol.hash()), ("eight", before))
            pol.name = "n" * 64            # 64 bytes is a name
            pol.name = "n\u00e4m\u00e9"    # and UTF-8 is
            self.assertEqual(pol.name, "n\u00e4m\u00e9")

    def test_an_incompatible_version_is_refused_and_changes_nothing(self):
        with itsm.Engine(clock=Clock()) as eng, itsm.Policy() as pol:
            rec = eng.open("incident", summary="x")
            version = eng.policy_version
            pol.clear_lifecycle("incident")
            with self.assertRaises(itsm.PolicyError) as cm:
                eng.adopt_policy(pol)
            self.assertTrue(str(cm.exception))
            self.assertEqual((eng.policy_version, rec.policy_version, rec.revision), (version, version, 1))
        with self.assertRaises(itsm.StateError):
            eng.adopt_policy(itsm.Policy())

    def test_a_rollback_undoes_an_adoption_inside_the_group(self):
        store = MemoryStore()
        with itsm.Engine(clock=Clock(), store=store) as eng, p2_within(4, "four") as b:
            eng.open("incident", summary="x")
            version, stored = eng.policy_version, list(store.events)
            eng.begin()
            eng.adopt_policy(b)
            self.assertEqual(eng.policy_version, b.hash()[:16])
            eng.rollback()
            self.assertEqual((eng.policy_version, store.events), (version, stored))
            self.assertEqual(eng.open("incident", summary="y").policy_version, version)
            with eng.group():
                eng.adopt_policy(b)
            self.assertEqual(eng.policy_version, b.hash()[:16])

    def test_a_shorter_target_does_not_rejudge_the_past(self):
        clock = Clock()
        store = MemoryStore()
        with p2_within(8, "eight") as a, p2_within(4, "four") as b:
            with itsm.Engine(policy=a, clock=clock, store=store) as eng:
                old = eng.open("incident", summary="x", impact=1, urgency=2)
                old.fire("start", assignment_group="desk", assignee="ann")
                clock.advance(hours=6)
                old.fire("resolve", resolution_code="fixed", resolution_notes="done")
                eng.adopt_policy(b)
                self.assertEqual(eng.policy_version, b.hash()[:16])
                self.assertEqual(old.policy_version, a.hash()[:16])
                new = eng.open("incident", summary="y", impact=1, urgency=2)
                self.assertEqual(new.policy_version, b.hash()[:16])
                clock.advance(hours=6)
                new.fire("start", assignment_group="desk", assignee="ann")
                new.fire("resolve", resolution_code="fixed", resolution_notes="done")
                verdicts = (old.timer("resolution").breached, new.timer("resolution").breached)
                self.assertEqual(verdicts, (False, True))
            with itsm.Engine(policy=b, clock=clock, store=store) as again:
                again.load()
                got = tuple(again.find(i).timer("resolution").breached
                            for i in ("INC-000001", "INC-000002"))
                self.assertEqual(got, verdicts)


if __name__ == "__main__":
    unittest.main()
